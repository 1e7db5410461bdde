// IHC score spellings shared by the tests of every reader (her2cn's and the
// Snakemake workflow's): each accepted spelling with its canonical score, and
// strings that must be refused.

/** Spellings labs write, each with the canonical score it must become. */
export const SPELLINGS: [string, string][] = [
  ['0', '0'],
  [' 0 ', '0'],
  ['1+', '1+'],
  ['1 +', '1+'],
  ['2+', '2+'],
  ['3+', '3+'],
  ['３＋', '3+'], // full-width, as some spreadsheets type them
  ['1-2+ focal', '1-2+ focal'],
  ['1–2+ focal', '1-2+ focal'], // en dash, as the study prints it
  ['1-2+focal', '1-2+ focal'],
  ['1–2 + focal', '1-2+ focal'],
  ['1 − 2+ Focal', '1-2+ focal'], // minus sign
  ['1-2+  FOCAL', '1-2+ focal'],
  ['2-3+ focal', '2-3+ focal'],
  ['2–3+ focal', '2-3+ focal'],
  ['2-3+ FOCAL', '2-3+ focal'],
  ['2–3+focal', '2-3+ focal'],
  ['2 - 3 + focal', '2-3+ focal'],
  ['0 (ultralow)', '0 (ultralow)'],
  ['0(ultralow)', '0 (ultralow)'],
  ['0 ( Ultralow )', '0 (ultralow)'],
  ['0 ultralow', '0 (ultralow)'],
  ['0 ultra-low', '0 (ultralow)'],
  ['0 (ultra low)', '0 (ultralow)'],
  ['ultralow', '0 (ultralow)'],
  ['Ultra-low', '0 (ultralow)'],
  ['ULTRALOW', '0 (ultralow)'],
  ['0 (null)', '0 (null)'],
  ['0 null', '0 (null)'],
  ['0 NULL', '0 (null)'],
  ['0(null)', '0 (null)'],
];

/** Strings that are not a score: each must be refused, never guessed. */
export const REFUSED = [
  '4+', '0+', '2', '3', '+3', '3++', '1+/2+', '1-2+', '2-3+', '1-3+ focal', '3-2+ focal', '1-2+ diffuse', 'focal', 'focal 2-3+',
  'null', 'NULL', '0null', '0 null null', '0 (low)', '0-ultralow', 'ultra', 'low', 'zero', 'positive', 'equivocal', 'N/A', '2+ focal', '1-2+ focal?',
];
