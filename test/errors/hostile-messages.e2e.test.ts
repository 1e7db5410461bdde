// Messages that must name the real problem and its fix: compressed, BOM-
// prefixed, UTF-16, binary or space-separated BEDs; a probe named ERBB2 on
// another chromosome; a header's sort order in words; truth-table names
// that differ from the results' only in case (matched as batch treats them,
// and said; refused where ambiguous); a panel whose genes are read with
// --gene-pattern, in pon and call alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMOSOME_LENGTHS } from '../../src/panel/builds.js';
import { geneOf, readBed } from '../../src/panel/bed.js';
import { BamWriter } from '../../src/simulate/bam-writer.js';
import { DEMO_PANEL, TEST_DATA, tempDir } from '../helpers.js';
import { expectRefusal, filesUnder, her2cn, write } from './hostile.js';

const T01 = join(TEST_DATA, 'T01.bam');
const T13 = join(TEST_DATA, 'T13.bam');
const BED = readFileSync(DEMO_PANEL, 'utf8');
const refs = Object.entries(CHROMOSOME_LENGTHS.GRCh38).map(([name, length]) => ({ name, length }));

describe('panel BEDs as editors and vendors save them', () => {
  let plain: string;
  beforeAll(() => {
    plain = her2cn(['coverage', T13]).stdout;
  });

  it('a gzip- or bgzip-compressed BED is read as the plain one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.bed.gz'), gzipSync(BED));
    const r = her2cn(['coverage', T13, '--panel', join(dir, 'p.bed.gz')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(plain);
  });

  it('a BED starting with a UTF-8 byte-order mark is read as the plain one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bom.bed'), '\uFEFF' + BED);
    const r = her2cn(['coverage', T13, '--panel', join(dir, 'bom.bed')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(plain);
  });

  it.each([
    ['UTF-16 text', (d: string) => write(join(d, 'u16.bed'), Buffer.from('\uFEFF' + BED, 'utf16le')), /u16\.bed: is UTF-16 text \(as some Windows editors save\); save it as UTF-8 or plain ASCII text/],
    ['a BAM', () => T13, /T13\.bam: is a BAM file, not a panel BED; give the capture panel's BED with --panel/],
    ['a binary file', (d: string) => write(join(d, 'bin.bed'), Buffer.from([0x63, 0x68, 0x72, 0, 1, 2, 3])), /bin\.bed: is a binary file \(a NUL byte at byte 4\), not a text BED/],
    ['space-separated columns', (d: string) => write(join(d, 'spaces.bed'), BED.replace(/\t/g, ' ')), /spaces\.bed line 3: expected at least 3 tab-separated columns \(chrom, start, end\), found 1; its columns are separated by spaces: BED needs tabs/],
  ])('%s as --panel is named for what it is', (_, make, message) => {
    const dir = tempDir();
    expectRefusal(her2cn(['coverage', T13, '--panel', make(dir), '-o', join(dir, 'cov.tsv')]), 1, message);
    expect(filesUnder(dir).filter(f => f === 'cov.tsv')).toEqual([]);
  });
});

