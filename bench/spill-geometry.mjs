#!/usr/bin/env node
// The fragment-length model against the simulator's capture, computed exactly.
//
//   npm run build && node bench/spill-geometry.mjs
//
// For ERBB2's probes of the demo panel: the depth the simulator's capture
// gives (fragment starts uniform where a fragment overlaps its bait by 20
// bases or more, one per insert bases of depth, each bait weighted by its
// capture efficiency; bases counted where the two 150-base reads cover the
// fragment, mates' overlap once, as coverage counts them), for libraries of
// normally spread inserts, summed start by start. Prints ERBB2's mean log2
// change from a fresh library (inserts 225 ± 40) to an FFPE one (155 ± 45)
// and a strongly GC-biased FFPE one (120 ± 30), and what her2cn's model
// predicts for it at a few (scale, minimum overlap) pairs: the simulator's
// own (1, 20) and what PoNs have fitted.
import { readBed } from '../dist/panel/bed.js';
import { DEFAULT_PANEL } from '../dist/pipeline/shipped.js';
import { captureEfficiency } from '../dist/simulate/reads.js';
import { spillLog2 } from '../dist/normalize/density.js';

const READ = 150;
const MIN_OVERLAP = 20;
const probes = readBed(DEFAULT_PANEL)
  .probes.filter(p => p.chrom === 'chr17')
  .sort((a, b) => a.start - b.start);
const erbb2 = probes.map((_, i) => i).filter(i => probes[i].gene === 'ERBB2');

/** log2 depth per base of each probe for a library of these inserts (normal, ±3 SD, clamped to 70-800 as simulated). */
function simulatedLog2(library) {
  const nodes = [];
  for (let z = -3; z <= 3.001; z += 0.25) nodes.push({ insert: Math.round(Math.min(800, Math.max(70, library.mean + z * library.sd))), w: Math.exp((-z * z) / 2) });
  const total = nodes.reduce((a, b) => a + b.w, 0);
  const bases = new Float64Array(probes.length);
  for (const { insert, w } of nodes) {
    const read = Math.min(READ, insert);
    for (let j = 0; j < probes.length; j++) {
      const bait = probes[j];
      const density = (captureEfficiency(bait) * w) / total / insert;
      for (let x = bait.start - insert + MIN_OVERLAP; x <= bait.end - MIN_OVERLAP; x++) {
        const covered = insert > 2 * read ? [[x, x + read], [x + insert - read, x + insert]] : [[x, x + insert]];
        for (let i = Math.max(0, j - 12); i < Math.min(probes.length, j + 13); i++) {
          const p = probes[i];
          for (const [s, e] of covered) {
            const b = Math.min(e, p.end) - Math.max(s, p.start);
            if (b > 0) bases[i] += density * b;
          }
        }
      }
    }
  }
  return probes.map((p, i) => Math.log2(bases[i] / (p.end - p.start)));
}

const mean = a => a.reduce((x, y) => x + y, 0) / a.length;
const fresh = { mean: 225, sd: 40 };
const reference = simulatedLog2(fresh);
const models = [
  { coefficient: 1, minOverlap: 20 },
  { coefficient: 0.81, minOverlap: 0 },
  { coefficient: 0.69, minOverlap: 20 },
];
process.stdout.write('library\tsimulated\t' + models.map(m => `model(${m.coefficient},${m.minOverlap})`).join('\t') + '\n');
for (const [name, library] of [['ffpe 155', { mean: 155, sd: 45 }], ['ffpe-gc 120', { mean: 120, sd: 30 }]]) {
  const simulated = simulatedLog2(library);
  const predicted = models.map(model => {
    const at = spillLog2(probes, { median: library.mean, spread: library.sd }, model);
    const base = spillLog2(probes, { median: fresh.mean, spread: fresh.sd }, model);
    return mean(erbb2.map(i => at[i] - base[i]));
  });
  process.stdout.write(`${name}\t${mean(erbb2.map(i => simulated[i] - reference[i])).toFixed(3)}\t${predicted.map(v => v.toFixed(3)).join('\t')}\n`);
}
