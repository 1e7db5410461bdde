// CRAM input: the committed BAMs converted by samtools, read by her2cn, must
// give exactly the BAM's per-probe depths, read counts, statistics, insert
// size and so the same call. Two kinds of CRAM: T01 with its reads given
// the bases of a stand-in GRCh38 made here and chromosome 17's compressed
// against it, as real CRAMs are, and reference-less `no_ref` CRAMs of four
// kinds of tumour and the ten normals.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { callErbb2 } from '../../src/call/call.js';
import { measureInput } from '../../src/coverage/input.js';
import { readBed } from '../../src/panel/bed.js';
import { readPon } from '../../src/pon/file.js';
import { ponProbes } from '../../src/pon/pon.js';
import { grch38References, writeSampleBam } from '../../src/simulate/write.js';
import { deepAmplicon, DEMO_PANEL, execFileAsync, expectRefused, ROOT, runCli, tempDir, TEST_DATA, toolAvailable } from '../helpers.js';
import { type FixtureGenome, withM5, withSequences, writeFixtureGenome } from './genome-fixture.js';

const PON = join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json');
const panel = readBed(DEMO_PANEL);
/** One of each kind: amplified (T01), borderline below the cut-off (T07), FFPE with short, overlapping mates (T11), a no-call (T13). */
const TUMOURS = ['T01', 'T07', 'T11', 'T13'];
const NORMALS = Array.from({ length: 10 }, (_, i) => `N${String(i + 1).padStart(2, '0')}`);
const haveSamtools = toolAvailable('samtools');

let dir: string;
let genome: FixtureGenome;
/** T01 as a CRAM whose reads carry bases, chromosome 17's stored against the reference. */
let t01Cram: string;
const noRef = (sample: string) => join(dir, 'no_ref', `${sample}.cram`);

function samtools(args: string[], input?: string): void {
  execFileSync('samtools', args, { input, maxBuffer: 1 << 30 });
}

/**
 * A coordinate-sorted SAM as one indexed CRAM whose containers of `chrom` are
 * stored against `reference` and the others without one (each container says
 * whether it needs the reference). htslib loads every chromosome it encodes
 * against whole: 3.1 Gb of the stand-in GRCh38, about 20 s, for T01's reads
 * on all of them; chromosome 17 (ERBB2, most of the reads) alone takes 0.7 s.
 * 1,000 reads per slice: the test data is shallow, and slices this small over
 * the probes are what htslib's 10,000 make at clinical depth (each holds one
 * chromosome and records its MD5).
 */
function writeMixedCram(sam: string, chrom: string, reference: string, out: string): void {
  const lines = sam.split('\n').filter(l => l !== '');
  const header = lines.filter(l => l.startsWith('@'));
  const order = header.filter(l => l.startsWith('@SQ\t')).map(l => /\tSN:([^\t]+)/.exec(l)![1]);
  const at = order.indexOf(chrom);
  const parts: string[][] = [[], [], []];
  for (const l of lines) {
    if (l.startsWith('@')) continue;
    const rank = order.indexOf(l.split('\t', 3)[2]); // unmapped reads ('*', -1) sort last
    parts[rank === at ? 1 : rank >= 0 && rank < at ? 0 : 2].push(l);
  }
  const files = parts.map((reads, i) => {
    const file = `${out}.part${i}`;
    const ref = i === 1 ? ['-T', reference] : ['--output-fmt-option', 'no_ref=1'];
    samtools(['view', '-C', ...ref, '--output-fmt-option', 'seqs_per_slice=1000', '-o', file, '-'], [...header, ...reads, ''].join('\n'));
    return file;
  });
  samtools(['cat', '-o', out, ...files]);
  samtools(['index', out]);
  for (const f of files) rmSync(f);
}

/** The read statistics of coverage's summary line: passing reads and skipped reads by reason. */
const readStats = (stderr: string) => /\d+ passing reads on probes \(skipped: [^)]*\)/.exec(stderr)![0];


