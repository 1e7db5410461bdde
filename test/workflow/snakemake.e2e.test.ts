// The Snakemake workflow (workflow/Snakefile) on the committed cohort, against
// her2cn run directly: the same PoN, the same six files per tumour, the same
// validation and MultiQC file, byte for byte; and MultiQC reading that file.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { safeFileStem } from '../../src/output/names.js';
import { fixtures } from '../fixtures.js';
import { CLI, DEMO_PANEL, ROOT, skipWithout, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const execFileAsync = promisify(execFile);
const SNAKEFILE = join(ROOT, 'workflow', 'Snakefile');
const CALL_FILES = ['her2cn.json', 'her2cn.vcf', 'probes.tsv', 'plot.svg', 'plot.png', 'report.html'];
const VALIDATION_FILES = ['validation.json', 'validation.md', 'validation.html', 'validation.roc.svg'];

interface Tumour {
  sample: string;
  bam: string;
  purity: string;
  ihc: string;
  /** The specimen's columns (specimen, collected), empty where not given. */
  specimen?: string;
  collected?: string;
}

/** The shipped demo table (sample, bam, purity, ihc; BAMs relative to its folder), read here independently of the workflow. */
function demoTumours(): Tumour[] {
  const table = join(ROOT, 'workflow', 'demo', 'tumours.tsv');
  const [header, ...rows] = readFileSync(table, 'utf8').trimEnd().split('\n');
  expect(header).toBe('sample\tbam\tpurity\tihc');
  return rows.map(line => {
    const [sample, bam, purity, ihc] = line.split('\t');
    return { sample, bam: resolve(join(ROOT, 'workflow', 'demo'), bam), purity, ihc };
  });
}

async function her2cn(args: string[]): Promise<void> {
  await execFileAsync(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
}

/** Runs the jobs two at a time, as many as the machine's cores the workflow gets. */
async function twoAtATime(jobs: (() => Promise<void>)[]): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all([worker(), worker()]);
}

describe.skipIf(!toolAvailable('snakemake'))('Snakemake workflow on the committed cohort', () => {
  const dir = tempDir('her2cn-snakemake-');
  const out = join(dir, 'results');
  const direct = join(dir, 'direct');
  /** The tumours also called directly: a specimen, purity and IHC, a name that is no file name. */
  const DIRECT = ['T02', 'T11', 'T01 again/β'];
  // The demo tumours, and T01 once more under a name that is no file name (it
  // must come out under her2cn's own file stem, and be called by its name).
  // T02 carries specimen columns, which reach its report and JSON by either way.
  const tumours: Tumour[] = [...demoTumours(), { sample: 'T01 again/β', bam: join(TEST_DATA, 'T01.bam'), purity: '', ihc: '2+' }].map(t =>
    t.sample === 'T02' ? { ...t, specimen: 'core A2, left breast', collected: '2026-03-04' } : t,
  );
  const snakemake = (...args: string[]) =>
    spawnSync('snakemake', ['-s', SNAKEFILE, '--directory', dir, '--configfile', join(dir, 'config.yaml'), ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    expect(tumours.map(t => t.sample).slice(0, 13)).toEqual(Array.from({ length: 13 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`));
    // The samples table in a folder of its own, BAMs relative to it.
    mkdirSync(join(dir, 'sheets'));
    writeFileSync(
      join(dir, 'sheets', 'tumours.tsv'),
      'sample\tbam\tpurity\tihc\tspecimen\tcollected\n' +
        tumours.map(t => [t.sample, relative(join(dir, 'sheets'), t.bam), t.purity, t.ihc, t.specimen ?? '', t.collected ?? ''].join('\t') + '\n').join(''),
    );
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        `her2cn: ${JSON.stringify(CLI)}`,
        `normals: ${JSON.stringify(join(ROOT, 'workflow', 'demo', 'normals.tsv'))}`,
        `tumours: ${JSON.stringify(join(dir, 'sheets', 'tumours.tsv'))}`,
        `truth: ${JSON.stringify(join(TEST_DATA, 'truth.tsv'))}`,
        `out: ${JSON.stringify(out)}`,
        '',
      ].join('\n'),
    );
    const run = snakemake('--cores', '2');
    expect(run.status, run.stderr).toBe(0);

    // The reference: her2cn batch on the same samples table with the
    // workflow's PoN (batch writes what call writes: batch.e2e.test.ts), and
    // her2cn call run directly on the rows the table's columns reach in ways
    // of their own (specimen, purity and IHC, a sample name that is no file name).
    await her2cn(['batch', join(dir, 'sheets', 'tumours.tsv'), '--pon', join(out, 'pon.json.gz'), '--out', join(dir, 'batch')]);
    mkdirSync(direct);
    await twoAtATime(
      tumours.filter(t => DIRECT.includes(t.sample)).map(t => async () => {
        const options = [
          '--sample', t.sample,
          ...(t.purity ? ['--purity', t.purity] : []),
          ...(t.ihc ? ['--ihc', t.ihc] : []),
          ...(t.specimen ? ['--specimen', t.specimen] : []),
          ...(t.collected ? ['--collected', t.collected] : []),
        ];
        await her2cn(['call', t.bam, '--pon', join(out, 'pon.json.gz'), ...options, '--out', join(direct, 'calls')]);
      }),
    );
    await her2cn(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), join(dir, 'batch'), '--out', join(direct, 'validation')]);
  }, 240_000);

  it("writes every tumour's six files byte for byte as her2cn batch does from the same samples table", () => {
    const files = readdirSync(join(out, 'calls')).sort();
    expect(files).toHaveLength(tumours.length * CALL_FILES.length);
    for (const name of files) {
      expect(readFileSync(join(out, 'calls', name)).equals(readFileSync(join(dir, 'batch', name))), name).toBe(true);
    }
  });

  it('builds the PoN her2cn pon builds from the same normals', () => {
    expect(readFileSync(join(out, 'pon.json.gz')).equals(readFileSync(fixtures().pon))).toBe(true);
  });

  it("writes each tumour's six files under her2cn's file stem, as her2cn call writes them", () => {
    const stems = tumours.map(t => safeFileStem(t.sample));
    expect(stems.at(-1)).toBe('T01_again__');
    expect(readdirSync(join(out, 'calls')).sort()).toEqual(stems.flatMap(s => CALL_FILES.map(f => `${s}.${f}`)).sort());
    expect(readdirSync(join(direct, 'calls'))).toHaveLength(DIRECT.length * CALL_FILES.length);
    for (const stem of DIRECT.map(safeFileStem)) {
      for (const file of CALL_FILES) {
        const name = `${stem}.${file}`;
        expect(readFileSync(join(out, 'calls', name)).equals(readFileSync(join(direct, 'calls', name))), name).toBe(true);
      }
    }
    // Purity and IHC from the table reached the calls; T13's were left empty.
    const result = (stem: string) => JSON.parse(readFileSync(join(out, 'calls', `${stem}.her2cn.json`), 'utf8'));
    expect(result('T11')).toMatchObject({ sample: 'T11', purity: 0.25, ihc: '3+' });
    expect(result('T13')).toMatchObject({ purity: null, ihc: null, call: 'no_call' });
    expect(result('T01_again__')).toMatchObject({ sample: 'T01 again/β', ihc: '2+', call: 'amplified' });
    expect(result('T02').specimen).toEqual({ id: 'core A2, left breast', accession: null, block: null, tumor_content: null, collected: '2026-03-04' });
    expect(result('T03').specimen).toBeNull();
  });

  it('writes her2cn_mqc.json as her2cn batch does, sorted by sample', () => {
    const text = readFileSync(join(out, 'her2cn_mqc.json'), 'utf8');
    expect(readFileSync(join(dir, 'batch', 'her2cn_mqc.json'), 'utf8')).toBe(text);
    expect(Object.keys(JSON.parse(text).data)).toEqual(tumours.map(t => t.sample).sort((a, b) => (a < b ? -1 : 1)));
  });

  it('gives MultiQC the her2cn columns for every tumour, no level for a no-call', ({ skip }) => {
    skipWithout(skip, 'multiqc');
    // MultiQC picks the file up from the folder, as it would beside a lab's other QC
    const report = join(dir, 'multiqc');
    const run = spawnSync('multiqc', ['--quiet', '--force', '--outdir', report, out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [header, ...lines] = readFileSync(join(report, 'multiqc_data', 'multiqc_general_stats.txt'), 'utf8').trimEnd().split('\n').map(l => l.split('\t'));
    const column = (key: string) => header.findIndex(h => h.endsWith(`-${key}`));
    const rows = new Map(lines.map(l => [l[0], l]));
    expect(rows.size).toBe(tumours.length);
    for (const key of ['her2cn_assessment', 'her2cn_log2', 'her2cn_mapd', 'her2cn_depth', 'her2cn_qc']) expect(column(key), key).toBeGreaterThan(0);
    const t01 = rows.get('T01')!;
    expect(t01[column('her2cn_assessment')]).toBe('amplified');
    expect(Number(t01[column('her2cn_log2')])).toBeGreaterThanOrEqual(1.3);
    expect(t01[column('her2cn_qc')]).toBe('pass');
    // a no-call shows no level, but its noise and depth
    const t13 = rows.get('T13')!;
    expect(t13[column('her2cn_assessment')]).toBe('no_call');
    expect(t13[column('her2cn_log2')]).toBe('');
    expect(Number(t13[column('her2cn_mapd')])).toBeGreaterThan(0.5);
    expect(t13[column('her2cn_qc')]).toBe('fail');
    expect(readFileSync(join(report, 'multiqc_report.html'), 'utf8')).toContain('ERBB2 log2');
  });

  it('validates the calls as her2cn validate does', () => {
    for (const file of VALIDATION_FILES) {
      expect(readFileSync(join(out, 'validation', file)).equals(readFileSync(join(direct, 'validation', file))), file).toBe(true);
    }
    const v = JSON.parse(readFileSync(join(out, 'validation', 'validation.json'), 'utf8'));
    expect(v.table).toEqual({ tp: 7, fp: 0, fn: 1, tn: 4 });
    expect(v.unmatched.results_only).toEqual(['T01 again/β']);
  });

  it('keeps a log per job and leaves no staging folders', () => {
    expect(readFileSync(join(out, 'logs', 'pon.log'), 'utf8')).toContain('9 of 10 normals used');
    for (const t of tumours) {
      const log = readFileSync(join(out, 'logs', 'call', `${safeFileStem(t.sample)}.log`), 'utf8');
      expect(log).toMatch(new RegExp(`^${t.sample.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\t(amplified|not_amplified|no_call)\t`, 'm'));
    }
    expect(readFileSync(join(out, 'logs', 'validate.log'), 'utf8')).toContain('tp=7 fp=0 fn=1 tn=4');
    expect(readdirSync(out).sort()).toEqual(['calls', 'her2cn_mqc.json', 'logs', 'pon.json.gz', 'validation']);
  });

  it('has nothing left to do once every declared file is there', () => {
    const dry = snakemake('--cores', '1', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).toMatch(/Nothing to be done/);
  });

  it('gives a configured panel to pon and every call, and would rebuild them for it', () => {
    const dry = snakemake('--cores', '1', '--dry-run', '--printshellcmds', '--config', `panel=${DEMO_PANEL}`);
    expect(dry.status, dry.stderr).toBe(0);
    const commands = (dry.stdout + dry.stderr).split('\n').map(l => l.trim()).filter(l => l.startsWith(`${CLI} pon `) || l.startsWith(`${CLI} call `));
    expect(commands.length).toBe(1 + tumours.length);
    expect((dry.stdout + dry.stderr).split('\n').some(l => l.includes("'--specimen=core A2, left breast' --collected=2026-03-04"))).toBe(true);
    for (const c of commands) expect(c).toContain(` --panel=${DEMO_PANEL} `);
  });

  it('refuses a bad samples table before running anything, naming the file and line', () => {
    const bad = join(dir, 'sheets', 'bad.tsv');
    writeFileSync(bad, 'sample\tbam\tpurity\nT01\tT01.bam\t60\n');
    const r = snakemake('--cores', '1', '--dry-run', '--config', `tumours=${bad}`);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`${bad} line 2: purity '60' must be a number with 0.05 <= purity <= 1`);
    expect(existsSync(join(out, 'calls', 'T01.her2cn.json'))).toBe(true);
  });
});
