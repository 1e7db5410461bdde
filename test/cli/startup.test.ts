import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/**
 * The packages a source file loads when it is imported: its static imports
 * (not `import type`, not `await import()`), followed through the project's
 * own files.
 */
function loadedPackages(file: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = readFileSync(path, 'utf8');
    for (const m of source.matchAll(/^(import|export)\s+([^;]*?)\s+from\s+'([^']+)'/gms)) {
      if (/^type\s/.test(m[2])) continue;
      const spec = m[3];
      if (spec.startsWith('.')) visit(resolve(dirname(path), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  visit(join(ROOT, 'src', file));
  return packages;
}

describe('start-up', () => {
  it('loads the command line and its options only: no renderer, no reader of a format, no schema, no progress bar', () => {
    const packages = loadedPackages('cli/main.ts');
    for (const heavy of ['@resvg/resvg-js', '@gmod/bam', '@gmod/cram', '@gmod/bbi', '@gmod/tabix', '@gmod/indexedfasta', '@sinclair/typebox', 'cli-progress']) {
      expect(packages, heavy).not.toContain(heavy);
    }
    expect(packages).toContain('@commander-js/extra-typings');
  });

  it('`call` on a BAM loads neither the CRAM, bigWig, mosdepth-regions and FASTA readers nor the PNG renderer up front', () => {
    const packages = loadedPackages('cli/call-command.ts');
    for (const other of ['@gmod/cram', '@gmod/bbi', '@gmod/tabix', '@gmod/indexedfasta', '@resvg/resvg-js', '@gmod/bam']) expect(packages, other).not.toContain(other);
  });

  it('`--version` alone is answered by bin/her2cn before the command line is loaded', () => {
    const bin = readFileSync(join(ROOT, 'bin', 'her2cn'), 'utf8');
    const answer = bin.indexOf("args[0] === '--version'");
    expect(answer).toBeGreaterThan(0);
    expect(answer).toBeLessThan(bin.indexOf('dist/cli/main.js'));
  });
});
