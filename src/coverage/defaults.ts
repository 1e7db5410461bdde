// Coverage's defaults, apart from the engine: the command line shows them in
// --help before a command loads the reading code.
import { availableParallelism } from 'node:os';
import type { ReadFilter } from './piece.js';

/** unmapped 0x4, secondary 0x100, QC-fail 0x200, duplicate 0x400, supplementary 0x800 (mosdepth -F 3844). */
export const DEFAULT_FILTER: ReadFilter = { minMapq: 20, excludeFlags: 0x4 | 0x100 | 0x200 | 0x400 | 0x800 };

export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}
