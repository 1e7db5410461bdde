// Reading a result document back (batch's reused results, validate's
// inputs): parsed and checked against the schema, so every later use is typed.
import { Value } from '@sinclair/typebox/value';
import { Her2cnError } from '../errors/errors.js';
import { type Her2cnResult, Her2cnResultSchema } from './schema.js';

export function parseResult(text: string, source: string): Her2cnResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Her2cnError('input', `${source}: not valid JSON; expected a her2cn result (<sample>.her2cn.json)`, source);
  }
  if (!Value.Check(Her2cnResultSchema, doc)) {
    const first = Value.Errors(Her2cnResultSchema, doc).First();
    const where = first ? `${first.path || '/'}: ${first.message}` : 'unknown';
    throw new Her2cnError('input', `${source}: not a her2cn result of this version (${where}); run 'her2cn call' on the sample again`, source);
  }
  return doc;
}
