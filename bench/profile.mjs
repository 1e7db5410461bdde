// Summarizes a V8 CPU profile (node --cpu-prof) as the functions taking the
// most self time: `node bench/profile.mjs <dir with .cpuprofile> [rows]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, rows = '20'] = process.argv.slice(2);
const file = readdirSync(dir).filter(f => f.endsWith('.cpuprofile')).sort().pop();
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
const nodes = new Map(profile.nodes.map(n => [n.id, n]));
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const { functionName, url, lineNumber } = nodes.get(id).callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]);
  total += profile.timeDeltas[i];
});
console.log(`| self time (ms) | share | function |\n|---|---|---|`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
  console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% | \`${key}\` |`);
}
console.log(`\nTotal sampled: ${(total / 1000).toFixed(0)} ms.`);
