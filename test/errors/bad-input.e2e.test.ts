// Wrong input must be refused or flagged, never called: each case feeds a
// real bad file made here and checks the exit code, the one-line error and
// that no result is left behind.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMOSOME_LENGTHS } from '../../src/panel/builds.js';
import { readBed } from '../../src/panel/bed.js';
import { IndexBuilder } from '../../src/simulate/index-writer.js';
import { type AlignmentRecord, BamWriter, encodeHeader, encodeRecord, referenceLength } from '../../src/simulate/bam-writer.js';
import { BgzfWriter } from '../../src/output/bgzf-writer.js';
import { cohort } from '../../src/simulate/cohort.js';
import { COMMITTED_SEED } from '../../src/simulate/seed.js';
import { writeSampleBam } from '../../src/simulate/write.js';
import { DEMO_PANEL, expectRefused, ROOT, runCli, tempDir, TEST_DATA, toolAvailable } from '../helpers.js';

const PON = join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json');
const panel = readBed(DEMO_PANEL);

function refsOf(build: 'GRCh38' | 'GRCh37', prefix = 'chr') {
  return Object.entries(CHROMOSOME_LENGTHS[build]).map(([name, length]) => ({ name: name.replace(/^chr/, prefix), length }));
}

/** Reads tiling the ERBB2 probes, as a small BAM with the given header. */
function smallBam(path: string, refs: { name: string; length: number }[], headerText = '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:x\tSM:x\n'): void {
  const w = new BamWriter(path, headerText, refs);
  const chr17 = refs.findIndex(r => r.name.replace(/^chr/, '') === '17');
  for (let pos = 39_690_000; pos < 39_740_000; pos += 20) w.add({ name: `r${pos}`, flag: 0, refId: chr17, pos, mapq: 60, cigar: [['M', 100]], nextRefId: -1, nextPos: -1, tlen: 0 });
  w.close();
}


describe('genome build and naming', () => {
  it('refuses a GRCh37 BAM against the GRCh38 panel of normals', () => {
    const dir = tempDir();
    smallBam(join(dir, 'b37.bam'), refsOf('GRCh37'));
    expectRefused(['call', join(dir, 'b37.bam'), '--out', join(dir, 'out')], /b37.bam: the BAM is aligned to GRCh37 but 53 ERBB2 probes of the panel .* are not on ERBB2 in GRCh37; panel and BAM are from different genome builds/, join(dir, 'out'));
  });

  it('refuses a GRCh37 BAM against the GRCh38 panel in coverage and pon too', () => {
    const dir = tempDir();
    smallBam(join(dir, 'b37.bam'), refsOf('GRCh37'));
    expectRefused(['coverage', join(dir, 'b37.bam'), '-o', join(dir, 'cov.tsv')], /aligned to GRCh37 but 53 ERBB2 probes of the panel .* are not on ERBB2 in GRCh37/);
    expect(existsSync(join(dir, 'cov.tsv'))).toBe(false);
    for (const n of ['a', 'b', 'c']) smallBam(join(dir, `${n}.bam`), refsOf('GRCh37'));
    expectRefused(['pon', join(dir, 'a.bam'), join(dir, 'b.bam'), join(dir, 'c.bam'), '-o', join(dir, 'pon.json')], /different genome builds/);
    expect(existsSync(join(dir, 'pon.json'))).toBe(false);
  });

  it('refuses a GRCh38 BAM against a GRCh37 panel of normals', () => {
    const dir = tempDir();
    const pon = JSON.parse(readFileSync(PON, 'utf8'));
    pon.build = 'GRCh37';
    writeFileSync(join(dir, 'pon37.json'), JSON.stringify(pon));
    expectRefused(['call', join(TEST_DATA, 'T01.bam'), '--pon', join(dir, 'pon37.json'), '--out', join(dir, 'out')], /aligned to GRCh38 but the panel of normals .* was built on GRCh37/, join(dir, 'out'));
  });

  it('refuses a BAM that lacks the panel\'s chromosomes', () => {
    const dir = tempDir();
    smallBam(join(dir, 'only17.bam'), [{ name: 'chr17', length: CHROMOSOME_LENGTHS.GRCh38.chr17 }]);
    expectRefused(['call', join(dir, 'only17.bam'), '--out', join(dir, 'out')], /has no chromosome chr1, chr2/, join(dir, 'out'));
  });

  it('accepts a panel of normals named "17" for a "chr17" BAM, with the same result', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pon17.json'), readFileSync(PON, 'utf8').replace(/"chr([0-9XYM]+)"/g, '"$1"'));
    const a = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', join(dir, 'a'), '--json']);
    const b = runCli(['call', join(TEST_DATA, 'T01.bam'), '--pon', join(dir, 'pon17.json'), '--out', join(dir, 'b'), '--json']);
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).log2).toBe(JSON.parse(a.stdout).log2);
  });
});

