// `npm run test-data` must reproduce the committed cohort byte for byte
// (same seed, same bytes): regenerate a few samples and compare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBed } from '../../src/panel/bed.js';
import { cohort } from '../../src/simulate/cohort.js';
import { COMMITTED_SEED } from '../../src/simulate/seed.js';
import { cohortTable, truthTable, writeSampleBam } from '../../src/simulate/write.js';
import { DEMO_PANEL, TEST_DATA, tempDir } from '../helpers.js';

const panel = readBed(DEMO_PANEL);
const specs = cohort({ seed: COMMITTED_SEED });

describe('test-data is reproducible', () => {
  it.each(['N03', 'T04', 'T13', 'T19'])('%s.bam and its index regenerate identically', sample => {
    const dir = tempDir();
    writeSampleBam(specs.find(s => s.name === sample)!, panel.probes, join(dir, `${sample}.bam`), COMMITTED_SEED);
    expect(readFileSync(join(dir, `${sample}.bam`)).equals(readFileSync(join(TEST_DATA, `${sample}.bam`)))).toBe(true);
    expect(readFileSync(join(dir, `${sample}.bam.csi`)).equals(readFileSync(join(TEST_DATA, `${sample}.bam.csi`)))).toBe(true);
  });

  it('truth.tsv and cohort.tsv regenerate identically', () => {
    expect(truthTable(specs, panel.probes)).toBe(readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8'));
    expect(cohortTable(specs)).toBe(readFileSync(join(TEST_DATA, 'cohort.tsv'), 'utf8'));
  });

  it('a different seed gives a different cohort', () => {
    const other = cohort({ seed: 'another seed' });
    expect(other.map(s => s.library.depth)).not.toEqual(specs.map(s => s.library.depth));
  });
});
