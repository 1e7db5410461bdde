// `her2cn batch` gives each sample exactly what `her2cn call` gives it (all
// six files, byte for byte, and the summary line), writes a cohort table
// that says what each sample's JSON says, and goes on past bad samples.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COHORT_COLUMNS } from '../../src/batch/cohort.js';
import { CHROMOSOME_LENGTHS } from '../../src/panel/builds.js';
import { BamWriter } from '../../src/simulate/bam-writer.js';
import { CLI, type CliResult, runCli, skipWithout, TEST_DATA, tempDir } from '../helpers.js';

const SIX = (s: string) => [`${s}.her2cn.json`, `${s}.her2cn.vcf`, `${s}.plot.png`, `${s}.plot.svg`, `${s}.probes.tsv`, `${s}.report.html`];

/** A folder holding the BAMs (as links) under bams/, for tables with relative paths. */
function cohortFolder(samples: string[]): string {
  const dir = tempDir('her2cn-batch-');
  mkdirSync(join(dir, 'bams'));
  for (const s of samples) {
    symlinkSync(join(TEST_DATA, `${s}.bam`), join(dir, 'bams', `${s}.bam`));
    symlinkSync(join(TEST_DATA, `${s}.bam.csi`), join(dir, 'bams', `${s}.bam.csi`));
  }
  return dir;
}

function table(rows: string[][]): string {
  return rows.map(r => r.join('\t')).join('\n') + '\n';
}

