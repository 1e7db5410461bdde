// Fixtures that several end-to-end test files share, made once per run by
// e2e-setup.ts (the e2e part's vitest globalSetup) in test/artifacts/cache/,
// each in a folder named by a hash of everything it is made from: a later
// run reuses it until one of those inputs changes. Test files get their
// paths with `fixtures()`; they copy what they want to change.
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** The tumours mosdepth runs on (why these: e2e-setup.ts). */
export const MOSDEPTH_SAMPLES = ['T01', 'T02', 'T11', 'T13'];

export interface MosdepthRun {
  /** What mosdepth covered: the whole genome, or chromosome 17 only (`--chrom chr17`). */
  scope: 'genome' | 'chr17';
  /** `mosdepth -Q 20 -F 3844 --by <demo panel>` output: `${prefix}.regions.bed.gz` (+ `.csi`). */
  regions: string;
  /** The per-base output (`${prefix}.per-base.bed.gz`), for the samples run without `-n`. */
  perBase?: string;
}

export interface Fixtures {
  /** mosdepth on committed samples, by sample name; empty where mosdepth is not installed (outside CI). */
  mosdepth: Record<string, MosdepthRun>;
  /** `her2cn pon` of the ten committed normals named by absolute path, gzipped. */
  pon: string;
  /** A folder with what `her2cn call <tumour>.bam --out <folder>` writes for every committed tumour (default options, BAMs named by absolute path; made by one batch, e2e-setup.ts). */
  calls: string;
  /** Fixtures still being made when the tests start (T01's genome-wide mosdepth run): the folder that appears when done, the file that says why it failed. */
  background: { dir: string; failed: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: Fixtures;
  }
}

export function fixtures(): Fixtures {
  return inject('fixtures');
}

/** Waits until the fixtures made in the background are in place; throws what their making threw. */
export async function backgroundFixtures(timeoutMs = 240_000): Promise<void> {
  const started = Date.now();
  for (const { dir, failed } of fixtures().background) {
    while (!existsSync(dir)) {
      if (existsSync(failed)) throw new Error(`a shared fixture could not be made (${dir}): ${readFileSync(failed, 'utf8')}`);
      if (Date.now() - started > timeoutMs) throw new Error(`a shared fixture was not made within ${timeoutMs / 1000} s: ${dir}`);
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
}
