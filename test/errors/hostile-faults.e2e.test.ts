// Real faults of the output location: a full disk (a small tmpfs, filled),
// a read-only mount, a --out that is a file or lies below one. Each command
// fails in one line with exit 1 and nothing half-written; where the
// location itself is wrong, before any work. The tmpfs tests need `mount`
// (root in a container that allows it) and are skipped, saying why, where
// it is not permitted.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TEST_DATA, tempDir } from '../helpers.js';
import { canMount, expectRefusal, filesUnder, fillUp, her2cn, mountTmpfs, write } from './hostile.js';

const T13 = join(TEST_DATA, 'T13.bam');
const NORMALS = ['N01', 'N02', 'N03'].map(n => join(TEST_DATA, `${n}.bam`));
const mount = canMount(join(tempDir('her2cn-mount-probe-'), 'm'));
if (!mount.ok) process.stderr.write(`hostile-faults: tmpfs tests skipped: ${mount.why}\n`);
const withMount = (title: string) => (mount.ok ? title : `${title} (skipped: ${mount.why})`);

const unmounts: (() => void)[] = [];
afterEach(() => {
  while (unmounts.length > 0) unmounts.pop()!();
});

/** A tmpfs of 64 kB at a new folder, filled to leave about `leave` bytes: the output goes below it. */
function smallDisk(leave: number): string {
  const disk = join(tempDir('her2cn-disk-'), 'disk');
  unmounts.push(mountTmpfs(disk, '64k'));
  fillUp(disk, leave);
  return disk;
}

/** Every command writing into `out`: arguments and what it must leave. */
function commands(out: string, results: string) {
  return [
    ['call', ['call', T13, '--out', out]],
    ['coverage', ['coverage', T13, '-o', join(out, 'cov.tsv')]],
    ['pon', ['pon', ...NORMALS, '-o', join(out, 'pon.json')]],
    ['validate', ['validate', results, '--truth', join(TEST_DATA, 'truth.tsv'), '--out', out]],
    ['batch', ['batch', write(join(results, '..', 'samples.tsv'), `sample\tbam\nT13\t${T13}\nT01\t${join(TEST_DATA, 'T01.bam')}\n`), '--out', out, '--jobs', '2']],
  ] as const;
}

let results: string;
function callResults(): string {
  if (!results) {
    results = join(tempDir(), 'results');
    expect(her2cn(['call', T13, '--out', results]).status).toBe(0);
  }
  return results;
}

