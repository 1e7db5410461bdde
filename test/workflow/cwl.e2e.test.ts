// The CWL descriptions (workflow/cwl/): each one valid for cwltool, and the
// cohort workflow run end to end on three tumours, against her2cn run
// directly on the same files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures.js';
import { CLI, ROOT, runCli, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const CWL = join(ROOT, 'workflow', 'cwl');
const CALL_FILES = ['her2cn.json', 'her2cn.vcf', 'probes.tsv', 'plot.svg', 'plot.png', 'report.html'];
const VALIDATION_FILES = ['validation.json', 'validation.md', 'validation.html', 'validation.roc.svg'];

describe.skipIf(!toolAvailable('cwltool'))('CWL descriptions', () => {
  const files = readdirSync(CWL).filter(f => f.endsWith('.cwl')).sort();

  it('are all there', () => {
    expect(files).toEqual(['her2cn-call.cwl', 'her2cn-cohort.cwl', 'her2cn-pon.cwl', 'her2cn-validate.cwl']);
  });

  it.each(files)('%s passes cwltool --validate', file => {
    const r = spawnSync('cwltool', ['--validate', join(CWL, file)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain(`${file} is valid CWL`);
  });
});

describe.skipIf(!toolAvailable('cwltool') || !toolAvailable('python3'))('CWL cohort workflow run with cwltool', () => {
  const dir = tempDir('her2cn-cwl-');
  const out = join(dir, 'out');
  const tumours = [
    ['T01', '0.6', '3+'],
    ['T10', '0.5', '0'],
    ['T13', '', ''],
  ];
  // T01's specimen, in the table's columns and as call's options: it reaches the report and JSON through the workflow.
  const SPECIMEN: Record<string, [string, string][]> = {
    T01: [['specimen', 'S-26-0042'], ['accession', 'A 26/117'], ['block', 'B2'], ['tumour_content', '60%'], ['collected', '2026-11-02']],
  };
  const SPECIMEN_COLUMNS = ['specimen', 'accession', 'block', 'tumour_content', 'collected'];
  let outputs: Record<string, unknown>;

  beforeAll(() => {
    // The job, made from the tables the Snakemake workflow reads.
    const specimenCells = (s: string) => SPECIMEN_COLUMNS.map(c => new Map(SPECIMEN[s] ?? []).get(c) ?? '').join('\t');
    writeFileSync(
      join(dir, 'tumours.tsv'),
      `sample\tbam\tpurity\tihc\t${SPECIMEN_COLUMNS.join('\t')}\n` + tumours.map(([s, p, i]) => `${s}\t${join(TEST_DATA, `${s}.bam`)}\t${p}\t${i}\t${specimenCells(s)}\n`).join(''),
    );
    const job = spawnSync(
      'python3',
      [join(ROOT, 'workflow', 'scripts', 'cwl_job.py'), '--normals', join(ROOT, 'workflow', 'demo', 'normals.tsv'), '--tumours', join(dir, 'tumours.tsv'), '--truth', join(TEST_DATA, 'truth.tsv')],
      { encoding: 'utf8' },
    );
    expect(job.status, job.stderr).toBe(0);
    writeFileSync(join(dir, 'job.json'), job.stdout);
    // her2cn on PATH, as the tools expect it.
    mkdirSync(join(dir, 'bin'));
    symlinkSync(CLI, join(dir, 'bin', 'her2cn'));
    mkdirSync(join(dir, 'tmp'));
    const r = spawnSync(
      'cwltool',
      ['--no-container', '--outdir', out, '--tmpdir-prefix', join(dir, 'tmp', 'job-'), '--tmp-outdir-prefix', join(dir, 'tmp', 'out-'), join(CWL, 'her2cn-cohort.cwl'), join(dir, 'job.json')],
      { encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } },
    );
    expect(r.status, r.stderr).toBe(0);
    outputs = JSON.parse(r.stdout);

    // The reference: her2cn run directly. The PoN from the same normals (made
    // once per test run, fixtures.ts); each
    // call in a folder holding the BAM (with its index) and the workflow's PoN
    // under their file names, as the call tool links them into its folder.
    for (const [sample, purity, ihc] of tumours) {
      const stage = join(dir, 'stage', sample);
      mkdirSync(stage, { recursive: true });
      for (const f of [`${sample}.bam`, `${sample}.bam.csi`]) symlinkSync(join(TEST_DATA, f), join(stage, f));
      symlinkSync(join(out, 'pon.json.gz'), join(stage, 'pon.json.gz'));
      const specimen = (SPECIMEN[sample] ?? []).flatMap(([column, value]) => [`--${column.replace('_', '-')}`, value]);
      const options = ['--sample', sample, ...(purity ? ['--purity', purity] : []), ...(ihc ? ['--ihc', ihc] : []), ...specimen];
      const call = runCli(['call', `${sample}.bam`, '--pon', 'pon.json.gz', ...options, '--out', join(dir, 'direct')], { cwd: stage });
      expect(call.status, call.stderr).toBe(0);
    }
    const validate = runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), join(dir, 'direct'), '--out', join(dir, 'direct-validation')]);
    expect(validate.status, validate.stderr).toBe(0);
  }, 180_000);

  it('builds the PoN her2cn pon builds from the same normals, but for where the runner put the BAMs', () => {
    const read = (path: string) => JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
    const cwl = read(join(out, 'pon.json.gz'));
    const ref = read(fixtures().pon);
    // The runner stages each input in a folder of its own; the PoN records the path it was given.
    expect(cwl.normals.map((n: { bam: string }) => basename(n.bam))).toEqual(ref.normals.map((n: { bam: string }) => basename(n.bam)));
    for (const pon of [cwl, ref]) for (const n of pon.normals) n.bam = basename(n.bam);
    expect(cwl).toEqual(ref);
  });

  it('calls each tumour as her2cn call does in a folder holding the BAM and the PoN (under their file names)', () => {
    // The specimen's fields reached the call (the byte comparison below then covers the report).
    expect(JSON.parse(readFileSync(join(out, 'T01.her2cn.json'), 'utf8')).specimen).toMatchObject({ id: 'S-26-0042', block: 'B2', collected: '2026-11-02' });
    for (const [sample] of tumours) {
      for (const file of CALL_FILES) {
        const name = `${sample}.${file}`;
        expect(readFileSync(join(out, name)).equals(readFileSync(join(dir, 'direct', name))), name).toBe(true);
      }
    }
    expect((outputs.reports as { basename: string }[]).map(f => f.basename)).toEqual(tumours.map(([s]) => `${s}.report.html`));
  });

  it('validates the calls as her2cn validate does', () => {
    for (const file of VALIDATION_FILES) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, 'direct-validation', file))), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8'))).toMatchObject({ n: 3, table: { tp: 1, fp: 0, fn: 0, tn: 1 }, no_calls: ['T13'] });
    expect(outputs.validation_json).toMatchObject({ basename: 'validation.json' });
  });
});
