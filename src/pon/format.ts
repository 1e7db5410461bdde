// The panel-of-normals file's name and version and the names of its probe
// columns and flags: what readers need without the schema (schema.ts), whose
// library is loaded only to explain a file that fails its check.

export const PON_FORMAT = 'her2cn-pon';
/**
 * The file's layout version: raised only when the shape changes (a field
 * added, removed or given another meaning), so that a reader refuses a file
 * it would misread.
 */
export const PON_FORMAT_VERSION = 2;

export const PROBE_FLAGS = ['low_coverage', 'noisy', 'no_coverage', 'no_male_normals'] as const;
export type ProbeFlag = (typeof PROBE_FLAGS)[number];

/** The probe columns, in the order the file holds them. */
export const PROBE_COLUMNS = ['chrom', 'start', 'end', 'name', 'gene', 'gc', 'log2', 'spread', 'weight', 'flags'] as const;
