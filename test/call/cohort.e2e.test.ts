// The main job on the committed cohort and on a fresh cohort made with
// another seed: calls agree with the simulated truth.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/call/call.js';
import { measureBam } from '../../src/coverage/measure.js';
import { readBed } from '../../src/panel/bed.js';
import { buildPon } from '../../src/pon/build.js';
import { readPon } from '../../src/pon/file.js';
import { type PanelOfNormals, ponProbes } from '../../src/pon/pon.js';
import { cohort } from '../../src/simulate/cohort.js';
import { truthTable, writeSampleBam } from '../../src/simulate/write.js';
import { DEMO_PANEL, ROOT, TEST_DATA, tempDir } from '../helpers.js';
import { agreementTable, callMeasured, checkAgreement, checkAssessment, type Measured, measureCohort, readTruth } from './agreement.js';

const pon = await readPon(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'));

describe('committed cohort with the embedded panel of normals', () => {
  const probes = ponProbes(pon);
  let results: Map<string, CallResult>;
  let measured: Measured;
  beforeAll(async () => {
    measured = await measureCohort(TEST_DATA, pon, probes);
    results = callMeasured(readTruth(TEST_DATA), measured, pon, probes);
  });

  it('agrees with the truth for every tumour', () => {
    const truth = readTruth(TEST_DATA);
    process.stderr.write(`agreement, committed cohort:\n${agreementTable(truth, results)}\n`);
    checkAgreement(truth, results);
  });

  it('assesses no tumour against its FISH, with the purity as given, misestimated by 0.75 and 1.25, or not given', () => {
    const truth = readTruth(TEST_DATA);
    for (const factor of [1, 0.75, 1.25]) {
      process.stderr.write(`assessment, committed cohort, purity x ${factor}:\n${checkAssessment(truth, callMeasured(truth, measured, pon, probes, factor), `purity x ${factor}`)}\n`);
    }
    // Without purity, the bulk call stands where the data allow it; no FISH-negative tumour is assessed amplified.
    checkAssessment(truth, results, 'no purity');
  });

  it('left the noisy FFPE normal out of the panel of normals and inferred every normal\'s sex', () => {
    const byName = new Map(pon.normals.map(n => [n.name, n]));
    expect(byName.get('N10')!.used).toBe(false);
    expect(byName.get('N10')!.reason).toMatch(/noisy/);
    expect(pon.normals.filter(n => n.used)).toHaveLength(9);
    for (const n of ['N01', 'N02', 'N03', 'N04', 'N05', 'N10']) expect(byName.get(n)!.sex).toBe('female');
    for (const n of ['N06', 'N07', 'N08', 'N09']) expect(byName.get(n)!.sex).toBe('male');
  });

  it('infers the tumours\' sex from chrX and chrY', () => {
    expect(results.get('T07')!.sex.sex).toBe('male');
    expect(results.get('T10')!.sex.sex).toBe('male');
    expect(results.get('T01')!.sex.sex).toBe('female');
  });
});

describe('a second cohort simulated with another seed', () => {
  const dir = tempDir('her2cn-seed2-');
  const panel = readBed(DEMO_PANEL);
  let pon: PanelOfNormals;
  let results: Map<string, CallResult>;
  let measured: Measured;
  beforeAll(async () => {
    // The samples and truth table as `npm run test-data` writes them, at deflate level 1
    // (only the reads matter here; level 9 doubles the time to write them).
    const specs = cohort({ seed: 'a second cohort' });
    for (const spec of specs) writeSampleBam(spec, panel.probes, join(dir, `${spec.name}.bam`), 'a second cohort', { level: 1 });
    writeFileSync(join(dir, 'truth.tsv'), truthTable(specs, panel.probes));
    const normals = [];
    for (let i = 1; i <= 10; i++) {
      const name = `N${String(i).padStart(2, '0')}`;
      const m = await measureBam(join(dir, `${name}.bam`), panel.probes, 'test', { minMapq: 20, excludeFlags: 3844, countMateOverlapOnce: true });
      normals.push({ name, bam: name, build: m.build, depths: m.depths, medianInsert: m.medianInsert, insertSpread: m.insertSpread });
    }
    pon = buildPon(normals, panel.probes, panel.probes.map(p => p.gc), {
      panelSource: 'demo',
      filters: { minMapq: 20, excludeFlags: 3844, countMateOverlapOnce: true },
      gcSource: 'panel',
      version: 'test',
    }).pon;
    measured = await measureCohort(dir, pon, panel.probes);
    results = callMeasured(readTruth(dir), measured, pon, panel.probes);
  }, 120_000);

  it('agrees with its truth as well: the caller is not tuned to the committed files', () => {
    const truth = readTruth(dir);
    process.stderr.write(`agreement, second cohort:\n${agreementTable(truth, results)}\n`);
    checkAgreement(truth, results);
    for (const factor of [1, 0.75, 1.25]) checkAssessment(truth, callMeasured(truth, measured, pon, panel.probes, factor), `second cohort, purity x ${factor}`);
    checkAssessment(truth, results, 'second cohort, no purity');
  }, 120_000);
});
