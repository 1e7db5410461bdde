// mosdepth's regions.bed.gz as coverage input: T01's made by mosdepth itself
// (`mosdepth -n -Q 20 -F 3844 --by panel.bed`, the command the README
// gives; once per test run, shared with the other tests of mosdepth), other
// samples' in its format from her2cn's depths; read by her2cn, called like
// the BAM; files that are not the panel's regions, or not what their name
// says, refused in one line (matching lines to probes: mosdepth-regions.test.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER } from '../../src/coverage/engine.js';
import { readBed } from '../../src/panel/bed.js';
import { backgroundFixtures, fixtures } from '../fixtures.js';
import { DEMO_PANEL, expectRefused, runCli, tempDir, TEST_DATA, toolAvailable } from '../helpers.js';
import { CASES, callJson, expectSameCall } from './precomputed.js';

const panel = readBed(DEMO_PANEL);
const haveTools = toolAvailable('mosdepth') && toolAvailable('bgzip') && toolAvailable('tabix');
/** mosdepth's regions file of a committed sample, made once per test run (fixtures.ts); copied before any change. */
const regionsOf = (sample: string) => fixtures().mosdepth[sample].regions;


/** Writes BED-like text as a bgzip file with a CSI index, as mosdepth does. */
function bgzipIndexed(path: string, text: string): string {
  writeFileSync(path.replace(/\.gz$/, ''), text);
  execFileSync('bgzip', ['-f', path.replace(/\.gz$/, '')]);
  execFileSync('tabix', ['-f', '-C', '-p', 'bed', path]);
  return path;
}

/** `rows` with `line` put before the first row of its chromosome. */
function withExtra(rows: string[], line: string): string[] {
  const at = rows.findIndex(r => r.startsWith(line.split('\t')[0] + '\t'));
  return [...rows.slice(0, at), line, ...rows.slice(at)];
}

/**
 * A regions file in mosdepth's format (two decimals, bgzip and CSI) made from
 * her2cn's own depths of a committed BAM: mosdepth over the whole genome
 * costs about 15 s of CPU a sample, so only T01's comes from mosdepth itself.
 */
async function ownRegions(sample: string, dir: string): Promise<string> {
  const bam = await openBam(join(TEST_DATA, `${sample}.bam`));
  try {
    const { probes } = await computeCoverage(bam, panel, DEFAULT_FILTER, { threads: 1 });
    // Panel order is chromosome, then position: the order tabix needs.
    const text = probes.map(p => [p.chrom, p.start, p.end, p.name, p.depth.toFixed(2)].join('\t')).join('\n') + '\n';
    return bgzipIndexed(join(dir, `${sample}.regions.bed.gz`), text);
  } finally {
    bam.close();
  }
}

const lines = (sample: string) => gunzipSync(readFileSync(regionsOf(sample))).toString('utf8').trim().split('\n');

