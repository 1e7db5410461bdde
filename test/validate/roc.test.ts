// ROC and threshold analysis on scores with a known answer.
import { describe, expect, it } from 'vitest';
import { thresholdAnalysis } from '../../src/validate/concordance.js';

describe('threshold analysis', () => {
  it('AUC equals the Mann-Whitney probability that a positive outscores a negative', () => {
    const pos = [2.1, 1.4, 0.9, 1.8];
    const neg = [0.1, 1.0, -0.2, 0.95, 1.5];
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    const r = thresholdAnalysis([...pos.map(log2 => ({ log2, positive: true })), ...neg.map(log2 => ({ log2, positive: false }))]);
    expect(r.roc!.auc).toBeCloseTo(wins / (pos.length * neg.length), 4);
    // no false positive only above the highest negative (1.5); the next value is 1.8
    expect(r.full_specificity).toMatchObject({ threshold: 1.65, sensitivity: 0.5, specificity: 1 });
    expect(r.grid.find(g => g.threshold === 1.3)).toMatchObject({ tp: 3, fp: 1, fn: 1, tn: 4 });
  });

  it('needs both classes for a ROC', () => {
    expect(thresholdAnalysis([{ log2: 1, positive: true }]).roc).toBeNull();
  });
});
