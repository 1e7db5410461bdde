// Shared test helpers: paths, temporary folders, running the CLI, and
// external reference tools (which CI installs; a missing tool fails there).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type TestContext } from 'vitest';
import type { SampleSpec } from '../src/simulate/model.js';

export const ROOT = new URL('..', import.meta.url).pathname;
export const TEST_DATA = join(ROOT, 'test-data');
export const DEMO_PANEL = join(ROOT, 'panels', 'her2cn-demo-grch38.bed');
export const CLI = join(ROOT, 'bin', 'her2cn');

export const execFileAsync = promisify(execFile);

export function tempDir(prefix = 'her2cn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The unit tests (*.test.ts) run no CLI and no external tool, so that part
 * stays fast: a test that needs one belongs in an *.e2e.test.ts file.
 */
function notInUnitTests(what: string): void {
  if (process.env.HER2CN_TEST_PART === 'unit') throw new Error(`${what} in a unit test: move the test to an *.e2e.test.ts file (see test/vitest.config.ts)`);
}

export function hasTool(name: string): boolean {
  notInUnitTests(`the external tool ${name}`);
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/**
 * Whether a test needing `name` can run. In CI (CI=true) a missing tool is an
 * error, so comparisons against it are never silently skipped there.
 */
export function toolAvailable(name: string): boolean {
  if (hasTool(name)) return true;
  if (process.env.CI) throw new Error(`${name} is required in CI (install it with test/install-debian-tools.sh)`);
  return false;
}

/**
 * Skips the running test, saying which tools it needs, when any is missing
 * (outside CI; in CI toolAvailable fails the test instead).
 */
export function skipWithout(skip: TestContext['skip'], ...names: string[]): void {
  const missing = names.filter(n => !toolAvailable(n));
  skip(missing.length > 0, `needs ${missing.join(', ')}, not installed here (test/install-debian-tools.sh installs the tools)`);
}

/** Debian's Python, where python3-pybigwig installs (a `python3` earlier on PATH may be another). */
export const DEBIAN_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Whether Debian's Python has `module` (as toolAvailable: missing fails in CI). */
export function pythonModuleAvailable(module: string): boolean {
  notInUnitTests(`the python module ${module}`);
  if (spawnSync(DEBIAN_PYTHON, ['-c', `import ${module}`]).status === 0) return true;
  if (process.env.CI) throw new Error(`python module ${module} is required in CI (install it with test/install-debian-tools.sh)`);
  return false;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** `timeout` (ms) kills a run that hangs, so a test sees it instead of waiting for ever (spawnSync blocks vitest's own timeout). */
export function runCli(args: string[], options: { cwd?: string; timeout?: number } = {}): CliResult {
  notInUnitTests('her2cn run as a command');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: options.timeout, killSignal: 'SIGKILL' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function samtools(args: string[]): string {
  notInUnitTests('samtools');
  return execFileSync('samtools', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

export const COHORT_SAMPLES = [
  ...Array.from({ length: 10 }, (_, i) => `N${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 13 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`),
];

/** A tumour of pure ERBB2 amplicon cells in a 20x library: `copies` ERBB2 copies (1,000 give about 19,000x once crowded exons share reads). */
export function deepAmplicon(copies: number): SampleSpec {
  return {
    name: 'DEEP',
    role: 'tumour',
    sex: 'female',
    ffpe: false,
    purity: 1,
    chr17Copies: 2,
    segments: [],
    description: `${copies} ERBB2 copies in every cell`,
    library: { depth: 20, gcSlope: 0, gcCurve: 0, noiseCv: 0.05, duplicateRate: 0.1, offTargetFraction: 0.02, insertMean: 220, insertSd: 40 },
    amplicon: { extent: 'erbb2', start: 39_680_000, end: 39_735_000, copies, fraction: 1 },
  };
}

/**
 * Runs the CLI and checks it refused the input as a user needs: exit 1, one
 * error line matching `message`, and (given `out`) nothing left in that folder.
 * Returns the error line.
 */
export function expectRefused(args: string[], message: RegExp, out?: string): string {
  const r = runCli(args);
  expect(r.status, r.stderr).toBe(1);
  const errors = r.stderr.trim().split('\n').filter(l => l.startsWith('her2cn: error'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  if (out) expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  return errors[0];
}
