// The capture panel as the rest of the pipeline sees it: probes sorted by
// chromosome and position, each with the gene it belongs to.

export interface Probe {
  chrom: string;
  /** 0-based start. */
  start: number;
  /** Half-open end. */
  end: number;
  name: string;
  gene: string;
  /** GC fraction, when the panel supplies it. */
  gc?: number;
}

export interface Panel {
  source: string;
  probes: Probe[];
  /** Things a user should know about the BED (duplicates dropped, ...). */
  warnings: string[];
}

/** Consecutive probes on one chromosome close enough to be read as one stretch of the BAM. */
export interface ProbeCluster {
  chrom: string;
  start: number;
  end: number;
  /** Indexes into the panel's probes. */
  probes: number[];
}

/**
 * Groups sorted probes into clusters whose gaps are below `maxGap`, so that
 * the reads between close probes (and the BGZF blocks holding them) are
 * visited once.
 */
export function clusterProbes(probes: Probe[], maxGap = 1000): ProbeCluster[] {
  const clusters: ProbeCluster[] = [];
  probes.forEach((p, i) => {
    const last = clusters[clusters.length - 1];
    if (last && last.chrom === p.chrom && p.start - last.end <= maxGap) {
      last.end = Math.max(last.end, p.end);
      last.probes.push(i);
    } else {
      clusters.push({ chrom: p.chrom, start: p.start, end: p.end, probes: [i] });
    }
  });
  return clusters;
}