describe('BAM files', () => {
  it('refuses a BAM whose header says it is not coordinate-sorted', () => {
    const dir = tempDir();
    smallBam(join(dir, 'qname.bam'), refsOf('GRCh38'), '@HD\tVN:1.6\tSO:queryname\n');
    expectRefused(['coverage', join(dir, 'qname.bam')], /sorted by queryname, not by coordinate/);
  });

  it('refuses a BAM whose records are out of order despite its header', () => {
    const dir = tempDir();
    const path = join(dir, 'unsorted.bam');
    const refs = refsOf('GRCh38');
    const bgzf = new BgzfWriter(path);
    bgzf.write(encodeHeader('@HD\tVN:1.6\tSO:coordinate\n', refs));
    bgzf.flush();
    const bai = new IndexBuilder(refs.length);
    const records: AlignmentRecord[] = [39_700_100, 39_700_000, 39_700_050].map(pos => ({ name: `r${pos}`, flag: 0, refId: 16, pos, mapq: 60, cigar: [['M', 100]], nextRefId: -1, nextPos: -1, tlen: 0 }));
    for (const r of records) {
      const start = bgzf.virtualOffset;
      bgzf.write(encodeRecord(r));
      bai.add(r.refId, r.pos, r.pos + referenceLength(r.cigar), false, start, bgzf.virtualOffset);
    }
    bgzf.close();
    bai.write(`${path}.bai`);
    expectRefused(['coverage', path], /not coordinate-sorted/);
  });

  it('refuses a truncated BAM and names the file', () => {
    const dir = tempDir();
    const bytes = readFileSync(join(TEST_DATA, 'T01.bam'));
    writeFileSync(join(dir, 'cut.bam'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    copyFileSync(join(TEST_DATA, 'T01.bam.csi'), join(dir, 'cut.bam.csi'));
    expectRefused(['call', join(dir, 'cut.bam'), '--out', join(dir, 'out')], /cut.bam: .*truncated/, join(dir, 'out'));
  });

  it('refuses a BAM with a corrupted BGZF block', () => {
    const dir = tempDir();
    const bytes = Buffer.from(readFileSync(join(TEST_DATA, 'T01.bam')));
    // damage the compressed data of a block in the middle of the file
    let block = 0;
    for (let k = 0; k < 8; k++) block += bytes.readUInt16LE(block + 16) + 1;
    const at = block + 18 + 200;
    bytes[at] ^= 0xff;
    bytes[at + 1] ^= 0x5a;
    writeFileSync(join(dir, 'bad.bam'), bytes);
    copyFileSync(join(TEST_DATA, 'T01.bam.csi'), join(dir, 'bad.bam.csi'));
    expectRefused(['coverage', join(dir, 'bad.bam')], /bad.bam: corrupted BGZF block at byte \d+/);
  });

  it('says so when given SAM text, a damaged CRAM, or a CRAM named as a BAM (CRAMs are read: test/coverage/cram.e2e.test.ts)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.sam'), '@HD\tVN:1.6\n');
    expectRefused(['coverage', join(dir, 'x.sam')], /x\.sam: looks like SAM text; convert it to an indexed BAM/);
    const cram = Buffer.concat([Buffer.from('CRAM'), Buffer.from([3, 0]), Buffer.alloc(100)]);
    writeFileSync(join(dir, 'x.cram'), cram);
    expectRefused(['coverage', join(dir, 'x.cram')], /x\.cram: no CRAM end-of-file container: the CRAM is truncated/);
    writeFileSync(join(dir, 'old.cram'), Buffer.concat([Buffer.from('CRAM'), Buffer.from([1, 0]), Buffer.alloc(100)]));
    expectRefused(['coverage', join(dir, 'old.cram')], /old\.cram: CRAM version 1\.0 is not supported/);
    writeFileSync(join(dir, 'x.bam'), cram);
    expectRefused(['coverage', join(dir, 'x.bam')], /x\.bam: named as a BAM file but it is a CRAM file/);
    writeFileSync(join(dir, 'empty.bam'), '');
    expectRefused(['coverage', join(dir, 'empty.bam')], /empty\.bam: the file is empty/);
  });

  it('reads a BAM with the BAI the simulator writes like the committed one with its CSI', () => {
    // test-data/ holds CSIs (small: no linear index); the same BAM written again with a BAI instead.
    const dir = tempDir();
    const spec = cohort({ seed: COMMITTED_SEED }).find(s => s.name === 'T04')!;
    writeSampleBam(spec, panel.probes, join(dir, 'T04.bam'), COMMITTED_SEED, { index: 'bai' });
    expect(readdirSync(dir).sort()).toEqual(['T04.bam', 'T04.bam.bai']);
    expect(readFileSync(join(dir, 'T04.bam')).equals(readFileSync(join(TEST_DATA, 'T04.bam')))).toBe(true);
    const bai = runCli(['coverage', join(dir, 'T04.bam')]);
    expect(bai.status, bai.stderr).toBe(0);
    expect(bai.stdout).toBe(runCli(['coverage', join(TEST_DATA, 'T04.bam')]).stdout);
  });

  it.skipIf(!toolAvailable('samtools'))('reads a BAM indexed by samtools, with BAI or CSI, like one with the simulator\'s CSI', () => {
    const committed = runCli(['coverage', join(TEST_DATA, 'T04.bam')]).stdout;
    for (const [option, index] of [[[], 'T04.bam.bai'], [['-c'], 'T04.bam.csi']] as const) {
      const dir = tempDir();
      copyFileSync(join(TEST_DATA, 'T04.bam'), join(dir, 'T04.bam'));
      execFileSync('samtools', ['index', ...option, join(dir, 'T04.bam')]);
      expect(readdirSync(dir).sort()).toEqual(['T04.bam', index]);
      const r = runCli(['coverage', join(dir, 'T04.bam')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout, index).toBe(committed);
    }
  });
});