function cohortTsv(out: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(out, 'cohort.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return lines.map(l => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

describe('a batch on part of the committed cohort', () => {
  // purity and IHC as a lab would give them; T13 is the no-call
  const rows = [
    ['T01', '0.6', '3+'],
    ['T04', '', ''],
    ['T10', '0.5', '0'],
    ['T13', '0.6', '3+'],
    ['T07', '', '1+'],
  ];
  let dir: string;
  let batch: CliResult;
  const calls: Record<string, CliResult> = {};

  beforeAll(() => {
    dir = cohortFolder(rows.map(r => r[0]));
    writeFileSync(join(dir, 'samples.tsv'), table([['sample', 'bam', 'purity', 'ihc', 'note'], ...rows.map(([s, p, i]) => [s, `bams/${s}.bam`, p, i, 'ignored'])]));
    // run from the folder with the table named relatively, so the BAM paths recorded are what a user would type
    batch = runCli(['batch', 'samples.tsv', '--out', 'out-batch', '--jobs', '2'], { cwd: dir });
    for (const [s, p, i] of rows) {
      const args = ['call', `bams/${s}.bam`, '--sample', s, '--out', 'out-call'];
      if (p) args.push('--purity', p);
      if (i) args.push('--ihc', i);
      calls[s] = runCli(args, { cwd: dir });
      expect(calls[s].status, calls[s].stderr).toBe(0);
    }
  }, 120_000);

  it('exits 0 and writes the six files of every sample, byte-identical to her2cn call with the same options', () => {
    expect(batch.status, batch.stderr).toBe(0);
    const out = join(dir, 'out-batch');
    expect(readdirSync(out).filter(f => !f.startsWith('.')).sort()).toEqual([...rows.flatMap(r => SIX(r[0])), 'cohort.plot.png', 'cohort.plot.svg', 'cohort.tsv', 'her2cn_mqc.json'].sort());
    // and, hidden, the record of each sample's inputs that lets a rerun reuse it
    expect(readdirSync(join(out, '.her2cn-batch')).sort()).toEqual(rows.map(r => `${r[0]}.json`).sort());
    for (const [s] of rows) {
      for (const f of SIX(s)) expect(readFileSync(join(out, f)).equals(readFileSync(join(dir, 'out-call', f))), f).toBe(true);
    }
    // the JSON records the BAM as given, relative to where batch was run
    expect(JSON.parse(readFileSync(join(out, 'T01.her2cn.json'), 'utf8')).inputs.bam).toBe('bams/T01.bam');
  });

  it('prints on stdout the summary line of each sample, as call does, in the table\'s order', () => {
    expect(batch.stdout).toBe(rows.map(([s]) => calls[s].stdout).join(''));
  });

  it('tells progress on stderr as one line per finished sample when stderr is not a terminal', () => {
    expect(batch.stderr).not.toMatch(/\x1b/);
    const progress = batch.stderr.split('\n').filter(l => /^her2cn: \[\d+\/\d+\] /.test(l));
    expect(progress.map(l => l.match(/\[(\d+)\/5\]/)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    for (const [s] of rows) expect(progress.filter(l => l.includes(`] ${s}: `))).toHaveLength(1);
    expect(progress.find(l => l.includes('] T13: '))).toMatch(/T13: no_call$/);
  });

  it('draws a progress bar when stderr is a terminal, and still prints the summary lines', ({ skip }) => {
    skipWithout(skip, 'script');
    const out = join(dir, 'out-tty');
    const log = join(dir, 'tty.log');
    // script(1) runs the command on a pseudo-terminal; stdout goes to a file
    const command = `${process.execPath} ${CLI} batch samples.tsv --out ${out} --jobs 2 > ${join(dir, 'tty.stdout')}`;
    execFileSync('script', ['-qec', command, log], { cwd: dir, stdio: 'ignore' });
    const screen = readFileSync(log, 'utf8');
    expect(screen).toMatch(/her2cn batch \[.*\] 5\/5 samples/);
    expect(screen).not.toMatch(/her2cn: \[\d+\/5\]/);
    expect(readFileSync(join(dir, 'tty.stdout'), 'utf8')).toBe(batch.stdout);
  });

  it('writes cohort.tsv with one line per sample in table order, each value as in the sample\'s JSON', () => {
    const out = join(dir, 'out-batch');
    const header = readFileSync(join(out, 'cohort.tsv'), 'utf8').split('\n')[0].split('\t');
    expect(header).toEqual([...COHORT_COLUMNS]);
    expect(header.slice(0, 13)).toEqual(['sample', 'bam', 'status', 'assessment', 'call', 'log2', 'ci95_low', 'ci95_high', 'probes_at_or_above', 'probes_used', 'qc_status', 'qc_reasons', 'assessment_reasons']);
    const lines = cohortTsv(out);
    expect(lines.map(l => l.sample)).toEqual(rows.map(r => r[0]));
    const na = (v: unknown) => (v === null || v === undefined ? 'NA' : String(v));
    for (const l of lines) {
      const d = JSON.parse(readFileSync(join(dir, 'out-call', `${l.sample}.her2cn.json`), 'utf8'));
      expect(l).toEqual({
        sample: d.sample,
        bam: `bams/${d.sample}.bam`,
        status: 'ok',
        assessment: d.assessment.status,
        call: d.call,
        log2: na(d.log2),
        ci95_low: na(d.ci95?.[0]),
        ci95_high: na(d.ci95?.[1]),
        probes_at_or_above: String(d.probes.at_or_above_threshold),
        probes_used: String(d.probes.used),
        qc_status: d.qc.status,
        qc_reasons: d.qc.reasons.length ? d.qc.reasons.join('; ') : 'NA',
        assessment_reasons: d.assessment.reasons.join('; '),
        purity: na(d.purity),
        tumor_copy_number: na(d.tumor_copy_number),
        ihc: na(d.ihc),
        her2_category: na(d.her2_category?.category),
        workup: na(d.workup?.action),
        error: 'NA',
      });
    }
    const byName = Object.fromEntries(lines.map(l => [l.sample, l]));
    expect(byName.T01).toMatchObject({ call: 'amplified', purity: '0.6', ihc: '3+', her2_category: 'HER2-positive' });
    expect(byName.T04.her2_category).toBe('NA');
    expect(byName.T04.qc_reasons).toMatch(/^partial amplicon/);
    // a no-call has no level where a script reads it: NA in cohort.tsv and on stdout; the JSON keeps the measured one apart, for review
    expect(byName.T13).toMatchObject({ call: 'no_call', qc_status: 'fail', log2: 'NA', ci95_low: 'NA', ci95_high: 'NA' });
    expect(batch.stdout).toMatch(/^T13\tno_call\tlog2=NA\tci95=NA\t/m);
    const t13 = JSON.parse(readFileSync(join(out, 'T13.her2cn.json'), 'utf8'));
    expect([t13.log2, t13.ci95, t13.fold_change, t13.chr17.erbb2_minus_chr17]).toEqual([null, null, null, null]);
    expect(t13.measured_for_review).toMatchObject({ note: expect.stringMatching(/for review only, not a result/), log2: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    expect(byName.T13.qc_reasons).toMatch(/noise too high.*; coverage too low/);
  });

  it('draws every sample in the cohort plot, sorted by log2, the no-call apart and without a level, and the threshold', () => {
    const svg = readFileSync(join(dir, 'out-batch', 'cohort.plot.svg'), 'utf8');
    const marks = [...svg.matchAll(/<g class="sample ([a-z_]+)" data-sample="([^"]+)" data-rank="(\d+)"(?: data-log2="([^"]+)")? data-call="([a-z_]+)">/g)].map(m => ({
      assessment: m[1],
      sample: m[2],
      rank: Number(m[3]),
      log2: m[4] === undefined ? null : Number(m[4]),
      call: m[5],
    }));
    expect(marks.map(m => m.rank)).toEqual([0, 1, 2, 3, 4]);
    const json = (s: string) => JSON.parse(readFileSync(join(dir, 'out-call', `${s}.her2cn.json`), 'utf8'));
    const results = rows.map(r => json(r[0]));
    const assessed = results.filter(d => d.call !== 'no_call').sort((a, b) => a.log2 - b.log2);
    // each mark shows the assessment, and keeps the bulk call
    expect(marks.slice(0, 4).map(m => [m.sample, m.assessment, m.call, m.log2])).toEqual(assessed.map(d => [d.sample, d.assessment.status, d.call, d.log2]));
    // a no-call gets no level in the plot: it stands in the strip below the log2 axis
    expect(marks[4]).toEqual({ assessment: 'no_call', call: 'no_call', sample: 'T13', rank: 4, log2: null });
    expect(svg).toMatch(/<line class="threshold" data-value="1.3"/);
    const count = (status: string) => results.filter(d => d.assessment.status === status).length;
    expect(svg).toContain(`>assessment: ${count('amplified')} amplified, ${count('indeterminate')} indeterminate, ${count('not_amplified')} not amplified, 1 no call, 0 failed<`);
    expect(svg).toContain('>bulk call: 2 amplified, 2 not amplified, at log2 ≥ 1.3; bulk log2 ratio with 95% interval, sorted<');
    const png = readFileSync(join(dir, 'out-batch', 'cohort.plot.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('passes the call options on: the same as call with --threshold, a QC limit and --vcf-gz', () => {
    const out = join(dir, 'out-options');
    const opts = ['--threshold', '1.99', '--min-depth', '15', '--max-mapd', '0.45', '--vcf-gz'];
    const b = runCli(['batch', 'samples.tsv', '--out', out, ...opts], { cwd: dir });
    expect(b.status, b.stderr).toBe(0);
    for (const [s, p, i] of rows.slice(0, 2)) {
      const callOut = join(dir, 'out-call-options');
      const args = ['call', `bams/${s}.bam`, '--sample', s, '--out', callOut, ...opts];
      if (p) args.push('--purity', p);
      if (i) args.push('--ihc', i);
      expect(runCli(args, { cwd: dir }).status).toBe(0);
      for (const f of [...SIX(s), `${s}.her2cn.vcf.gz`, `${s}.her2cn.vcf.gz.tbi`]) expect(readFileSync(join(out, f)).equals(readFileSync(join(callOut, f))), f).toBe(true);
    }
    // the resume record holds the bgzipped VCF and its index, and the option, so a run without it is not taken for the same
    const record = JSON.parse(readFileSync(join(out, '.her2cn-batch', 'T01.json'), 'utf8'));
    expect(record.inputs.vcf_gz).toBe(true);
    expect(Object.keys(record.files)).toEqual(expect.arrayContaining(['T01.her2cn.vcf.gz', 'T01.her2cn.vcf.gz.tbi']));
    expect(JSON.parse(readFileSync(join(out, 'T01.her2cn.json'), 'utf8')).threshold).toBe(1.99);
    // T01 (1.95) is now below the threshold; T04 (2.04) above
    expect(cohortTsv(out).slice(0, 2).map(l => l.call)).toEqual(['not_amplified', 'amplified']);
    expect(readFileSync(join(out, 'cohort.plot.svg'), 'utf8')).toMatch(/<line class="threshold" data-value="1.99"/);
  });
});

describe('a batch with bad samples', () => {
  it('reports each bad sample (missing, truncated, wrong build) with call\'s error, completes the others, and exits 1', () => {
    const dir = cohortFolder(['T01', 'T10']);
    const bytes = readFileSync(join(TEST_DATA, 'T02.bam'));
    writeFileSync(join(dir, 'bams', 'cut.bam'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    copyFileSync(join(TEST_DATA, 'T02.bam.csi'), join(dir, 'bams', 'cut.bam.csi'));
    // a GRCh37 BAM: chromosome lengths of GRCh37, reads over ERBB2's GRCh38 position
    const refs = Object.entries(CHROMOSOME_LENGTHS.GRCh37).map(([name, length]) => ({ name, length }));
    const w = new BamWriter(join(dir, 'bams', 'b37.bam'), '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:x\tSM:b37\n', refs);
    const chr17 = refs.findIndex(r => r.name.replace(/^chr/, '') === '17');
    for (let pos = 39_690_000; pos < 39_740_000; pos += 20) w.add({ name: `r${pos}`, flag: 0, refId: chr17, pos, mapq: 60, cigar: [['M', 100]], nextRefId: -1, nextPos: -1, tlen: 0 });
    w.close();
    const samples = [
      ['T01', 'bams/T01.bam'],
      ['gone', 'bams/gone.bam'],
      ['cut', 'bams/cut.bam'],
      ['b37', 'bams/b37.bam'],
      ['T10', 'bams/T10.bam'],
    ];
    writeFileSync(join(dir, 'samples.tsv'), table([['sample', 'bam'], ...samples]));
    const out = join(dir, 'out');
    const r = runCli(['batch', join(dir, 'samples.tsv'), '--out', out, '--jobs', '2']);
    expect(r.status, r.stderr).toBe(1);

    // the good samples are complete
    expect(readdirSync(out).filter(f => !f.startsWith('.')).sort()).toEqual([...SIX('T01'), ...SIX('T10'), 'cohort.plot.png', 'cohort.plot.svg', 'cohort.tsv', 'her2cn_mqc.json'].sort());
    const lines = cohortTsv(out);
    expect(lines.map(l => [l.sample, l.status])).toEqual([
      ['T01', 'ok'],
      ['gone', 'error'],
      ['cut', 'error'],
      ['b37', 'error'],
      ['T10', 'ok'],
    ]);
    // each error is the one call gives for that BAM
    for (const l of lines.filter(x => x.status === 'error')) {
      const c = runCli(['call', join(dir, `bams/${l.sample}.bam`), '--sample', l.sample, '--out', join(dir, 'call-out')]);
      expect(c.status).toBe(1);
      expect(c.stderr.trimEnd().split('\n').pop()).toBe(`her2cn: error: ${l.error}`);
      expect(l.call).toBe('NA');
      expect(r.stderr).toContain(`her2cn: ${l.sample}: error: ${l.error}\n`);
    }
    expect(lines.find(l => l.sample === 'gone')!.error).toMatch(/gone\.bam: cannot open BAM \(ENOENT\)/);
    expect(lines.find(l => l.sample === 'cut')!.error).toMatch(/cut\.bam: .*truncated/);
    expect(lines.find(l => l.sample === 'b37')!.error).toMatch(/GRCh37/);
    // stdout: a line per sample in table order; failed samples say error
    expect(r.stdout.split('\n').slice(0, -1).map(l => l.split('\t').slice(0, 2))).toEqual([
      ['T01', 'amplified'],
      ['gone', 'error'],
      ['cut', 'error'],
      ['b37', 'error'],
      ['T10', 'not_amplified'],
    ]);
    // a failed sample's line has the same columns as the others, NA for all but the name and `error`
    const columns = r.stdout.split('\n').slice(0, -1).map(l => l.split('\t').map(c => c.replace(/=.*/, '')));
    expect(new Set(columns.map(c => c.slice(2).join(' ')))).toEqual(new Set(['log2 ci95 probes_at_or_above qc assessment']));
    expect(r.stdout).toMatch(/^gone\terror\tlog2=NA\tci95=NA\tprobes_at_or_above=NA\tqc=NA\tassessment=NA$/m);
    // one closing error line names the failed samples
    expect(r.stderr.trimEnd().split('\n').pop()).toMatch(/^her2cn: error: .*samples\.tsv: 3 of 5 samples failed \(gone, cut, b37\); each error is in .*cohort\.tsv/);
    // failed samples are marked apart in the plot
    const svg = readFileSync(join(out, 'cohort.plot.svg'), 'utf8');
    expect([...svg.matchAll(/<g class="sample error" data-sample="([^"]+)" data-rank="(\d+)"/g)].map(m => [m[1], m[2]])).toEqual([
      ['gone', '2'],
      ['cut', '3'],
      ['b37', '4'],
    ]);
    expect(svg).toMatch(/, 0 no call, 3 failed<.*\n.*>bulk call: 1 amplified, 1 not amplified, at log2 ≥ 1\.3;/);
  });
});

describe('a batch whose stdout reader goes away', () => {
  it('finishes every sample and the cohort files (| head)', async () => {
    const dir = cohortFolder(['T01', 'T10', 'T13']);
    writeFileSync(join(dir, 'samples.tsv'), table([['sample', 'bam'], ['T01', 'bams/T01.bam'], ['T10', 'bams/T10.bam'], ['T13', 'bams/T13.bam']]));
    const out = join(dir, 'out');
    const status = await new Promise<number | null>(resolve => {
      const child = spawn(process.execPath, [CLI, 'batch', join(dir, 'samples.tsv'), '--out', out, '--jobs', '1'], { stdio: ['ignore', 'pipe', 'ignore'] });
      // read the first line, then close the pipe as head(1) does
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('exit', code => resolve(code));
    });
    expect(status).toBe(0);
    expect(readdirSync(out).filter(f => !f.startsWith('.')).sort()).toEqual([...SIX('T01'), ...SIX('T10'), ...SIX('T13'), 'cohort.plot.png', 'cohort.plot.svg', 'cohort.tsv', 'her2cn_mqc.json'].sort());
  });
});