describe.skipIf(!haveSamtools)('CRAM input', () => {
  beforeAll(async () => {
    dir = tempDir('her2cn-cram-');
    genome = writeFixtureGenome(join(dir, 'ref.fa.gz'), grch38References(), panel.probes);
    const sam = execFileSync('samtools', ['view', '-h', join(TEST_DATA, 'T01.bam')], { encoding: 'utf8', maxBuffer: 1 << 30 });
    t01Cram = join(dir, 'T01.cram');
    writeMixedCram(withM5(withSequences(sam, genome), genome), 'chr17', genome.path, t01Cram);
    mkdirSync(join(dir, 'no_ref'));
    // Two at a time, each CRAM indexed as it is written.
    const queue = [...TUMOURS, ...NORMALS];
    await Promise.all(
      [0, 1].map(async () => {
        for (let s = queue.shift(); s; s = queue.shift()) {
          await execFileAsync('samtools', ['view', '-C', '--output-fmt-option', 'no_ref=1', '--write-index', '-o', noRef(s), join(TEST_DATA, `${s}.bam`)]);
        }
      }),
    );
  });

  it('counts the same depths, reads and read statistics as the BAM it was made from (reference-based CRAM, reads with bases)', () => {
    // The reads really are stored against the reference: samtools restores their bases from it.
    const restored = execFileSync('samtools', ['view', '-T', genome.path, t01Cram, 'chr17:39700000-39700100'], { encoding: 'utf8' }).split('\n')[0].split('\t');
    expect(restored[9]).toMatch(/^[ACGT]{100,}$/);
    const bam = runCli(['coverage', join(TEST_DATA, 'T01.bam')]);
    const cram = runCli(['coverage', t01Cram, '--reference', genome.path]);
    expect(cram.status, cram.stderr).toBe(0);
    expect(cram.stdout).toBe(bam.stdout);
    expect(readStats(cram.stderr)).toBe(readStats(bam.stderr));
    // The reference is only checked, never needed: the same without it.
    const without = runCli(['coverage', t01Cram]);
    expect(without.stdout).toBe(bam.stdout);
  });

  it('counts the same from a reference-less (no_ref) CRAM', () => {
    const bam = runCli(['coverage', join(TEST_DATA, 'T01.bam')]);
    const cram = runCli(['coverage', noRef('T01')]);
    expect(cram.status, cram.stderr).toBe(0);
    expect(cram.stdout).toBe(bam.stdout);
    expect(readStats(cram.stderr)).toBe(readStats(bam.stderr));
  });

  it('gives amplified, borderline, FFPE and no-call tumours the same depths, insert size and call as their BAMs', async () => {
    const pon = await readPon(PON);
    const probes = ponProbes(pon);
    const gc = pon.probes.gc.map(g => (g === null ? undefined : g));
    const calls: string[] = [];
    for (const s of TUMOURS) {
      const fromBam = await measureInput(join(TEST_DATA, `${s}.bam`), probes, 'test', pon.filters);
      const fromCram = await measureInput(noRef(s), probes, 'test', pon.filters);
      expect(fromCram.source).toEqual({ format: 'cram', precomputed: false, reference: null });
      expect(fromCram.depths).toEqual(fromBam.depths);
      expect(fromCram.reads).toEqual(fromBam.reads);
      expect(fromCram.medianInsert).toBe(fromBam.medianInsert);
      expect(fromCram.medianInsert).toBeGreaterThan(0);
      expect(fromCram.insertSpread).toBe(fromBam.insertSpread);
      expect(fromCram.readGroupSamples).toEqual([s]);
      expect(fromCram.build).toBe('GRCh38');
      const call = (m: typeof fromBam) => callErbb2({ sample: s, probes, depths: m.depths, gc, medianInsert: m.medianInsert, insertSpread: m.insertSpread, build: m.build, pon, threshold: 1.3 });
      const a = call(fromBam);
      expect(call(fromCram)).toEqual(a);
      calls.push(a.call);
    }
    // The cohort holds amplified, not amplified (including borderline) and a no-call.
    expect(new Set(calls)).toEqual(new Set(['amplified', 'not_amplified', 'no_call']));
  });

  it('her2cn call on a CRAM writes the BAM\'s result, naming the CRAM and the reference it was checked against', () => {
    const out = tempDir();
    const bam = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', join(out, 'bam'), '--json']);
    const cram = runCli(['call', t01Cram, '-T', genome.path, '--out', join(out, 'cram'), '--json']);
    expect(cram.status, cram.stderr).toBe(0);
    const a = JSON.parse(bam.stdout);
    const b = JSON.parse(cram.stdout);
    expect(b.inputs.bam).toBe(t01Cram);
    expect(b.inputs.coverage).toEqual({ file: t01Cram, format: 'cram', precomputed: false, read_filters_checked: true, reference: genome.path });
    expect(b.sample).toBe('T01');
    delete a.inputs;
    delete b.inputs;
    expect(b).toEqual(a);
    expect(readFileSync(join(out, 'cram', 'T01.probes.tsv'), 'utf8')).toBe(readFileSync(join(out, 'bam', 'T01.probes.tsv'), 'utf8'));
    expect(readFileSync(join(out, 'cram', 'T01.report.html'), 'utf8')).toContain(`CRAM ${t01Cram}`);
  });

  it('her2cn pon from CRAM normals builds the PoN the BAMs built', () => {
    const out = join(tempDir(), 'pon.json');
    const r = runCli(['pon', ...NORMALS.map(noRef), '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const fromCram = JSON.parse(readFileSync(out, 'utf8'));
    const embedded = JSON.parse(readFileSync(PON, 'utf8'));
    for (const p of [fromCram, embedded]) for (const n of p.normals) delete n.bam;
    expect(fromCram.probes).toEqual(embedded.probes);
    expect(fromCram.normals).toEqual(embedded.normals);
    expect(fromCram.insertEffect).toEqual(embedded.insertEffect);
    expect(fromCram.build).toBe('GRCh38');
  });

  it('refuses a reference that is not the one the CRAM was made with, in one line', () => {
    // Same chromosomes and lengths, other bases near the probes: the slices' MD5s tell.
    const other = writeFixtureGenome(join(tempDir(), 'other.fa.gz'), grch38References(), panel.probes, { salt: 'other', md5: false });
    expectRefused(['coverage', t01Cram, '-T', other.path], /other\.fa\.gz: differs from the reference .*T01\.cram was compressed against \(MD5 of chr\S+ is [0-9a-f]{32}, the CRAM recorded [0-9a-f]{32}\)/);
    const small = join(tempDir(), 'small.fa');
    const chroms = grch38References().slice(0, 24);
    writeFileSync(small, chroms.map(c => `>${c.name}\nACGT\n`).join(''));
    let offset = 0;
    writeFileSync(
      `${small}.fai`,
      chroms
        .map(c => {
          offset += c.name.length + 2;
          const line = `${c.name}\t4\t${offset}\t4\t5`;
          offset += 5;
          return line;
        })
        .join('\n') + '\n',
    );
    expectRefused(['coverage', t01Cram, '-T', small], /small\.fa: chr1 is 4 bp but .*T01\.cram was aligned to a chr1 of 248956422 bp/);
    writeFileSync(`${small}.fai`, 'chrZ\t4\t6\t4\t5\n');
    expectRefused(['coverage', t01Cram, '-T', small], /small\.fa: the reference has no sequence chr1, which .*T01\.cram is aligned to/);
    expectRefused(['coverage', t01Cram, '-T', join(dir, 'missing.fa')], /missing\.fa: cannot open the reference FASTA/);
    // The call's --fasta (probe GC) is the reference to check, unless --reference is given.
    const out = tempDir();
    expectRefused(['call', t01Cram, '--fasta', other.path, '--out', out], /other\.fa\.gz: differs from the reference/);
  });

  it('refuses a CRAM without its index, a truncated CRAM and a CRAM named .bam, in one line each', () => {
    const d = tempDir();
    copyFileSync(noRef('T07'), join(d, 'T07.cram'));
    expectRefused(['coverage', join(d, 'T07.cram')], /T07\.cram: no CRAM index found .*samtools index/);
    const bytes = readFileSync(noRef('T07'));
    writeFileSync(join(d, 'cut.cram'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    copyFileSync(`${noRef('T07')}.crai`, join(d, 'cut.cram.crai'));
    expectRefused(['call', join(d, 'cut.cram'), '--out', join(d, 'out')], /cut\.cram: no CRAM end-of-file container: the CRAM is truncated/);
    renameSync(join(d, 'T07.cram'), join(d, 'T07.bam'));
    expectRefused(['coverage', join(d, 'T07.bam')], /T07\.bam: named as a BAM file but it is a CRAM file/);
  });

  it('counts a deep amplicon (about 4,000x) from a CRAM in bounded memory, slice by slice, equal to the BAM', () => {
    const d = tempDir();
    // Over a hundred slices of 10,000 reads across ERBB2: memory follows the slice, not the depth.
    const spec = deepAmplicon(200);
    // Deflate level 1: only the reads matter here, and level 9 doubles the time to write them.
    writeSampleBam(spec, panel.probes, join(d, 'DEEP.bam'), 'deep', { level: 1 });
    samtools(['view', '-C', '--output-fmt-option', 'no_ref=1', '--write-index', '-o', join(d, 'DEEP.cram'), join(d, 'DEEP.bam')]);
    const bam = runCli(['coverage', join(d, 'DEEP.bam')]);
    const cram = runCli(['coverage', join(d, 'DEEP.cram')]);
    expect(cram.status, cram.stderr).toBe(0);
    expect(cram.stdout).toBe(bam.stdout);
    const peak = (stderr: string) => Number(/peak memory (\d+) MB/.exec(stderr)![1]);
    // The bound stated in the README for coverage at any depth.
    expect(peak(cram.stderr)).toBeLessThan(300);
    process.stderr.write(`CRAM coverage, deep amplicon: ${cram.stderr.trim()}\n`);
  }, 300_000);
});