describe('probes named ERBB2 where ERBB2 is not', () => {
  it('on another chromosome: the probe is named, not the genome build', () => {
    const dir = tempDir();
    const bed = write(join(dir, 'p.bed'), BED + 'chr1\t5000\t5120\tERBB2_misplaced\t0\t+\t0.5\n');
    const line = expectRefusal(her2cn(['coverage', T13, '--panel', bed]), 1, /p\.bed: 1 probe named as ERBB2 lies off chromosome 17 \(first: ERBB2_misplaced at chr1:5001-5120\), but ERBB2 is on chromosome 17: fix its name in the BED's name column/);
    expect(line).not.toMatch(/genome build/);
  });

  it('on chromosome 17 but outside the gene: said so, with the gene\'s span', () => {
    const dir = tempDir();
    const bed = write(join(dir, 'p.bed'), BED + 'chr17\t7000000\t7000120\tERBB2_far\t0\t+\t0.5\n');
    expectRefusal(her2cn(['coverage', T13, '--panel', bed]), 1, /p\.bed: 1 of the 54 probes named as ERBB2 lies outside ERBB2 \(chr17:39,687,914-39,730,426 in GRCh38, the build of .*T13\.bam\) \(first: ERBB2_far at chr17:7000001-7000120\)/);
  });
});

describe("a header's sort order", () => {
  it.each([
    ['unsorted', /BAM header says it is unsorted \(@HD SO:unsorted\); sort it by coordinate with 'samtools sort' and index it/],
    ['unknown', /BAM header says its sort order is unknown \(@HD SO:unknown\), and her2cn needs coordinate order/],
    ['queryname', /BAM header says it is sorted by queryname, not by coordinate \(@HD SO:queryname: by read name\)/],
    ['random', /BAM header gives the sort order 'random' \(@HD SO:random\), which is none of SAM's/],
  ])('SO:%s is put in words', (order, message) => {
    const dir = tempDir();
    const w = new BamWriter(join(dir, 'x.bam'), `@HD\tVN:1.6\tSO:${order}\n`, refs);
    w.add({ name: 'r', flag: 0, refId: 16, pos: 39_700_000, mapq: 60, cigar: [['M', 100]], nextRefId: -1, nextPos: -1, tlen: 0 });
    w.close();
    const line = expectRefusal(her2cn(['coverage', join(dir, 'x.bam')]), 1, message);
    expect(line).not.toMatch(/sorted by unsorted|sorted by unknown/);
  });
});

describe('truth-table names that differ from the results\' only in case', () => {
  const tumours = ['T01', 'T04', 'T10', 'T11'];
  let results: string;
  beforeAll(() => {
    results = join(tempDir(), 'results');
    for (const t of tumours) expect(her2cn(['call', join(TEST_DATA, `${t}.bam`), '--out', results]).status).toBe(0);
  });

  it('are matched as batch treats them (one sample), and said', () => {
    const dir = tempDir();
    const truth = readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8');
    const lower = write(join(dir, 'lower.tsv'), truth.replace(/^T(\d\d)\t/gm, 't$1\t'));
    const exact = her2cn(['validate', results, '--truth', join(TEST_DATA, 'truth.tsv'), '--out', join(dir, 'exact')]);
    const loose = her2cn(['validate', results, '--truth', lower, '--out', join(dir, 'loose')]);
    expect(loose.status, loose.stderr).toBe(0);
    expect(loose.stderr).toMatch(/warning: .*lower\.tsv: 4 samples matched ignoring case \(t01 = T01, t04 = T04, t10 = T10, t11 = T11\); name them as the results do to silence this/);
    expect(loose.stdout).toBe(exact.stdout);
    expect(loose.stdout).toMatch(/\tn=4\t/);
  });

  it('are refused, naming them, when case alone cannot tell which result is meant', () => {
    const dir = tempDir();
    expect(her2cn(['call', T01, '--sample', 'ABC', '--out', join(dir, 'a')]).status).toBe(0);
    expect(her2cn(['call', join(TEST_DATA, 'T02.bam'), '--sample', 'Abc', '--out', join(dir, 'b')]).status).toBe(0);
    const truth = write(join(dir, 'truth.tsv'), 'sample\tfish\nabc\tpositive\n');
    expectRefusal(her2cn(['validate', join(dir, 'a'), join(dir, 'b'), '--truth', truth, '--out', join(dir, 'v')]), 1, /truth\.tsv: the names "abc", "ABC", "Abc" differ only in case \(truth: abc; results: ABC, Abc\), so which result a truth row means cannot be told/);
    expect(filesUnder(join(dir, 'v'))).toEqual([]);
  });
});

describe('a panel whose gene names need --gene-pattern', () => {
  // The demo panel renamed '<probe>|<gene>': the default reading takes the probe, not the gene.
  let dir: string;
  let bed: string;
  const normals = ['N01', 'N02', 'N03'].map(n => join(TEST_DATA, `${n}.bam`));
  const pattern = '\\|(.+)$';
  beforeAll(() => {
    dir = tempDir();
    const panel = readBed(DEMO_PANEL);
    bed = write(join(dir, 'piped.bed'), panel.probes.map((p, i) => `${p.chrom}\t${p.start}\t${p.end}\tp${i}|${geneOf(p.name)}\n`).join(''));
  });

  it('is refused by pon at once without it, naming the genes found and the fix', () => {
    const line = expectRefusal(her2cn(['pon', ...normals, '--panel', bed, '-o', join(dir, 'refused.json')]), 1, /piped\.bed: no probe's gene is ERBB2 \(genes found: p0, p1, p2, p3, p4, p5, … \(311 in all\); the gene is the name up to the first _ ; \| , or :\); name ERBB2's probes ERBB2_… in the BED name column, or give --gene-pattern/);
    expect(line).toBeDefined();
    expect(filesUnder(dir)).toEqual(['piped.bed']);
  });

  it('builds a PoN with it that call uses; call --panel needs the same pattern', () => {
    const pon = join(dir, 'pon.json');
    const built = her2cn(['pon', ...normals, '--panel', bed, '--gene-pattern', pattern, '-o', pon]);
    expect(built.status, built.stderr).toBe(0);
    const r = her2cn(['call', T01, '--pon', pon, '--out', join(dir, 'a'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).call).toBe('amplified');
    expectRefusal(her2cn(['call', T01, '--pon', pon, '--panel', bed, '--out', join(dir, 'b')]), 1, /piped\.bed: probe p0\|chr1-backbone \(chr1:31119494-31119613\) is read as gene p0, but the panel of normals .*pon\.json has it as chr1-backbone; give the --gene-pattern that was given to 'her2cn pon', or leave out --panel/);
    const same = her2cn(['call', T01, '--pon', pon, '--panel', bed, '--gene-pattern', pattern, '--out', join(dir, 'c'), '--json']);
    expect(same.status, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout).log2).toBe(JSON.parse(r.stdout).log2);
  });
});
