// The call's defaults and the bounds its options accept, apart from the call
// itself: the command line shows them in --help and checks options against
// them before a command loads any of the calling code.
import type { QcLimits } from './qc.js';

/** The log2 ratio at or above which ERBB2 is called amplified: the cut-off validated against FISH in the published cohort. */
export const DEFAULT_THRESHOLD = 1.3;

/**
 * The thresholds accepted: above 0 (a log2 ratio of 0 or below is no gain
 * at all, so every sample would be called amplified) and at most 5 (32-fold
 * the normal level, 64 copies in a pure tumour: beyond any amplification
 * a capture panel measures).
 */
export const THRESHOLD_RANGE = { above: 0, max: 5 } as const;

/**
 * The lowest purity accepted: tumour-cell copies are the bulk ratio's excess
 * divided by the purity, so below 5% tumour cells the noise of the ratio is
 * multiplied twentyfold or more (at 0.0001, tens of thousands of copies).
 */
export const MIN_PURITY = 0.05;

/** A pathologist's purity estimate is taken as good to this fraction: truth within [p / 1.25, p / 0.75]. */
export const PURITY_TOLERANCE = 0.25;

export const DEFAULT_QC: QcLimits = {
  maxMapd: 0.5,
  minDepth: 10,
  minRelativeDepth: 0.25,
  minErbb2ProbeFraction: 0.5,
};