describe('a full disk', () => {
  it.skipIf(!mount.ok)(withMount('with no room left: every command refuses before any work, in one line, leaving nothing'), () => {
    for (const [name, args] of commands('DISK/out', callResults())) {
      const disk = smallDisk(0);
      const out = join(disk, 'out');
      const r = her2cn(args.map(a => a.replace('DISK', disk)));
      expectRefusal(r, 1, /cannot write \(ENOSPC: no space left on the device: free some space or choose another output folder\); nothing was run/);
      expect(r.stderr, name).not.toMatch(/her2cn: reading|reads on probes/);
      expect(filesUnder(out), name).toEqual([]);
      expect(filesUnder(disk), name).toEqual(['.filler']);
      unmounts.pop()!();
    }
  });

  it.skipIf(!mount.ok)(withMount('with room for the check but not the results: each command fails in one line, leaving nothing'), () => {
    for (const [name, args] of commands('DISK/out', callResults())) {
      const disk = smallDisk(12 * 1024);
      const out = join(disk, 'out');
      const r = her2cn(args.map(a => a.replace('DISK', disk)));
      expectRefusal(r, 1, /cannot write \(ENOSPC: no space left on the device/);
      // nothing half-written: no result, no temporary file (a complete sample of a batch may stay)
      const left = filesUnder(out).filter(f => !/^T13\./.test(f) && !f.startsWith('.her2cn-batch/T13'));
      expect(left, `${name}: ${r.stderr}`).toEqual([]);
      if (name !== 'batch') expect(existsSync(out), `${name} left its output folder`).toBe(false);
      expect(filesUnder(disk).filter(f => /\.tmp$|\.bak$|\.her2cn\.lock/.test(f)), name).toEqual([]);
      unmounts.pop()!();
    }
  });

  it.skipIf(!mount.ok)(withMount('in batch, stops the run at the first failed write instead of failing every sample'), () => {
    const disk = smallDisk(12 * 1024);
    const table = write(join(tempDir(), 'samples.tsv'), ['sample\tbam', ...['T01', 'T02', 'T03', 'T04', 'T05'].map(s => `${s}\t${join(TEST_DATA, `${s}.bam`)}`)].join('\n') + '\n');
    const r = her2cn(['batch', table, '--out', join(disk, 'out'), '--jobs', '1']);
    expectRefusal(r, 1, /out: cannot write \(ENOSPC: .*the batch stopped \(the samples written before stay; run the same command again once the fault is fixed\)/);
    expect(r.stderr.match(/her2cn: T0\d: error/g) ?? []).toEqual([]);
  });
});

describe('a full disk, continued', () => {
  it.skipIf(!mount.ok)(withMount('folders a failed write made are removed again, also given as relative paths'), () => {
    const disk = smallDisk(12 * 1024);
    expectRefusal(her2cn(['coverage', T13, '-o', join('a', 'b', 'cov.tsv')], { cwd: disk }), 1, /a\/b\/cov\.tsv: cannot write \(ENOSPC/);
    expectRefusal(her2cn(['call', T13, '--out', join('c', 'd')], { cwd: disk }), 1, /c\/d: cannot write \(ENOSPC/);
    expect(filesUnder(disk)).toEqual(['.filler']);
    expect(readdirSync(disk)).toEqual(['.filler']);
  });

  it('a result name taken by a folder fails that sample only: batch goes on (not a fault of the disk)', () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    mkdirSync(join(out, 'T13.plot.svg'), { recursive: true });
    const table = write(join(dir, 'samples.tsv'), `sample\tbam\nT13\t${T13}\nT01\t${join(TEST_DATA, 'T01.bam')}\n`);
    const r = her2cn(['batch', table, '--out', out, '--jobs', '1']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/her2cn: T13: error: .*T13\.plot\.svg: exists and is not a file/);
    expect(r.stderr).not.toMatch(/the batch stopped/);
    expect(existsSync(join(out, 'T01.her2cn.json'))).toBe(true);
    expect(readFileSync(join(out, 'cohort.tsv'), 'utf8')).toMatch(/^T01\t\S+\tok\t/m);
  });
});

describe('a read-only mount', () => {
  it.skipIf(!mount.ok)(withMount('every command refuses before any work, in one line'), () => {
    const ro = join(tempDir('her2cn-ro-'), 'ro');
    unmounts.push(mountTmpfs(ro, '64k', true));
    for (const [name, args] of commands(join(ro, 'out'), callResults())) {
      const r = her2cn([...args]);
      expectRefusal(r, 1, /cannot write \(EROFS: the file system is read-only: choose an output folder on a writable one\); nothing was run/);
      expect(r.stderr, name).not.toMatch(/her2cn: reading|reads on probes/);
    }
  });
});

describe('an output folder that is a file', () => {
  it('is refused before any work, by every command, and the file is unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder\n');
    for (const [name, args] of commands(file, callResults())) {
      if (name === 'coverage' || name === 'pon') continue; // their -o is a file: below
      const r = her2cn([...args]);
      expectRefusal(r, 1, /a-file: is a file, not a folder; choose another --out/);
      expect(r.stderr, name).not.toMatch(/her2cn: reading/);
    }
    for (const [name, args] of commands(join(file, 'below'), callResults())) {
      const r = her2cn([...args]);
      expectRefusal(r, 1, /is below .*a-file, which is a file, not a folder; choose another (--out|-o)/);
      expect(r.stderr, name).not.toMatch(/her2cn: reading|reads on probes/);
    }
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });

  it('coverage -o a folder or a device is refused; -o /dev/stdout says to leave out -o', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder'));
    expectRefusal(her2cn(['coverage', T13, '-o', join(dir, 'folder')]), 2, /folder: exists and is a folder; choose another -o/);
    expectRefusal(her2cn(['coverage', T13, '-o', '/dev/stdout']), 2, /\/dev\/stdout: exists and is not a regular file; choose another -o \(to print the table, leave out -o\)/);
    expectRefusal(her2cn(['pon', ...NORMALS, '-o', '/dev/null']), 2, /\/dev\/null: exists and is not a regular file/);
  });

  it('-o /dev/stdout with stdout redirected to a file is refused, leaving the file and /dev/stdout as they were', () => {
    const dir = tempDir();
    const file = join(dir, 'table.tsv');
    writeFileSync(file, 'mine\n');
    const fd = openSync(file, 'a');
    const r = spawnSync(process.execPath, [CLI, 'coverage', T13, '-o', '/dev/stdout'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/stdout: exists and is not a regular file; choose another -o \(to print the table, leave out -o\)/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('-o a symbolic link is refused, not replaced; -o ending in a slash is refused before any work', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kept.tsv'), 'mine\n');
    symlinkSync('kept.tsv', join(dir, 'link.tsv'));
    expectRefusal(her2cn(['coverage', T13, '-o', join(dir, 'link.tsv')]), 2, /link\.tsv: is a symbolic link; give -o the file itself, or another name/);
    expect(lstatSync(join(dir, 'link.tsv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'kept.tsv'), 'utf8')).toBe('mine\n');
    symlinkSync('kept.json', join(dir, 'pon.json'));
    expectRefusal(her2cn(['pon', ...NORMALS, '-o', join(dir, 'pon.json')]), 2, /pon\.json: is a symbolic link/);
    expectRefusal(her2cn(['pon', ...NORMALS, '-o', join(dir, 'new') + '/']), 2, /new\/: names a folder \(it ends with a slash\); give -o a file name/);
    expect(readdirSync(dir).sort()).toEqual(['kept.tsv', 'link.tsv', 'pon.json']);
  });
});
