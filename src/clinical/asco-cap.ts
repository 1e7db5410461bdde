// ASCO/CAP 2018 dual-probe ISH groups for HER2 (see docs/primer in the
// project's documentation): group 1 and 3 are reported positive, as in the
// published cohort her2cn is validated against; groups 2, 4 and 5 negative.

export type FishGroup = 1 | 2 | 3 | 4 | 5;

/** Group from mean HER2 signals per cell and the HER2/CEP17 ratio. */
export function ascoCapGroup(her2PerCell: number, ratio: number): FishGroup {
  if (ratio >= 2) return her2PerCell >= 4 ? 1 : 2;
  if (her2PerCell >= 6) return 3;
  if (her2PerCell >= 4) return 4;
  return 5;
}

export function fishPositive(group: FishGroup): boolean {
  return group === 1 || group === 3;
}
