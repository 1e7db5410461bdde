// Resuming a cohort: a batch killed half-way and run again gives a clean
// run's bytes; a complete folder is reused, not recomputed; a changed input
// or a damaged result is recomputed, and only that sample.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliResult, runCli, TEST_DATA, tempDir } from '../helpers.js';

/** Eight of the committed tumours: those the tests change, and enough others for a run to be killed half-way. */
const TUMOURS = ['T01', 'T02', 'T03', 'T05', 'T08', 'T10', 'T11', 'T12'];
const SIX = (s: string) => [`${s}.her2cn.json`, `${s}.her2cn.vcf`, `${s}.plot.png`, `${s}.plot.svg`, `${s}.probes.tsv`, `${s}.report.html`];
const ALL_FILES = [...TUMOURS.flatMap(SIX), 'cohort.plot.png', 'cohort.plot.svg', 'cohort.tsv', 'her2cn_mqc.json'].sort();

let dir: string;
let samples: string;
let clean: string;
let cleanRun: CliResult;

/** The samples table of the committed tumours; T10 from a copy that a test can touch. */
function writeTable(purity: Record<string, string> = {}): void {
  const rows = TUMOURS.map(s => [s, s === 'T10' ? join(dir, 'T10.bam') : join(TEST_DATA, `${s}.bam`), purity[s] ?? ''].join('\t'));
  writeFileSync(samples, ['sample\tbam\tpurity', ...rows].join('\n') + '\n');
}

const visible = (out: string) => readdirSync(out).filter(f => !f.startsWith('.')).sort();
const mtimes = (out: string) => Object.fromEntries(TUMOURS.flatMap(SIX).map(f => [f, statSync(join(out, f)).mtimeMs]));
const reusedIn = (stderr: string) => [...stderr.matchAll(/^her2cn: (T\d\d): results complete for the same inputs; reused$/gm)].map(m => m[1]);

function expectSameAsClean(out: string): void {
  expect(visible(out)).toEqual(ALL_FILES);
  for (const f of ALL_FILES) expect(readFileSync(join(out, f)).equals(readFileSync(join(clean, f))), f).toBe(true);
  // no temporary or set-aside file of a killed run is left
  expect(readdirSync(out).filter(f => f.startsWith('.') && f !== '.her2cn-batch')).toEqual([]);
  expect(readdirSync(join(out, '.her2cn-batch')).filter(f => f.startsWith('.'))).toEqual([]);
}

/** Runs a batch and kills it (SIGKILL) once `after` samples' results have appeared in `out`. */
function killedBatch(out: string, after: number): Promise<{ finishedBeforeKill: boolean }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, 'batch', samples, '--out', out, '--jobs', '2'], { stdio: 'ignore' });
    let killed = false;
    const poll = setInterval(() => {
      const results = existsSync(out) ? readdirSync(out).filter(f => f.endsWith('.her2cn.json')).length : 0;
      if (results >= after && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(poll);
      resolve({ finishedBeforeKill: !killed });
    });
  });
}

beforeAll(() => {
  dir = tempDir('her2cn-resume-');
  copyFileSync(join(TEST_DATA, 'T10.bam'), join(dir, 'T10.bam'));
  copyFileSync(join(TEST_DATA, 'T10.bam.csi'), join(dir, 'T10.bam.csi'));
  samples = join(dir, 'samples.tsv');
  writeTable();
  clean = join(dir, 'clean');
  cleanRun = runCli(['batch', samples, '--out', clean, '--jobs', '2']);
  expect(cleanRun.status, cleanRun.stderr).toBe(0);
  expect(visible(clean)).toEqual(ALL_FILES);
}, 120_000);

describe('a batch killed half-way', () => {
  it('is completed by a rerun that reuses the finished samples and equals a clean run byte for byte', async () => {
    let out = '';
    let done: string[] = [];
    // killed once 3 results are in place; tried again in the unlikely case the run finished first
    for (let attempt = 0; attempt < 3; attempt++) {
      out = join(dir, `killed-${attempt}`);
      const { finishedBeforeKill } = await killedBatch(out, 3);
      if (finishedBeforeKill) continue;
      done = readdirSync(join(out, '.her2cn-batch')).filter(f => f.endsWith('.json'));
      if (done.length < TUMOURS.length) break;
    }
    // some but not all samples had finished, and no cohort summary was written
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(TUMOURS.length);
    expect(existsSync(join(out, 'cohort.tsv'))).toBe(false);

    const rerun = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(reusedIn(rerun.stderr).sort()).toEqual(done.map(f => f.replace(/\.json$/, '')).sort());
    expect(rerun.stdout).toBe(cleanRun.stdout);
    expectSameAsClean(out);
  }, 120_000);
});

