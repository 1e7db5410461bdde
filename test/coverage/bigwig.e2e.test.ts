// bigWig coverage tracks as input: per-base depth of the committed BAMs
// written as bigWig by pyBigWig (Debian python3-pybigwig), from mosdepth's
// per-base output (`mosdepth -Q 20 -F 3844`, the README's command; run once
// per test run, shared with the other tests of mosdepth) for T01
// and from her2cn's own per-base depth for the other tumours; read by
// her2cn as the base-weighted mean over each probe and called like the BAM.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER } from '../../src/coverage/engine.js';
import { CHROMOSOME_LENGTHS } from '../../src/panel/builds.js';
import { readBed } from '../../src/panel/bed.js';
import type { Probe } from '../../src/panel/panel.js';
import { grch38References } from '../../src/simulate/write.js';
import { backgroundFixtures, fixtures } from '../fixtures.js';
import { DEBIAN_PYTHON, DEMO_PANEL, expectRefused, pythonModuleAvailable, ROOT, runCli, tempDir, TEST_DATA, toolAvailable } from '../helpers.js';
import { CASES, callJson, expectSameCall } from './precomputed.js';

const panel = readBed(DEMO_PANEL);
const TO_BIGWIG = join(ROOT, 'test', 'coverage', 'bedgraph_to_bigwig.py');
const haveTools = toolAvailable('mosdepth') && pythonModuleAvailable('pyBigWig');
let dir: string;
/** mosdepth's per-base output of T01 (`mosdepth -Q 20 -F 3844`), made once per test run (fixtures.ts). */
const mosdepthPerBase = () => fixtures().mosdepth.T01.perBase!;
const trackOf = (sample: string) => join(dir, `${sample}.bw`);

function toBigWig(bedGraph: string, sizes: { name: string; length: number }[], out: string): string {
  const sizesPath = `${out}.sizes`;
  writeFileSync(sizesPath, sizes.map(s => `${s.name}\t${s.length}`).join('\n') + '\n');
  execFileSync(DEBIAN_PYTHON, [TO_BIGWIG, bedGraph, sizesPath, out]);
  return out;
}

/** Per-base depth over every probe from her2cn's engine (one-base probes), as bedGraph runs. */
async function perBaseBedGraph(sample: string): Promise<string> {
  const bases: Probe[] = [];
  const seen = new Set<string>();
  for (const p of panel.probes) {
    for (let i = p.start; i < p.end; i++) {
      const k = `${p.chrom}:${i}`;
      if (seen.has(k)) continue;
      seen.add(k);
      bases.push({ chrom: p.chrom, start: i, end: i + 1, name: k, gene: p.gene });
    }
  }
  bases.sort((a, b) => (a.chrom === b.chrom ? a.start - b.start : 0));
  const bam = await openBam(join(TEST_DATA, `${sample}.bam`));
  const { probes } = await computeCoverage(bam, { source: 'bases', probes: bases, warnings: [] }, DEFAULT_FILTER);
  bam.close();
  const rows: string[] = [];
  let run: { chrom: string; start: number; end: number; depth: number } | undefined;
  for (const b of probes) {
    if (run && run.chrom === b.chrom && run.end === b.start && run.depth === b.depth) run.end = b.end;
    else {
      if (run) rows.push(`${run.chrom}\t${run.start}\t${run.end}\t${run.depth}`);
      run = { chrom: b.chrom, start: b.start, end: b.end, depth: b.depth };
    }
  }
  if (run) rows.push(`${run.chrom}\t${run.start}\t${run.end}\t${run.depth}`);
  const path = join(dir, `${sample}.bedgraph`);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}


describe.skipIf(!haveTools)('bigWig input', () => {
  // T01's genome-wide run may still be going on (e2e-setup.ts): waited for on its own, so a failure says why.
  beforeAll(() => backgroundFixtures(), 300_000);
  beforeAll(async () => {
    dir = tempDir('her2cn-bigwig-');
    toBigWig(mosdepthPerBase(), grch38References(), trackOf('T01'));
    for (const s of CASES.filter(c => c !== 'T01')) toBigWig(await perBaseBedGraph(s), grch38References(), trackOf(s));
  });

  it('reads each probe\'s mean depth from mosdepth\'s per-base track: the BAM\'s depths; no read counts', () => {
    const bam = runCli(['coverage', join(TEST_DATA, 'T01.bam')]).stdout.trim().split('\n').map(l => l.split('\t'));
    const r = runCli(['coverage', trackOf('T01')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/precomputed bigWig file: read filters not checked/);
    const rows = r.stdout.trim().split('\n').map(l => l.split('\t'));
    expect(rows).toHaveLength(bam.length);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].slice(0, 5)).toEqual(bam[i].slice(0, 5));
      expect(Math.abs(Number(rows[i][5]) - Number(bam[i][5]))).toBeLessThanOrEqual(0.001);
      expect(rows[i][6]).toBe('NA');
    }
  });

  it('gives the BAM\'s call on amplified, not amplified and borderline tumours, and says the coverage was precomputed', () => {
    for (const s of CASES) expectSameCall(s, callJson(trackOf(s)), trackOf(s), 'bigwig');
  });

  it('matches chromosomes named 17 or chr17, and names the sample from the file name', () => {
    const text = gunzipSync(readFileSync(mosdepthPerBase())).toString('utf8');
    writeFileSync(join(dir, 'bare.bedgraph'), text.replace(/^chr/gm, ''));
    const bare = toBigWig(join(dir, 'bare.bedgraph'), grch38References().map(r => ({ name: r.name.replace(/^chr/, ''), length: r.length })), join(dir, 'bare.bw'));
    expect(runCli(['coverage', bare]).stdout).toBe(runCli(['coverage', trackOf('T01')]).stdout);
    const renamed = join(tempDir(), 'sample x.bigwig');
    copyFileSync(trackOf('T10'), renamed);
    expect(callJson(renamed).json.sample).toBe('sample x');
  });

  it('tells the genome build from the track\'s chromosome sizes: a GRCh37 track is refused against a GRCh38 panel', () => {
    const sizes = Object.entries(CHROMOSOME_LENGTHS.GRCh37).map(([name, length]) => ({ name, length }));
    const grch37 = toBigWig(mosdepthPerBase(), sizes, join(tempDir(), 'T01-37.bw'));
    expectRefused(['call', grch37, '--out', tempDir()], /T01-37\.bw: the bigWig track is aligned to GRCh37 but 53 ERBB2 probes of the panel .* are not on ERBB2 in GRCh37/);
  });

  it('refuses a track with values that are not depths, and a file that is not a bigWig', () => {
    const d = tempDir();
    writeFileSync(join(d, 'neg.bedgraph'), 'chr1\t31119490\t31119700\t-1\n');
    expectRefused(['coverage', toBigWig(join(d, 'neg.bedgraph'), grch38References(), join(d, 'neg.bw'))], /neg\.bw: has the value -1 at chr1:31119491, which is not a depth/);
    copyFileSync(join(TEST_DATA, 'T01.bam'), join(d, 'T01.bw'));
    expectRefused(['coverage', join(d, 'T01.bw')], /T01\.bw: named as a bigWig file but it is a BAM file/);
    writeFileSync(join(d, 'junk.bw'), Buffer.alloc(100, 7));
    expectRefused(['coverage', join(d, 'junk.bw')], /junk\.bw: not a BAM, CRAM, mosdepth regions\.bed\.gz or bigWig file/);
  });
});
