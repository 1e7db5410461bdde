// Two runs into one output folder: the second batch is refused while the
// first holds the folder's lock, so cohort.tsv always agrees with the
// per-sample results beside it; a run killed with SIGKILL leaves a lock that
// the next run takes over; a lock of another host is refused naming it; and
// `call` does not write beside a running batch.
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TEST_DATA, tempDir } from '../helpers.js';
import { expectRefusal, her2cn, her2cnAsync, write } from './hostile.js';

const LOCK = '.her2cn.lock';

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 20));
  }
}

function table(dir: string, name: string, samples: string[], purity?: string): string {
  return write(join(dir, name), ['sample\tbam\tpurity', ...samples.map(s => `${s}\t${join(TEST_DATA, `${s}.bam`)}\t${purity ?? ''}`)].join('\n') + '\n');
}

/** cohort.tsv's log2, purity and copies of each sample against the sample's own JSON. */
function expectCohortAgrees(out: string): void {
  const [header, ...rows] = readFileSync(join(out, 'cohort.tsv'), 'utf8').trim().split('\n');
  const cols = header.split('\t');
  for (const row of rows) {
    const cells = row.split('\t');
    const sample = cells[cols.indexOf('sample')];
    const json = JSON.parse(readFileSync(join(out, `${sample}.her2cn.json`), 'utf8'));
    for (const key of ['log2', 'purity', 'tumor_copy_number']) expect(cells[cols.indexOf(key)], `${sample} ${key}`).toBe(json[key] === null ? 'NA' : String(json[key]));
  }
}

describe('two batch runs into one folder', () => {
  it('the second is refused while the first runs; cohort.tsv agrees with the results', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const first = her2cnAsync(['batch', table(dir, 'a.tsv', ['T01', 'T02', 'T03', 'T04'], '0.6'), '--out', out, '--jobs', '1']);
    await until(() => existsSync(join(out, LOCK)));
    const second = her2cn(['batch', table(dir, 'b.tsv', ['T01', 'T02', 'T03', 'T04'], '0.3'), '--out', out, '--jobs', '1']);
    expectRefusal(second, 1, new RegExp(`out: another her2cn run \\(batch, process ${first.pid}, since .*\\) is writing into this folder; wait for it to end or choose another --out`));
    // nor does a call write beside it
    expectRefusal(her2cn(['call', join(TEST_DATA, 'T05.bam'), '--out', out]), 1, /another her2cn run \(batch, process \d+/);
    const r = await first.done;
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, LOCK))).toBe(false);
    expect(existsSync(join(out, 'T05.her2cn.json'))).toBe(false);
    expectCohortAgrees(out);
    // once it is over, the second runs and the folder agrees again
    expect(her2cn(['batch', join(dir, 'b.tsv'), '--out', out, '--jobs', '1']).status).toBe(0);
    expectCohortAgrees(out);
  }, 120_000);

  it('a lock left by a run killed with SIGKILL is taken over by the next run', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const samples = table(dir, 's.tsv', ['T01', 'T02']);
    const killed = her2cnAsync(['batch', samples, '--out', out, '--jobs', '1']);
    await until(() => existsSync(join(out, LOCK)));
    killed.kill();
    await killed.done;
    expect(existsSync(join(out, LOCK))).toBe(true);
    const r = her2cn(['batch', samples, '--out', out, '--jobs', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`out: taking over the lock of a run that ended without removing it \\(process ${killed.pid}\\)`));
    expect(existsSync(join(out, LOCK))).toBe(false);
    expectCohortAgrees(out);
  }, 120_000);

  it('a lock whose process id was reused by another process is stale too; one of another host is refused', () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const samples = table(dir, 's.tsv', ['T13']);
    write(join(out, LOCK), JSON.stringify({ pid: process.pid, host: hostname(), process_start: '1', run: 'x', command: 'batch', started: '2020-01-01T00:00:00.000Z' }));
    const r = her2cn(['batch', samples, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/taking over the lock/);
    writeFileSync(join(out, LOCK), JSON.stringify({ pid: 1, host: 'elsewhere', process_start: null, run: 'y', command: 'batch', started: '2020-01-01T00:00:00.000Z' }));
    expectRefusal(her2cn(['batch', samples, '--out', out]), 1, /another her2cn run \(batch, process 1 on host elsewhere, which cannot be checked from here, since .*\).* \(if no such run is alive, remove .*\.her2cn\.lock\)/);
  });
});

describe('the lock itself', () => {
  it('works where the file system has no hard links, and a lock still being written is not taken for stale', async () => {
    const dir = tempDir();
    vi.resetModules();
    vi.doMock('node:fs', async () => {
      const fs = await vi.importActual<typeof import('node:fs')>('node:fs');
      return {
        ...fs,
        linkSync: () => {
          throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
        },
      };
    });
    const { lockFolder } = await import('../../src/output/lock.js');
    const lock = lockFolder(dir, 'batch');
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
    vi.doUnmock('node:fs');
    vi.resetModules();
    const fresh = await import('../../src/output/lock.js');
    writeFileSync(join(dir, LOCK), '');
    expect(() => fresh.lockFolder(dir, 'batch')).toThrow(/another her2cn run is starting to write into this folder/);
    utimesSync(join(dir, LOCK), new Date(2020, 0, 1), new Date(2020, 0, 1));
    fresh.lockFolder(dir, 'batch').release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});
