// Probe GC from an indexed FASTA, with chromosome names matched either way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcFromFasta } from '../../src/panel/gc.js';
import { tempDir } from '../helpers.js';

function fasta(dir: string, name: string, seq: string, width = 60): string {
  const path = join(dir, 'ref.fa');
  const lines = seq.match(new RegExp(`.{1,${width}}`, 'g'))!;
  const header = `>${name}\n`;
  writeFileSync(path, header + lines.join('\n') + '\n');
  // .fai: name, length, offset of the first base, bases per line, bytes per line
  writeFileSync(`${path}.fai`, `${name}\t${seq.length}\t${header.length}\t${width}\t${width + 1}\n`);
  return path;
}

describe('GC from a FASTA', () => {
  it('measures each probe\'s GC, across line breaks, on a "17" reference for a "chr17" panel', async () => {
    const seq = 'A'.repeat(100) + 'GC'.repeat(60) + 'AT'.repeat(30) + 'GGGA'.repeat(30);
    const path = fasta(tempDir(), '17', seq);
    const gc = await gcFromFasta(path, [
      { chrom: 'chr17', start: 0, end: 100, name: 'a', gene: 'A' },
      { chrom: 'chr17', start: 100, end: 220, name: 'b', gene: 'B' },
      { chrom: 'chr17', start: 160, end: 280, name: 'c', gene: 'C' },
      { chrom: 'chr17', start: 280, end: 400, name: 'd', gene: 'D' },
    ]);
    expect(gc).toEqual([0, 1, 0.5, 0.75]);
  });

  it('names a missing index and a missing chromosome', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noindex.fa'), '>x\nACGT\n');
    await expect(gcFromFasta(join(dir, 'noindex.fa'), [])).rejects.toThrow(/no FASTA index .*samtools faidx/);
    const path = fasta(dir, 'chr1', 'ACGT'.repeat(50));
    await expect(gcFromFasta(path, [{ chrom: 'chr17', start: 0, end: 10, name: 'x', gene: 'X' }])).rejects.toThrow(/has no sequence chr17/);
  });
});
