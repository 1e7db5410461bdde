// What V8's warm-up costs the counting: the same BAM counted three times in
// one process on one thread, the first round while the code is still
// interpreted and compiled, the next ones compiled (inflating included):
// `node bench/warm-up.mjs <bam> <panel.bed>`.
import { openBam } from '../dist/coverage/bam.js';
import { computeCoverage } from '../dist/coverage/engine.js';
import { readBed } from '../dist/panel/bed.js';

const [path, bed] = process.argv.slice(2);
const panel = readBed(bed);
const rounds = [];
for (let round = 0; round < 3; round++) {
  const bam = await openBam(path);
  const started = process.hrtime.bigint();
  const result = await computeCoverage(bam, panel, undefined, { threads: 1 });
  rounds.push(Number(process.hrtime.bigint() - started) / 1e9);
  bam.close();
  if (round === 0) process.stdout.write(`${path}: ${result.stats.records} records on ${panel.probes.length} probes\n`);
}
process.stdout.write(`counted on one thread: ${rounds.map(s => s.toFixed(2)).join(' s, ')} s (the first round ${(rounds[0] - Math.min(...rounds.slice(1))).toFixed(2)} s longer)\n`);
