// The simulator speaks the project's IHC vocabulary: a simulated tumour can
// carry any score validate accepts (the focal scores, a qualified IHC 0), and
// the truth table it writes reads back to the same canonical score.
import { describe, expect, it } from 'vitest';
import { IHC_SCORES, type IhcScore } from '../../src/clinical/ihc.js';
import { readBed } from '../../src/panel/bed.js';
import { cohort } from '../../src/simulate/cohort.js';
import type { SampleSpec } from '../../src/simulate/model.js';
import { COMMITTED_SEED } from '../../src/simulate/seed.js';
import { truthTable } from '../../src/simulate/write.js';
import { parseTruth } from '../../src/validate/truth.js';
import { DEMO_PANEL } from '../helpers.js';

describe('simulated IHC scores', () => {
  it('writes every score to truth.tsv in the form validate reads back', () => {
    const tumour = cohort({ seed: COMMITTED_SEED }).find(s => s.role === 'tumour')!;
    const specs: SampleSpec[] = IHC_SCORES.map((ihc: IhcScore, i) => ({ ...tumour, name: `S${i}`, ihc }));
    const truth = parseTruth(truthTable(specs, readBed(DEMO_PANEL).probes), 'truth.tsv');
    expect(truth.map(t => t.ihc)).toEqual([...IHC_SCORES]);
  });

  it('gives every tumour of the committed cohort a score validate accepts', () => {
    const scores = cohort({ seed: COMMITTED_SEED }).filter(s => s.role === 'tumour').map(s => s.ihc);
    expect(scores.every(s => s !== undefined && IHC_SCORES.includes(s))).toBe(true);
  });
});
