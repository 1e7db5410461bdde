// The validation texts (stdout, validation.md, validation.html) round each
// proportion and interval bound once, from the counts: the JSON's values
// are already rounded to 4 decimals, and rounding those again moves the last
// digit (28/29 = 96.55..% read 96.5%). Expected texts computed apart from
// her2cn (Clopper-Pearson by bisection on the binomial distribution).
import { describe, expect, it } from 'vitest';
import { metric } from '../../src/validate/metric.js';
import { metricText } from '../../src/validate/report.js';

describe('metric texts', () => {
  it.each([
    [28, 29, '96.6% (28/29; 95% CI 82.2%–99.9%)'], // 96.5517%, 82.2356–99.9127
    [56, 57, '98.2% (56/57; 95% CI 90.6%–100.0%)'], // 98.2456%, 90.6083–99.9556
    [1, 29, '3.4% (1/29; 95% CI 0.1%–17.8%)'], // 3.4483%, 0.0873–17.7644
    [0, 10, '0.0% (0/10; 95% CI 0.0%–30.8%)'], // upper 1 - 0.025^(1/10) = 30.8497%
    [1, 8, '12.5% (1/8; 95% CI 0.3%–52.7%)'], // 0.3160–52.6510
    [8, 9, '88.9% (8/9; 95% CI 51.8%–99.7%)'], // 51.7503–99.7191
  ])('%i/%i is %s', (x, n, text) => {
    expect(metricText(metric(x, n))).toBe(text);
  });

  it('says n/a for an empty denominator', () => {
    expect(metricText(metric(0, 0))).toBe('n/a (0 cases)');
  });
});
