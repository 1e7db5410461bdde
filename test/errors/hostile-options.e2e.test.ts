// Options that make no sense are refused before any work with exit 2 and a
// message giving the valid range; then a seeded, time-bounded fuzz over the
// command line (numbers, paths, combinations, for every command) that must
// never meet an internal error, a stack trace, a hang or a second error line.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/stats/random.js';
import { CLI, DEMO_PANEL, ROOT, TEST_DATA, tempDir } from '../helpers.js';
import { errorLines, expectRefusal, filesUnder, her2cn, type Run } from './hostile.js';

const T13 = join(TEST_DATA, 'T13.bam');
const MAX = Math.max(4, availableParallelism());

describe('options that make no sense', () => {
  it.each([
    [['--threshold', '0'], /--threshold .*expected a number above 0 and up to 5, got 0 \(a log2 ratio of 0 or below is no gain/],
    [['--threshold', '-1'], /--threshold .*above 0 and up to 5, got -1/],
    [['--threshold', '5.5'], /--threshold .*above 0 and up to 5, got 5\.5/],
    [['--threshold', '1e-400'], /--threshold .*got 0/],
    [['--purity', '0.0001'], /--purity .*expected a number from 0\.05 to 1, got 0\.0001 \(below 5% tumour cells/],
    [['--purity', '0.04'], /--purity .*from 0\.05 to 1, got 0\.04/],
    [['--threads', '50'], new RegExp(`--threads .*expected a number from 1 to ${MAX} \\(this machine has \\d+ cores; more at once only costs memory\\), got 50`)],
    [['--threads', '0'], /--threads .*from 1 to/],
    [['--max-mapd', '0'], /--max-mapd .*expected a number above 0, got 0 \(at 0 no sample could pass\)/],
    [['--sample', ' '], /--sample .*expected a name, got an empty one/],
    [['--out', ''], /--out .*expected a name/],
  ])('call %j: exit 2, the valid range, nothing written', (args, message) => {
    const dir = tempDir();
    const r = her2cn(['call', T13, ...(args as string[]), ...((args as string[])[0] === '--out' ? [] : ['--out', dir])]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/her2cn: reading/);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('batch: --jobs and --threads are bounded, alone and together', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'samples.tsv'), `sample\tbam\nT13\t${T13}\n`);
    const run = (...args: string[]) => her2cn(['batch', join(dir, 'samples.tsv'), '--out', join(dir, 'out'), ...args]);
    expect(run('--jobs', '50').stderr).toMatch(new RegExp(`--jobs .*expected a number from 1 to ${MAX} .*got 50`));
    expect(run('--jobs', '50').status).toBe(2);
    expect(run('--threads', '1000').status).toBe(2);
    expectRefusal(run('--jobs', String(MAX), '--threads', '2'), 2, new RegExp(`--jobs ${MAX} with --threads 2 would run ${2 * MAX} threads; at most ${MAX} on this machine .*lower one of them`));
    expect(filesUnder(join(dir, 'out'))).toEqual([]);
    const purity = join(dir, 'purity.tsv');
    writeFileSync(purity, `sample\tbam\tpurity\nT13\t${T13}\t0.0001\n`);
    expectRefusal(her2cn(['batch', purity, '--out', join(dir, 'out')]), 1, /purity\.tsv line 2: purity must be a number from 0\.05 to 1/);
  });

  it('accepts the ends of each range: purity 0.05 gives finite copies, threshold 5', () => {
    const dir = tempDir();
    const r = her2cn(['call', join(TEST_DATA, 'T01.bam'), '--purity', '0.05', '--threshold', '5', '--out', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Number.isFinite(doc.tumor_copy_number)).toBe(true);
    expect(readFileSync(join(dir, 'T01.report.html'), 'utf8')).not.toMatch(/Infinity|NaN/);
  });
});

// ---- fuzz --------------------------------------------------------------

// Seeded (HER2CN_FUZZ_SEED and HER2CN_FUZZ_RUNS explore further, e.g. before a release).
const rng = new Random(process.env.HER2CN_FUZZ_SEED ?? 'hostile-options');
const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];

const NUMBERS = ['0', '-1', '-0', '1', '2', '3', '5', '0.05', '0.5', '1.3', '1e309', '1e-400', 'NaN', 'Infinity', '0x10', '99999999999999999999', '', ' ', '1,5', '2+', '.', '-', '1e3', '0.0001', '4.9999'];

/** A set of awkward paths, made once. */
function paths(dir: string) {
  mkdirSync(join(dir, 'folder'), { recursive: true });
  writeFileSync(join(dir, 'text.txt'), 'not a BAM\n');
  writeFileSync(join(dir, 'file'), 'a file where a folder is expected\n');
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  copyFileSync(DEMO_PANEL, join(dir, 'panel.bed'));
  writeFileSync(join(dir, 'samples.tsv'), `sample\tbam\nT13\t${T13}\n`);
  // a copy of a BAM, offered as an output too: it must come through unchanged
  copyFileSync(T13, join(dir, 'copy.bam'));
  copyFileSync(`${T13}.csi`, join(dir, 'copy.bam.csi'));
  return {
    input: [T13, join(dir, 'copy.bam'), join(dir, 'missing.bam'), join(dir, 'folder'), join(dir, 'pipe'), join(dir, 'text.txt'), '/dev/null', join(dir, 'file', 'below.bam'), ''],
    panel: [join(dir, 'panel.bed'), join(dir, 'pipe'), join(dir, 'folder'), join(dir, 'text.txt'), T13, join(dir, 'missing.bed')],
    output: [join(dir, 'out'), join(dir, 'folder'), join(dir, 'file'), join(dir, 'file', 'below'), join(dir, 'copy.bam'), join(dir, 'panel.bed'), join(dir, 'pipe'), '/dev/null', ''],
    table: [join(dir, 'samples.tsv'), join(dir, 'pipe'), join(dir, 'folder'), join(dir, 'missing.tsv'), join(TEST_DATA, 'truth.tsv')],
  };
}

function randomArgs(p: ReturnType<typeof paths>): string[] {
  const numeric = (name: string) => [name, pick(NUMBERS)];
  const some = (options: (() => string[])[]) => options.filter(() => rng.int(0, 2) === 0).flatMap(f => f());
  switch (pick(['coverage', 'call', 'batch', 'pon', 'validate'] as const)) {
    case 'coverage':
      return ['coverage', pick(p.input), ...some([() => ['--panel', pick(p.panel)], () => numeric('--min-mapq'), () => numeric('--threads'), () => ['-o', pick(p.output)], () => ['--sample', pick(['T13', 'X', ''])], () => ['--exclude-flags', pick(['0x904', '3844', '-1', 'x'])]])];
    case 'call':
      return ['call', pick(p.input), '--out', pick(p.output), ...some([() => numeric('--threshold'), () => numeric('--purity'), () => numeric('--threads'), () => numeric('--max-mapd'), () => numeric('--min-depth'), () => numeric('--min-erbb2-probes'), () => ['--panel', pick(p.panel)], () => ['--pon', pick(p.panel)], () => ['--ihc', pick(['0', '3+', '4+', ''])]])];
    case 'batch':
      return ['batch', pick(p.table), '--out', pick(p.output), ...some([() => numeric('--jobs'), () => numeric('--threads'), () => numeric('--threshold'), () => ['--panel', pick(p.panel)]])];
    case 'pon':
      return ['pon', pick(p.input), pick(p.input), pick(p.input), '-o', pick(p.output), ...some([() => ['--panel', pick(p.panel)], () => numeric('--threads'), () => numeric('--min-mapq')])];
    case 'validate':
      return ['validate', pick([...p.output, ...p.table]), '--truth', pick(p.table), '--out', pick(p.output), ...some([() => ['--reference', pick(['fish', 'ihc', 'x'])], () => ['--on', pick(['call', 'assessment', ''])]])];
  }
}

function runAsync(args: string[], timeoutMs: number): Promise<Run> {
  return new Promise(resolve => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) => {
      const killed = (error as { killed?: boolean } | null)?.killed === true;
      resolve({ status: killed ? null : child.exitCode, stdout, stderr, timedOut: killed });
    });
  });
}

