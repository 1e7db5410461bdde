// Helpers of the hostile-input tests (hostile-*.test.ts): run the CLI with a
// time limit (a hang is a failure, not a stuck suite), check that a refusal
// is what a user needs (the exit code, one error line naming the file and
// the problem, no stack trace), and that inputs are unchanged and nothing
// is left behind.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, ROOT } from '../helpers.js';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Killed at the time limit: the command hung. */
  timedOut: boolean;
}

/** Runs her2cn, killed after `timeoutMs`. */
export function her2cn(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error !== undefined || r.signal === 'SIGKILL' };
}

/** Runs her2cn in the background (for runs that must overlap). */
export function her2cnAsync(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): { done: Promise<Run>; pid: number; kill: () => void } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const done = new Promise<Run>(resolve =>
    child.on('close', status => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    }),
  );
  return { done, pid: child.pid!, kill: () => child.kill('SIGKILL') };
}

/** The lines of stderr that report an error (her2cn's own, or commander's for a malformed option). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter(l => /^(her2cn: )?(internal )?error:/.test(l) || /^her2cn: internal error/.test(l));
}

/**
 * A refusal as a user needs it: the exit code, exactly one error line that
 * matches `message`, no internal error, no stack trace, no hang.
 */
export function expectRefusal(r: Run, status: number, message: RegExp): string {
  expect(r.timedOut, `hung: ${r.stderr}`).toBe(false);
  expect(r.status, r.stderr).toBe(status);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  const errors = errorLines(r.stderr);
  expect(errors, r.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  return errors[0];
}

/** Every file under `dir`, dot files included, as relative paths (empty when `dir` does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out.push(`${prefix}${name}`);
    }
  };
  walk(dir, '');
  return out;
}

/** The content of files, by SHA-256, to show they are unchanged. */
export function fingerprints(paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map(p => [p, existsSync(p) && statSync(p).isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'missing']));
}

/** A named pipe (FIFO). */
export function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** Writes a file, making its folder. */
export function write(path: string, text: string | Uint8Array): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

export interface Mount {
  ok: boolean;
  /** Why mounting is not possible here (the tests that need a real mount are skipped, saying so). */
  why: string;
}

/** Whether a tmpfs can be mounted here (root in a container that allows it). */
export function canMount(probeDir: string): Mount {
  mkdirSync(probeDir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probeDir], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `mount -t tmpfs is not permitted here (${(r.stderr || r.error?.message || '').trim()})` };
  spawnSync('umount', [probeDir]);
  return { ok: true, why: '' };
}

/** Mounts a tmpfs of `size` (e.g. '64k') at `dir`, read-only when asked; returns the unmount. */
export function mountTmpfs(dir: string, size: string, readOnly = false): () => void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `${readOnly ? 'ro,' : ''}size=${size}`, 'tmpfs', dir]);
  return () => {
    spawnSync('umount', [dir]);
  };
}

/** Fills the file system holding `dir` until only about `leave` bytes are free (a real full disk, or nearly). */
export function fillUp(dir: string, leave: number): void {
  const s = statfsSync(dir);
  const free = Number(s.bavail) * Number(s.bsize);
  try {
    writeFileSync(join(dir, '.filler'), Buffer.alloc(Math.max(0, free - leave)));
  } catch {
    // the last block may not fit: what was written stays
  }
}
