// Reads the depth model must not misread: spliced alignments (CIGAR N, as
// an RNA aligner writes them over exons) and CIGARs of more than 65,535
// operations, which BAM keeps in the CG tag. Depths must agree with
// samtools (bedcov -j, depth) and mosdepth on what such reads cover; an
// RNA-like BAM is refused by call and pon, a few spliced reads in a DNA BAM
// are said, and long CIGARs are read from CG, in BAM and in CRAM.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMOSOME_LENGTHS } from '../../src/panel/builds.js';
import { readBed } from '../../src/panel/bed.js';
import { type AlignmentRecord, BamWriter } from '../../src/simulate/bam-writer.js';
import { DEMO_PANEL, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';
import { expectRefusal, filesUnder, her2cn, write } from './hostile.js';

const haveSamtools = toolAvailable('samtools');
const haveMosdepth = toolAvailable('mosdepth');
const panel = readBed(DEMO_PANEL);
const refs = Object.entries(CHROMOSOME_LENGTHS.GRCh38).map(([name, length]) => ({ name, length }));
const refId = (chrom: string) => refs.findIndex(r => r.name === chrom);

/** her2cn's coverage table as "chrom:start-end" -> [depth, reads]. */
function ourTable(tsv: string): Map<string, [string, string]> {
  return new Map(
    tsv
      .trim()
      .split('\n')
      .slice(1)
      .map(l => l.split('\t'))
      .map(c => [`${c[0]}:${c[1]}-${c[2]}`, [c[5], c[6]]]),
  );
}

/** samtools bedcov -c -j (deletions and reference skips are not coverage) as "chrom:start-end" -> [mean depth with 3 decimals, reads]. */
function bedcov(bam: string, bed: string): Map<string, [string, string]> {
  const out = execFileSync('samtools', ['bedcov', '-c', '-j', bed, bam], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return new Map(
    out
      .trim()
      .split('\n')
      .map(l => l.split('\t'))
      .map(c => {
        const [start, end] = [Number(c[1]), Number(c[2])];
        return [`${c[0]}:${start}-${end}`, [(Number(c[c.length - 2]) / (end - start)).toFixed(3), c[c.length - 1]]];
      }),
  );
}

/** mosdepth --by <panel> means over chromosome 17 (two decimals; one chromosome keeps it quick). */
function mosdepthMeans(bam: string, bed: string, dir: string): Map<string, number> {
  const prefix = join(dir, `md-${Date.now()}`);
  execFileSync('mosdepth', ['--no-per-base', '--chrom', 'chr17', '--by', bed, prefix, bam]);
  return new Map(
    gunzipSync(readFileSync(`${prefix}.regions.bed.gz`))
      .toString('utf8')
      .trim()
      .split('\n')
      .map(l => l.split('\t'))
      .filter(c => c[0] === 'chr17')
      .map(c => [`${c[0]}:${c[1]}-${c[2]}`, Number(c[c.length - 1])]),
  );
}

function expectAgreement(bam: string, dir: string): void {
  const bed = join(dir, 'panel3.bed');
  write(bed, panel.probes.map(p => `${p.chrom}\t${p.start}\t${p.end}\n`).join(''));
  const r = her2cn(['coverage', bam, '--min-mapq', '0']);
  expect(r.status, r.stderr).toBe(0);
  const ours = ourTable(r.stdout);
  for (const [key, depthAndReads] of bedcov(bam, bed)) expect(ours.get(key), key).toEqual(depthAndReads);
  if (haveMosdepth) {
    for (const [key, mean] of mosdepthMeans(bam, bed, dir)) expect(Math.abs(Number(ours.get(key)![0]) - mean), key).toBeLessThanOrEqual(0.0051);
  }
}

let dir: string;
let rna: string;

beforeAll(() => {
  dir = tempDir('her2cn-hostile-reads-');
  // An RNA-like BAM: over every probe, reads that splice over the middle of it (40M 60N 40M), some not spliced.
  rna = join(dir, 'rna.bam');
  const records: AlignmentRecord[] = [];
  for (const p of panel.probes) {
    for (let k = 0; k < 30; k++) {
      const pos = p.start - 30 + 3 * k;
      const cigar: [string, number][] = k % 10 === 0 ? [['M', 100]] : [['M', 40], ['N', 60], ['M', 40]];
      records.push({ name: `r${p.chrom}-${pos}-${k}`, flag: 0, refId: refId(p.chrom), pos, mapq: 60, cigar, nextRefId: -1, nextPos: -1, tlen: 0, tags: { RG: 'rna' } });
    }
  }
  records.sort((a, b) => a.refId - b.refId || a.pos - b.pos);
  const w = new BamWriter(rna, '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:rna\tSM:RNA1\n', refs);
  for (const r of records) w.add(r);
  w.close();
});

describe('spliced reads (CIGAR N)', () => {
  it.skipIf(!haveSamtools)('cover only their aligned bases, as samtools bedcov -j and mosdepth count them, and count as reads as bedcov -c does', () => {
    expectAgreement(rna, dir);
  });

  it('are measured and said by coverage, which still reports the depths', () => {
    const r = her2cn(['coverage', rna]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*rna\.bam: 8397 of 9330 reads on the probes \(90%\) are spliced \(CIGAR N, as an RNA aligner writes\); their skipped bases are not counted as coverage.*; is it an RNA-seq BAM\?/);
    expect(r.stderr).toMatch(/9330 passing reads on probes \(8397 spliced \(CIGAR N\)\)/);
  });

  it('make an RNA-like BAM refused by call and pon, never called', () => {
    const out = join(dir, 'call');
    expectRefusal(her2cn(['call', rna, '--out', out]), 1, /rna\.bam: 8397 of 9330 reads on the probes \(90%\) are spliced .*: is it an RNA-seq BAM\? her2cn calls DNA capture libraries; give the DNA BAM/);
    expect(filesUnder(out)).toEqual([]);
    expectRefusal(her2cn(['pon', join(TEST_DATA, 'N01.bam'), join(TEST_DATA, 'N02.bam'), rna, '-o', join(dir, 'pon.json')]), 1, /rna\.bam: .* are spliced/);
    expect(filesUnder(dir).filter(f => f.startsWith('pon'))).toEqual([]);
  });

  it.skipIf(!haveSamtools)('a few in a DNA BAM are counted as samtools does and said, and the sample is called', () => {
    const few = join(dir, 'few.bam');
    const w = new BamWriter(join(dir, 'spliced20.bam'), '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:T01\tSM:T01\n', refs);
    const erbb2 = panel.probes.filter(p => p.gene === 'ERBB2').slice(0, 20);
    for (const p of erbb2) w.add({ name: `s${p.start}`, flag: 0, refId: refId(p.chrom), pos: p.start - 20, mapq: 60, cigar: [['M', 30], ['N', 500], ['M', 30]], nextRefId: -1, nextPos: -1, tlen: 0, tags: { RG: 'T01' } });
    w.close();
    execFileSync('samtools', ['merge', '-f', '-o', few, join(TEST_DATA, 'T01.bam'), join(dir, 'spliced20.bam')]);
    execFileSync('samtools', ['index', few]);
    const out = join(dir, 'few');
    const r = her2cn(['call', few, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*few\.bam: 20 of \d+ reads on the probes \(0\.1%\) are spliced/);
    expect(r.stdout).toMatch(/^T01\tamplified/);
  });
});

describe('CIGARs of more than 65,535 operations (kept in the CG tag)', () => {
  let long: string;
  beforeAll(() => {
    if (!haveSamtools) return;
    // Three long reads over ERBB2's probes, as SAM text: samtools writes their CIGARs into CG when it makes the BAM.
    const first = panel.probes.find(p => p.gene === 'ERBB2')!;
    const reads = [
      { pos: first.start - 500, unit: '1M1D', times: 35_000, bases: 35_000 },
      { pos: first.start - 200, unit: '2M1D', times: 33_000, bases: 66_000 },
      { pos: first.start + 100, unit: '1M1I', times: 34_000, bases: 68_000 },
    ];
    const sam =
      '@HD\tVN:1.6\tSO:coordinate\n' +
      refs.map(r => `@SQ\tSN:${r.name}\tLN:${r.length}\n`).join('') +
      '@RG\tID:long\tSM:LONG\n' +
      reads.map((r, i) => `long${i}\t0\t${first.chrom}\t${r.pos + 1}\t60\t${r.unit.repeat(r.times)}\t*\t0\t0\t${'A'.repeat(r.bases)}\t*\tRG:Z:long\n`).join('');
    long = join(dir, 'long.bam');
    write(join(dir, 'long.sam'), sam);
    execFileSync('samtools', ['view', '-b', '-o', long, join(dir, 'long.sam')]);
    execFileSync('samtools', ['index', long]);
  });

  it.skipIf(!haveSamtools)('are read from CG: depths as samtools bedcov -j and mosdepth give them, not zero', () => {
    const r = her2cn(['coverage', long, '--min-mapq', '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 passing reads on probes \(3 with the CIGAR in the CG tag\)/);
    const depths = [...ourTable(r.stdout).values()].map(([d]) => Number(d));
    expect(Math.max(...depths)).toBeGreaterThan(1);
    expectAgreement(long, dir);
  });

  it.skipIf(!haveSamtools)('give a CRAM the same depths as the BAM', () => {
    const cram = join(dir, 'long.cram');
    execFileSync('samtools', ['view', '-C', '--output-fmt-option', 'no_ref', '-o', cram, long]);
    execFileSync('samtools', ['index', cram]);
    const fromCram = her2cn(['coverage', cram, '--min-mapq', '0']);
    expect(fromCram.status, fromCram.stderr).toBe(0);
    expect(fromCram.stdout).toBe(her2cn(['coverage', long, '--min-mapq', '0']).stdout);
  });
});