describe('fuzzing the command line', () => {
  it('finds no internal error, stack trace, hang or second error line in a seeded run of 16 command lines', async () => {
    const dir = tempDir('her2cn-fuzz-');
    const p = paths(dir);
    const count = Number(process.env.HER2CN_FUZZ_RUNS ?? 16);
    // The command lines are drawn before any runs, so the seed alone decides them.
    const lines = Array.from({ length: count }, () => randomArgs(p));
    const runs: { args: string[]; r: Run }[] = [];
    // two at a time (the machine's two cores)
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        for (let i = next++; i < lines.length; i = next++) runs.push({ args: lines[i], r: await runAsync(lines[i], 30_000) });
      }),
    );
    const byStatus = runs.reduce<Record<string, number>>((m, { r }) => ({ ...m, [String(r.status)]: (m[String(r.status)] ?? 0) + 1 }), {});
    process.stderr.write(`fuzz: ${runs.length} runs, exit codes ${JSON.stringify(byStatus)}\n`);
    for (const { args, r } of runs) {
      const what = `her2cn ${args.map(a => JSON.stringify(a)).join(' ')}\n${r.stderr}`;
      expect(r.timedOut, `hung: ${what}`).toBe(false);
      expect([0, 1, 2], what).toContain(r.status);
      expect(r.stderr, what).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
      if (r.status !== 0) expect(errorLines(r.stderr).length, what).toBe(1);
    }
    // the inputs the fuzz could have written over are unchanged
    expect(readFileSync(join(dir, 'panel.bed'), 'utf8')).toBe(readFileSync(DEMO_PANEL, 'utf8'));
    expect(readFileSync(join(dir, 'copy.bam')).equals(readFileSync(T13))).toBe(true);
  }, 90_000 + 5_000 * Number(process.env.HER2CN_FUZZ_RUNS ?? 0));
});
