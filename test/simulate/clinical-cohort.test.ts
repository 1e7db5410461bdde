// The assessment benchmark's cohort (bench/assessment-cohort.sh): its make-up
// and the tables `her2cn batch` and `her2cn validate` read. No BAMs here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSamples } from '../../src/batch/samples.js';
import { readBed } from '../../src/panel/bed.js';
import { CLINICAL_PLAN, clinicalCohort, writeClinicalCohort } from '../../src/simulate/clinical-cohort.js';
import { fishOf } from '../../src/simulate/model.js';
import { parseTruth } from '../../src/validate/truth.js';
import { DEMO_PANEL, tempDir } from '../helpers.js';

const samples = clinicalCohort({ seed: 'clinical test' });
const tumours = samples.filter(s => s.spec.role === 'tumour');
const normals = samples.filter(s => s.spec.role === 'normal');

describe('clinical benchmark cohort', () => {
  it('has the planned tumours and ten normals of both sexes, at 150-500x, purity 0.1-0.9', () => {
    expect(tumours).toHaveLength(87);
    expect(CLINICAL_PLAN.reduce((s, [, n]) => s + n, 0)).toBe(87);
    for (const [kind, n] of CLINICAL_PLAN) expect(tumours.filter(t => t.kind === kind)).toHaveLength(n);
    expect(normals).toHaveLength(10);
    expect(new Set(normals.map(n => n.spec.sex))).toEqual(new Set(['female', 'male']));
    for (const s of samples) {
      expect(s.spec.library.depth).toBeGreaterThanOrEqual(150);
      expect(s.spec.library.depth).toBeLessThanOrEqual(500);
    }
    for (const t of tumours) {
      expect(t.spec.purity).toBeGreaterThanOrEqual(0.1);
      expect(t.spec.purity).toBeLessThanOrEqual(0.9);
    }
    expect(new Set(tumours.map(t => t.libraryKind))).toEqual(new Set(['fresh', 'ffpe', 'ffpe-gc']));
    const strong = tumours.filter(t => t.libraryKind === 'ffpe-gc');
    for (const t of strong) expect(t.spec.library.insertMean).toBeLessThanOrEqual(140);
  });

  it('gives each kind the FISH truth its biology implies', () => {
    const fish = (kind: string) => tumours.filter(t => t.kind === kind).map(t => fishOf(t.spec));
    for (const f of fish('monosomy-17-erbb2-gain')) expect(f).toMatchObject({ cep17PerCell: 1, group: 2, positive: false });
    for (const f of fish('polysomy-17')) expect(f.ratio).toBe(1);
    for (const f of fish('loss-17p')) expect(f).toMatchObject({ her2PerCell: 2, cep17PerCell: 2, group: 5 });
    for (const f of fish('wgd')) expect(f).toMatchObject({ her2PerCell: 4, cep17PerCell: 4, group: 4 });
    for (const f of fish('wgd-amplified')) expect(f).toMatchObject({ cep17PerCell: 4, group: 1 });
    for (const kind of ['amplified-focal', 'amplified-17q12', 'partial-3prime', 'partial-5prime', 'partial-internal']) {
      for (const f of fish(kind)) expect(f.positive).toBe(true);
    }
    for (const f of fish('diploid')) expect(f).toMatchObject({ ratio: 1, group: 5 });
    // about a third FISH positive
    const positive = tumours.filter(t => fishOf(t.spec).positive).length / tumours.length;
    expect(positive).toBeGreaterThan(0.25);
    expect(positive).toBeLessThan(0.5);
  });

  it('is fixed by its seed: the same seed the same cohort, another seed another', () => {
    expect(clinicalCohort({ seed: 'clinical test' })).toEqual(samples);
    const other = clinicalCohort({ seed: 'another clinical seed' });
    expect(other.map(s => s.spec.purity)).not.toEqual(samples.map(s => s.spec.purity));
    expect(other.map(s => s.kind)).not.toEqual(samples.map(s => s.kind));
  });

  it('writes samples tables her2cn batch reads and a truth table her2cn validate reads', () => {
    const dir = tempDir('her2cn-clinical-');
    writeClinicalCohort(samples, readBed(DEMO_PANEL).probes, dir, 'clinical test', { tablesOnly: true });
    const truth = parseTruth(readFileSync(join(dir, 'truth.tsv'), 'utf8'), 'truth.tsv');
    expect(truth).toHaveLength(87);
    expect(truth.every(t => t.fish && t.fishGroup && t.her2PerCell !== undefined && t.cep17PerCell !== undefined)).toBe(true);
    const given = (variant: string) => parseSamples(readFileSync(join(dir, `samples.${variant}.tsv`), 'utf8'), join(dir, `samples.${variant}.tsv`)).rows;
    const exact = given('purity-truth');
    expect(exact).toHaveLength(87);
    expect(exact[0].bam).toBe(join(dir, 'bams', `${exact[0].sample}.bam`));
    const byName = new Map(tumours.map(t => [t.spec.name, t.spec.purity]));
    for (const r of exact) expect(r.purity).toBe(byName.get(r.sample));
    for (const r of given('purity-x0.75')) expect(r.purity).toBeCloseTo(byName.get(r.sample)! * 0.75, 6);
    for (const r of given('purity-x1.25')) expect(r.purity).toBeCloseTo(Math.min(0.99, byName.get(r.sample)! * 1.25), 6);
    for (const r of given('no-purity')) expect(r.purity).toBeUndefined();
    expect(readFileSync(join(dir, 'samples.tsv'), 'utf8')).toBe(readFileSync(join(dir, 'samples.purity-truth.tsv'), 'utf8'));
  });
});