describe('a rerun', () => {
  it('on a complete folder reuses every sample without recomputing, and writes the same cohort files and stdout', () => {
    const out = join(dir, 'complete');
    cpSync(clean, out, { recursive: true, preserveTimestamps: true });
    const before = mtimes(out);
    const r = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(reusedIn(r.stderr)).toEqual(TUMOURS);
    expect(r.stderr).toContain('her2cn: 8 of 8 samples complete for the same inputs; reused, not recomputed');
    expect(mtimes(out)).toEqual(before);
    expect(r.stdout).toBe(cleanRun.stdout);
    expectSameAsClean(out);
  });

  it('recomputes every sample when an option changes (--threshold)', () => {
    const out = join(dir, 'threshold');
    cpSync(clean, out, { recursive: true, preserveTimestamps: true });
    const before = mtimes(out);
    const r = runCli(['batch', samples, '--out', out, '--jobs', '2', '--threshold', '1.7']);
    expect(r.status, r.stderr).toBe(0);
    expect(reusedIn(r.stderr)).toEqual([]);
    const after = mtimes(out);
    for (const f of Object.keys(before)) expect(after[f], f).not.toBe(before[f]);
    expect(JSON.parse(readFileSync(join(out, 'T11.her2cn.json'), 'utf8'))).toMatchObject({ threshold: 1.7, call: 'not_amplified' });
    // (Back to the default options a rerun gives the clean run's bytes again: the next test.)
  }, 60_000);

  it('moves the earlier result of a sample that fails in a rerun out of the results, so nothing beside its error line reads as its result', () => {
    const out = join(dir, 'failed-rerun');
    cpSync(clean, out, { recursive: true, preserveTimestamps: true });
    const bam = join(dir, 'T10.bam');
    const good = readFileSync(bam);
    writeFileSync(bam, good.subarray(0, 1000)); // another file now: cut short
    try {
      const r = runCli(['batch', samples, '--out', out, '--jobs', '2']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/T10: the files of its earlier result \(other inputs\) were moved to .*\.her2cn-batch\/superseded/);
      expect(visible(out).filter(f => f.startsWith('T10.'))).toEqual([]);
      expect(readdirSync(join(out, '.her2cn-batch', 'superseded')).sort()).toEqual(ALL_FILES.filter(f => f.startsWith('T10.')).sort());
      expect(readFileSync(join(out, 'cohort.tsv'), 'utf8')).toMatch(/^T10\t.*\terror\t/m);
    } finally {
      writeFileSync(bam, good);
      utimesSync(bam, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    }
    // fixed, the sample is computed again: the clean run's files
    const again = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(again.status, again.stderr).toBe(0);
    expectSameAsClean(out);
  }, 60_000);

  it('removes the cohort files before redoing samples, so a run killed half-way leaves none that disagree with the samples', async () => {
    const out = join(dir, 'killed-rerun');
    cpSync(clean, out, { recursive: true, preserveTimestamps: true });
    // every sample redone (another threshold); killed as soon as the cohort files are gone
    const cohortFiles = ['cohort.tsv', 'cohort.plot.svg', 'cohort.plot.png', 'her2cn_mqc.json'];
    const child = spawn(process.execPath, [CLI, 'batch', samples, '--out', out, '--jobs', '2', '--threshold', '1.7'], { stdio: 'ignore' });
    const gone = await new Promise<boolean>(resolve => {
      const poll = setInterval(() => {
        if (cohortFiles.every(f => !existsSync(join(out, f)))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(true);
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(poll);
        resolve(!existsSync(join(out, 'cohort.tsv')));
      });
    });
    expect(gone).toBe(true);
    await new Promise(resolve => (child.exitCode === null && child.signalCode === null ? child.on('exit', resolve) : resolve(null)));
    // killed while samples were being redone: no cohort file left to disagree with them
    expect(cohortFiles.filter(f => existsSync(join(out, f)))).toEqual([]);
    // the next run makes them again, as a clean run does
    const r = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    expectSameAsClean(out);
  }, 120_000);

  it('recomputes only the sample whose row, BAM or result files changed', () => {
    const out = join(dir, 'changed');
    cpSync(clean, out, { recursive: true, preserveTimestamps: true });
    // T03's purity is given; T10's BAM is touched (rewritten, as far as anyone can tell);
    // T05's plot is cut short, T08's JSON replaced by an edited one
    writeTable({ T03: '0.7' });
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'T10.bam'), later, later);
    truncateSync(join(out, 'T05.plot.png'), 100);
    writeFileSync(join(out, 'T08.her2cn.json'), readFileSync(join(out, 'T08.her2cn.json'), 'utf8').replace('"not_amplified"', '"amplified"'));
    const r1 = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(reusedIn(r1.stderr).sort()).toEqual(TUMOURS.filter(s => !['T03', 'T05', 'T08', 'T10'].includes(s)).sort());
    expect(JSON.parse(readFileSync(join(out, 'T03.her2cn.json'), 'utf8')).purity).toBe(0.7);
    // with the table and files as the clean run had them, the clean run's bytes
    writeTable();
    const r2 = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(r2.status).toBe(0);
    expect(reusedIn(r2.stderr)).not.toContain('T03');
    expectSameAsClean(out);
    // a result file removed: its sample is redone
    const gone = join(out, 'T12.her2cn.vcf');
    const bytes = readFileSync(gone);
    rmSync(gone);
    const r3 = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(reusedIn(r3.stderr)).toEqual(TUMOURS.filter(s => s !== 'T12'));
    expect(readFileSync(gone).equals(bytes)).toBe(true);
    // its result JSON cut short (no longer a result): batch recorded writing it for this sample, so it is redone, not refused
    const json = join(out, 'T12.her2cn.json');
    const whole = readFileSync(json);
    truncateSync(json, 1000);
    const r4 = runCli(['batch', samples, '--out', out, '--jobs', '2']);
    expect(r4.status, r4.stderr).toBe(0);
    expect(reusedIn(r4.stderr)).toEqual(TUMOURS.filter(s => s !== 'T12'));
    expect(readFileSync(json).equals(whole)).toBe(true);
  }, 60_000);
});
