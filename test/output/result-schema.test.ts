// The result document's schema: the committed JSON Schema is the code's, and
// every golden result satisfies it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/result/read.js';
import { Her2cnResultSchema, schemaText } from '../../src/result/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(ROOT, 'test', 'call', 'golden');

describe('result schema', () => {
  it('is committed as the code declares it (npm run schema)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'her2cn-result.schema.json'), 'utf8')).toBe(schemaText());
  });

  const goldens = readdirSync(GOLDEN).filter(f => f.endsWith('.her2cn.json'));
  it.each(goldens)('%s satisfies it', name => {
    const doc = JSON.parse(readFileSync(join(GOLDEN, name), 'utf8'));
    expect([...Value.Errors(Her2cnResultSchema, doc)].map(e => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it('refuses a document with a key missing or of the wrong type, naming where', () => {
    const text = readFileSync(join(GOLDEN, goldens[0]), 'utf8');
    const doc = JSON.parse(text);
    delete doc.assessment;
    expect(() => parseResult(JSON.stringify(doc), 'old.json')).toThrow(/old\.json: not a her2cn result of this version \(\/assessment/);
    expect(() => parseResult(text.replace('"threshold": 1.3', '"threshold": "1.3"'), 'x.json')).toThrow(/\/threshold/);
    expect(parseResult(text, 'ok.json').sample).toBe(doc.sample);
  });
});
