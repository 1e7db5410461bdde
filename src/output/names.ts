// File names made from sample names. A sample name comes from a user or a
// BAM header and may hold anything; the file stem keeps letters, digits,
// '.', '-' and '_', turns every other character into '_', and never starts
// with '.', so no name can leave the output folder or hide a file.

export function safeFileStem(sample: string): string {
  const stem = sample.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
  return stem === '' ? 'sample' : stem.slice(0, 120);
}
