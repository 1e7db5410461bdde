// Times commands alternately, round after round (A, B, C, A, B, C, ...), so
// that a change in the machine's load falls on all of them alike:
// `node bench/alternate.mjs <runs dir> <rounds> <id>=<shell command> ...`.
// Writes <runs dir>/<id>.alt.json with each round's wall time (s), CPU time
// (user + system, s, of the command and every process it waited for) and peak
// resident memory (MB, of its largest process; GNU time), and the load
// average before and after.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const [runs, rounds, ...specs] = process.argv.slice(2);
const commands = specs.map(s => ({ id: s.slice(0, s.indexOf('=')), cmd: s.slice(s.indexOf('=') + 1) }));
const records = Object.fromEntries(commands.map(c => [c.id, { command: c.cmd, wall: [], cpu: [], peak: [], load: [loadavg()[0]] }]));
for (let r = 0; r < Number(rounds); r++) {
  for (const { id, cmd } of commands) {
    const timeFile = join(runs, `${id}.time`);
    const started = process.hrtime.bigint();
    const run = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', 'sh', '-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) {
      process.stderr.write(run.stderr.slice(-2000));
      throw new Error(`${id}: exit ${run.status}: ${cmd}`);
    }
    const [user, system, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    rmSync(timeFile);
    const rec = records[id];
    rec.wall.push(wall);
    rec.cpu.push(user + system);
    rec.peak.push(kb / 1024);
    process.stderr.write(`bench: ${id} round ${r + 1}: ${wall.toFixed(2)} s\n`);
  }
}
for (const { id } of commands) {
  records[id].load.push(loadavg()[0]);
  writeFileSync(join(runs, `${id}.alt.json`), JSON.stringify(records[id], null, 1) + '\n');
}
