// The binning scheme BAI, CSI and tabix indexes share (SAM specification 5.3),
// for the indexes her2cn writes (the simulator's BAMs, the bgzipped VCF) and
// for checking a record's bin when the coverage engine scans for one.

/** Smallest UCSC bin containing [beg, end), 0-based half-open (specification 5.3). */
export function reg2bin(beg: number, end: number): number {
  end -= 1;
  if (beg >> 14 === end >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === end >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === end >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === end >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === end >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
}
