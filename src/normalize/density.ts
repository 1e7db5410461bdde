// Crowded probes and fragment length. Fragments captured by one probe reach
// probes close beside it, so where probes crowd (the exons of a tiled gene)
// depth depends on the library's fragment length: short FFPE fragments carry
// fewer of a neighbour's reads across a gap than long fresh-tissue fragments
// do. Isolated probes are not affected. her2cn measures each library's
// median insert size, describes each probe's exposure to its neighbours at
// that insert size (`neighbourReach`), and in the panel of normals fits how
// strongly log2 depth follows it; a tumour is corrected for the difference
// between its reach and the normals'.

/**
 * For each probe (sorted by chromosome and start), at insert size `insert`:
 * the sum over other probes within reach of (1 - gap / insert)^2, gap being
 * the distance between the two probes' edges (0 when they overlap). It grows
 * with the number of neighbours and their closeness, and with the insert.
 */
export function neighbourReach(probes: { chrom: string; start: number; end: number }[], insert: number): number[] {
  if (!(insert > 0)) return probes.map(() => 0);
  return probes.map((p, i) => {
    let reach = 0;
    for (let j = i - 1; j >= 0 && probes[j].chrom === p.chrom && probes[j].end > p.start - insert - 10_000; j--) {
      const gap = Math.max(0, p.start - probes[j].end);
      if (gap < insert) reach += (1 - gap / insert) ** 2;
    }
    for (let j = i + 1; j < probes.length && probes[j].chrom === p.chrom && probes[j].start < p.end + insert; j++) {
      const gap = Math.max(0, probes[j].start - p.end);
      if (gap < insert) reach += (1 - gap / insert) ** 2;
    }
    return reach;
  });
}

/**
 * Least-squares slope through the origin of residual log2 on the change in
 * reach between each library's insert size and the reference insert size,
 * over probes whose reach changes and whose |residual| < 1.
 */
export function fitInsertEffect(
  residuals: number[][],
  inserts: number[],
  reference: number,
  probes: { chrom: string; start: number; end: number }[],
): number {
  const base = neighbourReach(probes, reference);
  let sxy = 0;
  let sxx = 0;
  residuals.forEach((r, s) => {
    const reach = neighbourReach(probes, inserts[s]);
    for (let i = 0; i < r.length; i++) {
      const x = reach[i] - base[i];
      if (x === 0 || !Number.isFinite(r[i]) || Math.abs(r[i]) >= 1) continue;
      sxy += x * r[i];
      sxx += x * x;
    }
  });
  return sxx > 0 ? sxy / sxx : 0;
}

/** The log2 to subtract from each probe of a library with this insert size. */
export function insertCorrection(probes: { chrom: string; start: number; end: number }[], insert: number, reference: number, coefficient: number): number[] {
  if (coefficient === 0 || insert === reference) return probes.map(() => 0);
  const base = neighbourReach(probes, reference);
  return neighbourReach(probes, insert).map((r, i) => coefficient * (r - base[i]));
}