describe('samples that cannot be called are no-calls, never "not amplified"', () => {
  it('a BAM with no reads on the panel', () => {
    const dir = tempDir();
    const w = new BamWriter(join(dir, 'empty.bam'), '@HD\tVN:1.6\tSO:coordinate\n', refsOf('GRCh38'));
    w.add({ name: 'far', flag: 0, refId: 0, pos: 10_000, mapq: 60, cigar: [['M', 100]], nextRefId: -1, nextPos: -1, tlen: 0 });
    w.close();
    const r = runCli(['call', join(dir, 'empty.bam'), '--out', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.call).toBe('no_call');
    expect(d.qc.reasons.join(' ')).toMatch(/too few usable ERBB2 probes: 0/);
  });

  it('a tumour with no reads on ERBB2 (homozygous loss)', () => {
    const dir = tempDir();
    const spec = cohort({ seed: COMMITTED_SEED }).find(s => s.name === 'T10')!;
    writeSampleBam({ ...spec, name: 'LOSS', purity: 1, amplicon: { extent: 'erbb2', start: 39_680_000, end: 39_735_000, copies: 0, fraction: 1 } }, panel.probes, join(dir, 'LOSS.bam'), 'loss');
    const r = runCli(['call', join(dir, 'LOSS.bam'), '--out', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.call).toBe('no_call');
    expect(d.probes.used).toBe(0);
    expect(d.qc.reasons.join(' ')).toMatch(/too few usable ERBB2 probes/);
  });

  it('warns when --sample differs from the BAM\'s read groups', () => {
    const dir = tempDir();
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--sample', 'T99', '--out', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: .*T01.bam: --sample T99 differs from the BAM's read-group sample T01/);
  });
});

describe('panels of normals', () => {
  it('flags a probe no normal covers, and the call leaves it out', () => {
    const dir = tempDir();
    const bed = join(dir, 'panel.bed');
    writeFileSync(bed, readFileSync(DEMO_PANEL, 'utf8') + 'chr1\t5000\t5120\tEMPTY_p1\t0\t+\t0.5\n');
    const normals = Array.from({ length: 10 }, (_, i) => join(TEST_DATA, `N${String(i + 1).padStart(2, '0')}.bam`));
    expect(runCli(['pon', ...normals, '--panel', bed, '-o', join(dir, 'pon.json')]).status).toBe(0);
    const pon = JSON.parse(readFileSync(join(dir, 'pon.json'), 'utf8'));
    expect(pon.probes.flags[pon.probes.name.indexOf('EMPTY_p1')]).toBe('no_coverage');
    expect(runCli(['call', join(TEST_DATA, 'T01.bam'), '--pon', join(dir, 'pon.json'), '--out', dir]).status).toBe(0);
    const row = readFileSync(join(dir, 'T01.probes.tsv'), 'utf8').split('\n').find(l => l.includes('EMPTY_p1'))!;
    expect(row.split('\t').slice(5, 8)).toEqual(['NA', '0', 'pon_no_coverage,zero_depth']);
  });

  it('refuses a damaged panel of normals', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pon.json'), readFileSync(PON, 'utf8').slice(0, 5000));
    expectRefused(['call', join(TEST_DATA, 'T01.bam'), '--pon', join(dir, 'pon.json'), '--out', join(dir, 'out')], /pon.json: not valid JSON/, join(dir, 'out'));
  });
});

