// Probe GC from an indexed FASTA, with chromosome names matched either way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcForEveryProbe, gcFromFasta } from '../../src/panel/gc.js';
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

  it('for a panel of normals, refuses a FASTA leaving a probe without bases: N only, or past the sequence\'s end', async () => {
    const path = fasta(tempDir(), 'chr17', 'ACGT'.repeat(50) + 'N'.repeat(200));
    const probe = (start: number, end: number, name: string) => ({ chrom: 'chr17', start, end, name, gene: 'X' });
    expect(await gcForEveryProbe(path, [probe(0, 100, 'a')])).toEqual([0.5]);
    await expect(gcForEveryProbe(path, [probe(0, 100, 'a'), probe(250, 350, 'gap')])).rejects.toThrow(
      /ref\.fa: does not cover the panel: 1 of its 2 probes have no A, C, G or T base in it \(first: gap at chr17:250-350, only N bases there\); give the FASTA of the panel's genome build$/,
    );
    await expect(gcForEveryProbe(path, [probe(500, 600, 'beyond')])).rejects.toThrow(/first: beyond at chr17:500-600, its chr17 is only 400 bp long\)/);
  });
});
