// Probe density and fragment length. Fragments captured by one probe reach
// probes close beside it, so where probes crowd (the exons of a tiled gene)
// depth depends on the library's fragment length: short FFPE fragments give
// crowded probes less of their neighbours' reads than long fresh-tissue
// fragments do. Isolated probes are not affected. her2cn measures each
// library's median insert size and, in the panel of normals, how strongly
// crowded probes follow it; a tumour is then corrected for the difference
// between its insert size and the normals'.

/** How far a probe's neighbours are looked for, on each side. */
export const DENSITY_FLANK = 250;

/**
 * For each probe (sorted by chromosome and start), the fraction of the
 * DENSITY_FLANK bases on each side of it covered by other probes.
 */
export function neighbourDensity(probes: { chrom: string; start: number; end: number }[]): number[] {
  return probes.map((p, i) => {
    const lo = p.start - DENSITY_FLANK;
    const hi = p.end + DENSITY_FLANK;
    const spans: [number, number][] = [];
    for (let j = i - 1; j >= 0 && probes[j].chrom === p.chrom && probes[j].end > lo - 10_000; j--) spans.push([probes[j].start, probes[j].end]);
    for (let j = i + 1; j < probes.length && probes[j].chrom === p.chrom && probes[j].start < hi; j++) spans.push([probes[j].start, probes[j].end]);
    // Bases of the two flanks covered by the union of the other probes.
    const covered = (a: number, b: number) => {
      const parts = spans.map(([s, e]) => [Math.max(s, a), Math.min(e, b)] as const).filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0]);
      let total = 0;
      let reach = a;
      for (const [s, e] of parts) {
        const from = Math.max(s, reach);
        if (e > from) total += e - from;
        reach = Math.max(reach, e);
      }
      return total;
    };
    return (covered(lo, p.start) + covered(p.end, hi)) / (2 * DENSITY_FLANK);
  });
}

/**
 * Least-squares slope through the origin of residuals on
 * (insert - reference insert) * density, over probes with density > 0 and
 * |residual| < 1: how much log2 a fully crowded probe gains per base of insert.
 */
export function fitInsertEffect(residuals: number[][], inserts: number[], reference: number, density: number[]): number {
  let sxy = 0;
  let sxx = 0;
  residuals.forEach((r, s) => {
    const dx = inserts[s] - reference;
    for (let i = 0; i < r.length; i++) {
      if (density[i] <= 0 || !Number.isFinite(r[i]) || Math.abs(r[i]) >= 1) continue;
      const x = dx * density[i];
      sxy += x * r[i];
      sxx += x * x;
    }
  });
  return sxx > 0 ? sxy / sxx : 0;
}