describe('file names and indexes', () => {
  it('refuses to replace the result of another sample whose name makes the same file name', () => {
    const dir = tempDir();
    expect(runCli(['call', join(TEST_DATA, 'T01.bam'), '--sample', 'a/b', '--out', dir]).status).toBe(0);
    const before = readFileSync(join(dir, 'a_b.her2cn.json'), 'utf8');
    expectRefused(['call', join(TEST_DATA, 'T10.bam'), '--sample', 'a_b', '--out', dir], /a_b.her2cn.json: holds the result of sample "a\/b"/);
    expect(readFileSync(join(dir, 'a_b.her2cn.json'), 'utf8')).toBe(before);
    // the same sample again is a rerun and replaces its own result
    expect(runCli(['call', join(TEST_DATA, 'T01.bam'), '--sample', 'a/b', '--out', dir]).status).toBe(0);
    // a file of someone else's under a result's name is not replaced, even one that names the sample
    for (const mine of ['{"note":"mine"}\n', '{"sample":"T10","note":"mine"}\n']) {
      writeFileSync(join(dir, 'T10.her2cn.json'), mine);
      expectRefused(['call', join(TEST_DATA, 'T10.bam'), '--out', dir], /T10\.her2cn\.json: exists and is not a her2cn result; move it away or choose another --out/);
      expect(readFileSync(join(dir, 'T10.her2cn.json'), 'utf8')).toBe(mine);
    }
  });

  it('warns when the index is older than the BAM', () => {
    const dir = tempDir();
    copyFileSync(join(TEST_DATA, 'T01.bam.csi'), join(dir, 'T01.bam.csi'));
    utimesSync(join(dir, 'T01.bam.csi'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    copyFileSync(join(TEST_DATA, 'T01.bam'), join(dir, 'T01.bam'));
    const r = runCli(['coverage', join(dir, 'T01.bam')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: .*T01.bam.csi is older than .*T01.bam; if the BAM was rewritten, re-index it/);
  });

  it('refuses an index that belongs to another, larger BAM', () => {
    const dir = tempDir();
    copyFileSync(join(TEST_DATA, 'T13.bam'), join(dir, 'small.bam'));
    copyFileSync(join(TEST_DATA, 'T02.bam.csi'), join(dir, 'small.bam.csi'));
    expectRefused(['coverage', join(dir, 'small.bam')], /index .*belongs to another file|points past the end|index belongs to another file/);
    // and a BAI (read by her2cn itself, not @gmod/bam) of the larger BAM
    rmSync(join(dir, 'small.bam.csi'));
    writeSampleBam(cohort({ seed: COMMITTED_SEED }).find(s => s.name === 'T02')!, panel.probes, join(dir, 'T02.bam'), COMMITTED_SEED, { index: 'bai' });
    copyFileSync(join(dir, 'T02.bam.bai'), join(dir, 'small.bam.bai'));
    expectRefused(['coverage', join(dir, 'small.bam')], /small\.bam\.bai: the index points past the end of .*small\.bam; it belongs to another file/);
  });
});

describe('panel files', () => {
  it.each([
    ['empty.bed', '', /empty.bed: no probes found/],
    ['comments.bed', 'track name=x\n# nothing else\n', /comments.bed: no probes found/],
    ['bad.bed', 'chr17\t39700063\t39700183\tERBB2_1\nchr17\t39700300\n', /bad.bed line 2: expected at least 3 tab-separated columns/],
  ])('refuses %s from the command line', (name, text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), text);
    expectRefused(['coverage', join(TEST_DATA, 'T01.bam'), '--panel', join(dir, name), '-o', join(dir, 'cov.tsv')], message);
    expect(existsSync(join(dir, 'cov.tsv'))).toBe(false);
  });
});
