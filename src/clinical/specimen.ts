// The specimen as the laboratory identifies it (specimen, accession, block,
// tumour content estimate, collection date), given on `call`'s command line
// or in columns of `batch`'s samples table. Carried as written into the
// report and the JSON; checked only so that one value stays one short line
// and a date is a real calendar date.
import type { Specimen } from '../result/schema.js';

/** Each field: its command-line option and table column, and its key in the result JSON. */
export const SPECIMEN_FIELDS = [
  { option: '--specimen', column: 'specimen', key: 'id' },
  { option: '--accession', column: 'accession', key: 'accession' },
  { option: '--block', column: 'block', key: 'block' },
  { option: '--tumour-content', column: 'tumour_content', key: 'tumor_content' },
  { option: '--collected', column: 'collected', key: 'collected' },
] as const;

export type SpecimenKey = (typeof SPECIMEN_FIELDS)[number]['key'];

/** The longest a specimen field may be, in characters. */
export const MAX_LENGTH = 100;

/** Why a value cannot be a specimen field, or undefined when it can. */
export function specimenProblem(key: SpecimenKey, value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'an empty value';
  if (/[\x00-\x1F\x7F]/.test(v)) return `'${value.replace(/[\x00-\x1F\x7F]/g, ' ')}' holds a tab, line break or other control character`;
  if (v.length > MAX_LENGTH) return `a value of ${v.length} characters; at most ${MAX_LENGTH}`;
  if (key === 'collected') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!m || !date || date.getUTCFullYear() !== Number(m[1]) || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
      return `'${v}' is not a date written YYYY-MM-DD`;
    }
  }
  return undefined;
}

/** The specimen from the values given (trimmed), or undefined when none was. */
export function specimenFrom(values: Partial<Record<SpecimenKey, string>>): Specimen | undefined {
  if (!SPECIMEN_FIELDS.some(f => values[f.key] !== undefined)) return undefined;
  const specimen = {} as Specimen;
  for (const f of SPECIMEN_FIELDS) specimen[f.key] = values[f.key]?.trim() ?? null;
  return specimen;
}
