// The PoN's compiled field check (src/pon/shape-check.ts, read at start-up
// without TypeBox) is what the schema compiles to today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shapeCheckSource } from '../../src/pon/shape-check-source.js';

describe('PoN shape check', () => {
  it('is committed as the schema compiles it (npm run schema)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'src', 'pon', 'shape-check.ts'), 'utf8')).toBe(shapeCheckSource());
  });
});
