// The quality checks that decide whether a sample can be called at all.
// Each has a documented default and a command-line option.

export interface QcLimits {
  /** Largest MAPD of probe log2 ratios (noise) at which a call is made. */
  maxMapd: number;
  /** Smallest median depth of the sample's centring probes. */
  minDepth: number;
  /** Smallest median depth as a fraction of the panel of normals' typical depth. */
  minRelativeDepth: number;
  /** Smallest fraction of the panel's ERBB2 probes that must be usable (and never fewer than 5). */
  minErbb2ProbeFraction: number;
}

export const DEFAULT_QC: QcLimits = {
  maxMapd: 0.5,
  minDepth: 10,
  minRelativeDepth: 0.25,
  minErbb2ProbeFraction: 0.5,
};

export const MIN_ERBB2_PROBES = 5;

export interface QcCheck {
  metric: string;
  value: number | null;
  limit: number;
  /** 'max' when the value must not exceed the limit, 'min' when it must reach it. */
  kind: 'max' | 'min';
  pass: boolean;
}

export function check(metric: string, value: number | null, limit: number, kind: 'max' | 'min'): QcCheck {
  const pass = value !== null && Number.isFinite(value) && (kind === 'max' ? value <= limit : value >= limit);
  return { metric, value, limit, kind, pass };
}
