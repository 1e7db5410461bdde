// A disk that fills up mid-write leaves the earlier results as they were
// (a call killed mid-run: faults.e2e.test.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers.js';

describe('a disk that fills up mid-write', () => {
  it('fails, removes what it wrote, and leaves the earlier results untouched', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'a.txt'), 'earlier a\n');
    writeFileSync(join(out, 'b.txt'), 'earlier b\n');
    vi.resetModules();
    vi.doMock('node:fs', async () => {
      const fs = await vi.importActual<typeof import('node:fs')>('node:fs');
      let writes = 0;
      return {
        ...fs,
        writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
          if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: String(args[0]) });
          return fs.writeFileSync(...args);
        },
      };
    });
    const { writeFilesAtomic } = await import('../../src/output/files.js');
    expect(() => writeFilesAtomic(out, [['a.txt', 'new a\n'], ['b.txt', 'new b\n'], ['c.txt', 'new c\n']])).toThrow(/ENOSPC/);
    vi.doUnmock('node:fs');
    expect(readdirSync(out).sort()).toEqual(['a.txt', 'b.txt']);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('earlier a\n');
    expect(readFileSync(join(out, 'b.txt'), 'utf8')).toBe('earlier b\n');
  });
});