describe.skipIf(!haveTools)('mosdepth regions.bed.gz input', () => {
  // T01's genome-wide run may still be going on (e2e-setup.ts).
  beforeAll(() => backgroundFixtures(), 300_000);
  it('reads each probe\'s mean depth (mosdepth agrees with the BAM to its two decimals); no read counts', () => {
    const bam = runCli(['coverage', join(TEST_DATA, 'T01.bam')]).stdout.trim().split('\n').map(l => l.split('\t'));
    const r = runCli(['coverage', regionsOf('T01')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/precomputed mosdepth regions .* read filters not checked/);
    const rows = r.stdout.trim().split('\n').map(l => l.split('\t'));
    expect(rows[0]).toEqual(bam[0]);
    expect(rows).toHaveLength(panel.probes.length + 1);
    const file = new Map(lines('T01').map(l => l.split('\t')).map(f => [`${f[0]}:${f[1]}-${f[2]}`, Number(f[4])]));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].slice(0, 5)).toEqual(bam[i].slice(0, 5));
      expect(Number(rows[i][5])).toBe(file.get(`${rows[i][0]}:${rows[i][1]}-${rows[i][2]}`));
      expect(Math.abs(Number(rows[i][5]) - Number(bam[i][5]))).toBeLessThanOrEqual(0.0051);
      expect(rows[i][6]).toBe('NA');
    }
  });

  it('gives the BAM\'s call on amplified, not amplified and borderline tumours, and says the coverage was precomputed', async () => {
    // T01 from mosdepth; not amplified (T10) and borderline (T07, T11: FFPE) in its format from her2cn's depths.
    const d = tempDir();
    const files: Record<string, string> = { T01: regionsOf('T01') };
    for (const s of CASES.filter(c => c !== 'T01')) files[s] = await ownRegions(s, d);
    for (const s of CASES) expectSameCall(s, callJson(files[s]), files[s], 'mosdepth_regions');
  });

  it('names the sample from --sample, else the file name without .regions.bed.gz', () => {
    const d = tempDir();
    copyFileSync(regionsOf('T01'), join(d, 'case 7.regions.bed.gz'));
    copyFileSync(`${regionsOf('T01')}.csi`, join(d, 'case 7.regions.bed.gz.csi'));
    expect(callJson(join(d, 'case 7.regions.bed.gz')).json.sample).toBe('case 7');
    expect(callJson(join(d, 'case 7.regions.bed.gz'), ['--sample', 'P-7']).json.sample).toBe('P-7');
  });

  it('refuses regions that are not the panel\'s probes: shifted, missing, extra', () => {
    const d = tempDir();
    const all = lines('T01');
    const shifted = all.map((l, i) => (i === 100 ? l.replace(/^(\S+)\t(\d+)\t(\d+)/, (_, c, s, e) => `${c}\t${Number(s) + 5}\t${Number(e) + 5}`) : l));
    expectRefused(['call', bgzipIndexed(join(d, 'shifted.regions.bed.gz'), shifted.join('\n') + '\n'), '--out', d], /shifted\.regions\.bed\.gz: its regions are not the probes of the panel .*: 1 of the 311 probes are missing \(first: \S+ \S+\); 1 regions are not probes of the panel \(first: \S+\); run mosdepth with --by/);
    expectRefused(['coverage', bgzipIndexed(join(d, 'short.regions.bed.gz'), all.slice(1).join('\n') + '\n')], /short\.regions\.bed\.gz: .*1 of the 311 probes are missing \(first: chr1:31119493-31119613 chr1-backbone_p1\)/);
    expectRefused(['coverage', bgzipIndexed(join(d, 'extra.regions.bed.gz'), withExtra(all, 'chrX\t1000\t1100\textra\t3.00').join('\n') + '\n')], /extra\.regions\.bed\.gz: .*1 regions are not probes of the panel \(first: chrX:1000-1100\)/);
  });

  it('refuses a file that is not a mosdepth regions file, or not what its name says', () => {
    const d = tempDir();
    // The panel BED itself, bgzipped and indexed: its fourth column is not a depth.
    const bed = readFileSync(DEMO_PANEL, 'utf8').split('\n').filter(l => l && !l.startsWith('#')).map(l => l.split('\t').slice(0, 6).join('\t'));
    expectRefused(['coverage', bgzipIndexed(join(d, 'panel.bed.gz'), bed.join('\n') + '\n')], /panel\.bed\.gz: not a mosdepth regions file: the line "chr1\t31119493/);
    // per-base output (one line per run of equal depth) under a regions file's name: refused before it is read whole
    const perBase = Array.from({ length: 1000 }, (_, i) => `chr1\t${1000 + i}\t${1001 + i}\t${i % 7}`);
    expectRefused(['coverage', bgzipIndexed(join(d, 'S.regions.bed.gz'), perBase.join('\n') + '\n')], /S\.regions\.bed\.gz: has more than 722 regions, more than the panel .* has probes; is it mosdepth's per-base output/);
    // gzip, not bgzip
    writeFileSync(join(d, 'plain.regions.bed.gz'), gzipSync(lines('T01').join('\n') + '\n'));
    expectRefused(['coverage', join(d, 'plain.regions.bed.gz')], /plain\.regions\.bed\.gz: is gzip- but not bgzip-compressed/);
    // no index
    copyFileSync(regionsOf('T01'), join(d, 'lone.regions.bed.gz'));
    expectRefused(['call', join(d, 'lone.regions.bed.gz'), '--out', d], /lone\.regions\.bed\.gz: no index found \(looked for .*\.csi and .*\.tbi\)/);
    // a BAM under a regions file's name, and a regions file under a BAM's name
    copyFileSync(join(TEST_DATA, 'T01.bam'), join(d, 'T01.regions.bed.gz'));
    expectRefused(['coverage', join(d, 'T01.regions.bed.gz')], /T01\.regions\.bed\.gz: named as a mosdepth regions file but it is a BAM file/);
    renameSync(join(d, 'lone.regions.bed.gz'), join(d, 'lone.bam'));
    expectRefused(['coverage', join(d, 'lone.bam')], /lone\.bam: named as a BAM file but it is a mosdepth regions/);
  });

  it('her2cn pon takes regions files of normals, recording that their depths were precomputed', async () => {
    const d = tempDir();
    const files = [];
    for (let i = 1; i <= 10; i++) files.push(await ownRegions(`N${String(i).padStart(2, '0')}`, d));
    const out = join(d, 'pon.json');
    const r = runCli(['pon', ...files, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*N01\.regions\.bed\.gz: N01, depths from a precomputed mosdepth regions .* read filters not checked/);
    const pon = JSON.parse(readFileSync(out, 'utf8'));
    expect(pon.normals.map((n: { name: string }) => n.name)).toEqual(files.map((_, i) => `N${String(i + 1).padStart(2, '0')}`));
    expect(pon.normals.every((n: { coverage: string; medianInsert: number }) => n.coverage === 'mosdepth_regions' && n.medianInsert === 0)).toBe(true);
    expect(pon.insertEffect.coefficient).toBe(0);
    expect(pon.build).toBe('unknown');
    // A tumour called against it: the same call as with the embedded PoN.
    const call = callJson(regionsOf('T01'), ['--pon', out]);
    expect(call.json.call).toBe('amplified');
    expect(call.json.inputs.build).toBe('unknown');
  });
});
