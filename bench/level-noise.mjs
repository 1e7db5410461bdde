// The ERBB2 level's error on the committed 20x cohort against the error the
// probes' sampling noise alone allows, computed from the simulator's truth.
//
//   npm run build && node bench/level-noise.mjs <results-dir>
//   node bench/level-noise.mjs <results-dir> --cohort <seed> <cohort-dir>
//   node bench/level-noise.mjs <cohort-dir>/calls/purity-truth --clinical <seed> <cohort-dir>
//
// <results-dir> holds `her2cn call` results (<sample>.her2cn.json) of the
// committed tumours made with the embedded PoN, e.g.
//   for t in $(awk 'NR>1{print $1}' test-data/truth.tsv); do node bin/her2cn call test-data/$t.bam --out /tmp/t20; done
// With --cohort, the results are another 20x cohort of the same design
// (`node dist/simulate/main.js cohort --seed <seed> --out <cohort-dir>`),
// called with a PoN of its normals kept in <results-dir>/pon.json, as
// bench/level-cohorts.sh makes them: the committed cohort's 21 tumours
// alone give the ratio to about +-15%. DRAWS (default 2000) sets the Monte
// Carlo draws.
// With --clinical, the results are a cohort of bench/assessment-cohort.sh
// (its seed and folder: the truth and the PoN are read from there).
//
// The floor: each probe's log depth varies, from sampling alone, with
// variance ((1 + CV²) / N + cv²) / ln(2)², N the unique fragments the
// simulator expects on it (its own and, taken as independent, those its
// neighbours spill onto it), CV the spread of one fragment's bases on the
// probe (uniform starts) and cv the library's over-dispersion. Those
// variances are propagated through the estimator by Monte Carlo (2,000
// draws, fixed seed): the used normals' probes (each normal centred) to the
// PoN's median, the tumour's probes against it, the bulk centre of the
// centring probes, and ERBB2's biweight location with the PoN's weights (and the CEP17-like reference's). GC,
// fragment-length and PoN modelling errors are not part of the floor: the
// ratio of the actual error to the floor says how much they add. A second
// floor (gc_fit_floor_sd) also fits the sample's GC trend to the same noise,
// as a tumour's is fitted, and removes it: what an estimator that must fit
// the trend can reach. Two bounds below it: the same fit weighted by each
// probe's true sampling variance (an oracle no caller has), and the fit
// given ERBB2's own probes too, at a level of their own, so that their
// spread of GC shapes the curve where ERBB2 lies; and both together.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBed } from '../dist/panel/bed.js';
import { DEFAULT_PANEL, DEFAULT_PON } from '../dist/pipeline/shipped.js';
import { readPon } from '../dist/pon/file.js';
import { cohort } from '../dist/simulate/cohort.js';
import { clinicalCohort } from '../dist/simulate/clinical-cohort.js';
import { COMMITTED_SEED } from '../dist/simulate/seed.js';
import { expectedFragments } from '../dist/simulate/reads.js';
import { truthOf } from '../dist/simulate/model.js';
import { baitSpill } from '../dist/normalize/density.js';
import { erbb2Region, isCentringProbe } from '../dist/normalize/probes.js';
import { correctGcQuadratic, gcFitSet, gcLevels } from '../dist/normalize/sample.js';
import { sampleMapd } from '../dist/call/qc.js';
import { noiseSdFromMapd } from '../dist/call/spread.js';
import { CHR17_CENTROMERE } from '../dist/panel/builds.js';
import { canonicalContig } from '../dist/panel/contigs.js';
import { CEP17_FLANK } from '../dist/call/cep17.js';
import { biweightLocation, bulkCentre, median, weightedMedian } from '../dist/stats/robust.js';
import { Random } from '../dist/stats/random.js';

const dir = process.argv[2];
const option = process.argv[3];
const other = { seed: process.argv[4], folder: process.argv[5] };
const clinical = option === '--clinical' ? other : undefined;
const twenty = option === '--cohort' ? other : undefined;
if (!dir || (option !== undefined && !((clinical || twenty) && other.seed && other.folder))) {
  console.error('usage: node bench/level-noise.mjs <results-dir> [--cohort <seed> <cohort-dir> | --clinical <seed> <cohort-dir>]');
  process.exit(2);
}
const DRAWS = Number(process.env.DRAWS ?? 2000);
if (!Number.isInteger(DRAWS) || DRAWS < 1) {
  console.error(`level-noise: DRAWS must be a positive integer, not '${process.env.DRAWS}'`);
  process.exit(2);
}
const SIM_MIN_OVERLAP = 20; // the simulator's capture rule

const probes = readBed(DEFAULT_PANEL).probes;
const pon = await readPon(clinical ? join(clinical.folder, 'pon.json') : twenty ? join(dir, 'pon.json') : DEFAULT_PON);
const specs = new Map((clinical ? clinicalCohort({ seed: clinical.seed }).map(c => c.spec) : cohort({ seed: twenty?.seed ?? COMMITTED_SEED })).map(s => [s.name, s]));
const truthLines = readFileSync(clinical || twenty ? join(other.folder, 'truth.tsv') : new URL('../test-data/truth.tsv', import.meta.url), 'utf8').trim().split('\n');
const header = truthLines[0].split('\t');
const truth = truthLines.slice(1).map(l => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])));

/** 1 + CV² of one fragment's bases on a probe of length L (starts uniform where it overlaps by ≥ 20). */
function placementFactor(length, insert) {
  let s1 = 0;
  let s2 = 0;
  let n = 0;
  for (let x = -insert + SIM_MIN_OVERLAP + 0.5; x < length - SIM_MIN_OVERLAP; x++) {
    const ov = Math.max(0, Math.min(x + insert, length) - Math.max(x, 0));
    s1 += ov;
    s2 += ov * ov;
    n++;
  }
  return (s2 / n) / (s1 / n) ** 2;
}

/** Sampling SD of each probe's log2 depth for a sample. */
function probeSd(spec) {
  const spill = baitSpill(probes, spec.library.insertMean, SIM_MIN_OVERLAP);
  return probes.map((p, i) => {
    const fragments = expectedFragments(spec, p) * (1 + spill[i]);
    if (!(fragments > 0)) return NaN;
    const rel = placementFactor(p.end - p.start, spec.library.insertMean) / fragments + spec.library.noiseCv ** 2;
    return Math.sqrt(rel) / Math.LN2;
  });
}

const centring = probes.flatMap((p, i) => (isCentringProbe(p) ? [i] : []));
const erbb2 = probes.flatMap((p, i) => (p.gene === 'ERBB2' ? [i] : []));
const weights = erbb2.map(i => pon.probes.weight[i]);
// The CEP17-like reference's probes (src/call/cep17.ts): 17q within CEP17_FLANK of the centromere, those the PoN uses.
// (cep17.ts pools in 17p's side on a panel with fewer than 4 there; the demo panel has 8, so that case is not modelled.)
const centromere = CHR17_CENTROMERE[pon.build];
const cep17 = centromere
  ? probes.flatMap((p, i) => (canonicalContig(p.chrom) === '17' && !pon.probes.flags[i] && p.start >= centromere.end && p.start < centromere.end + CEP17_FLANK ? [i] : []))
  : [];
const cep17Weights = cep17.map(i => pon.probes.weight[i]);
const normals = pon.normals.filter(n => n.used).map(n => ({ name: n.name, sd: probeSd(specs.get(n.name)) }));

// The same noise with the sample's GC trend fitted as a tumour's is (on the
// same probes, with the same levels of their own) and removed: a trend fitted
// to noise alone, so what it adds at ERBB2 is what fitting the trend costs.
const gcValues = probes.map((_, i) => (Number.isFinite(pon.probes.gc[i]) ? pon.probes.gc[i] : NaN));
const ownLevel = gcLevels(probes, pon.build);
const region = erbb2Region(probes);

/** The PoN median's sampling variance per probe: the median of the used normals' (pi/2 times a mean's). */
const ponVariance = probes.map((_, i) => {
  const v = normals.map(n => n.sd[i] ** 2).filter(Number.isFinite);
  return v.length ? ((Math.PI / 2) * v.reduce((a, b) => a + b, 0)) / v.length / v.length : NaN;
});

/** ERBB2's level after removing a GC trend fitted on `set` as a tumour's is (weighted by `prior` if given) and recentring. */
function levelAfterFit(residual, set, noiseSd, prior) {
  const fitted = residual.slice();
  correctGcQuadratic(fitted, gcValues, set, ownLevel, prior);
  const centre = bulkCentre(centring.map(i => fitted[i]).filter(Number.isFinite));
  return biweightLocation(erbb2.map(i => fitted[i] - centre), weights, noiseSd);
}

/** RMS error from sampling alone of ERBB2's level and of the CEP17-like reference's, for a tumour; and of ERBB2's with the GC trend fitted too (as her2cn fits it, with oracle weights, with ERBB2's probes in the fit). */
function floor(spec) {
  const rng = new Random(`level-noise ${spec.name}`);
  const tumourSd = probeSd(spec);
  let sum = 0;
  let sumCep17 = 0;
  let sumFitted = 0;
  let sumWeighted = 0;
  let sumWithErbb2 = 0;
  let sumBoth = 0;
  for (let d = 0; d < DRAWS; d++) {
    const normalNoise = normals.map(n => {
      const e = n.sd.map(sd => (Number.isFinite(sd) ? rng.normal(0, sd) : NaN));
      const c = median(centring.map(i => e[i]));
      return e.map(v => v - c);
    });
    const ponError = probes.map((_, i) => median(normalNoise.map(e => e[i]).filter(Number.isFinite)));
    const residual = probes.map((_, i) => (Number.isFinite(tumourSd[i]) ? rng.normal(0, tumourSd[i]) : NaN) - ponError[i]);
    const centre = bulkCentre(centring.map(i => residual[i]).filter(Number.isFinite));
    // The biweight's noise SD as her2cn takes it: the sample's from its MAPD where smaller than the gene's own (src/stats/robust.ts).
    const noiseSd = noiseSdFromMapd(sampleMapd(probes, residual.map(v => (Number.isFinite(v) ? v : null)), region));
    const level = biweightLocation(erbb2.map(i => residual[i] - centre), weights, noiseSd);
    sum += level * level;
    const centred = residual.map(v => v - centre);
    const fitSet = gcFitSet(probes, i => Number.isFinite(centred[i]));
    const withErbb2Set = [...fitSet, ...erbb2.filter(i => Number.isFinite(centred[i]))];
    const inverseVariance = i => 1 / (tumourSd[i] ** 2 + ponVariance[i]);
    const fittedLevel = levelAfterFit(centred, fitSet, noiseSd);
    sumFitted += fittedLevel * fittedLevel;
    const weighted = levelAfterFit(centred, fitSet, noiseSd, inverseVariance);
    sumWeighted += weighted * weighted;
    const withErbb2 = levelAfterFit(centred, withErbb2Set, noiseSd);
    sumWithErbb2 += withErbb2 * withErbb2;
    const both = levelAfterFit(centred, withErbb2Set, noiseSd, inverseVariance);
    sumBoth += both * both;
    if (cep17.length) {
      const reference = biweightLocation(cep17.map(i => residual[i] - centre), cep17Weights, noiseSd);
      sumCep17 += reference * reference;
    }
  }
  return { erbb2: Math.sqrt(sum / DRAWS), cep17: cep17.length ? Math.sqrt(sumCep17 / DRAWS) : NaN, withGcFit: Math.sqrt(sumFitted / DRAWS), weighted: Math.sqrt(sumWeighted / DRAWS), withErbb2: Math.sqrt(sumWithErbb2 / DRAWS), both: Math.sqrt(sumBoth / DRAWS) };
}

const rows = [];
for (const t of truth) {
  const spec = specs.get(t.sample);
  if (!spec || spec.role !== 'tumour') continue;
  if (/partial/.test(t.amplicon) || /partial/.test(t.kind ?? '')) continue;
  let result;
  try {
    result = JSON.parse(readFileSync(join(dir, `${t.sample}.her2cn.json`), 'utf8'));
  } catch {
    continue;
  }
  if (result.log2 === null) continue;
  const expected = Number(t.expected_log2);
  const error = result.log2 - expected;
  const covered = result.ci95[0] <= expected && expected <= result.ci95[1];
  const f = floor(spec);
  // The CEP17-like reference's true level: the simulator's log2 on its probes (an arm gain may cover them where FISH's CEP17 count does not).
  const probeTruth = truthOf(spec, probes).probeLog2;
  const cep17Truth = cep17.length ? weightedMedian(cep17.map(i => probeTruth[i]), cep17Weights) : NaN;
  rows.push({ weighted: f.weighted, withErbb2: f.withErbb2, both: f.both, sample: t.sample, library: t.library ?? (spec.library.noiseCv > 0.1 ? 'FFPE' : 'fresh'), insert: spec.library.insertMean, floor: f.erbb2, withGcFit: f.withGcFit, cep17Floor: f.cep17, cep17Truth, error, covered, ci: result.ci95 });
}

const rms = a => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
console.log('sample\tlibrary\tinsert\tfloor_sd\terror\terror/floor\tci95_holds_truth\tcep17_floor_sd\tcep17_expected_log2\tgc_fit_floor_sd\toracle_weighted_fit_floor_sd\terbb2_in_fit_floor_sd\tboth_floor_sd');
for (const r of rows) console.log([r.sample, r.library, r.insert, r.floor.toFixed(3), r.error.toFixed(3), (r.error / r.floor).toFixed(2), r.covered ? 'yes' : 'no', r.cep17Floor.toFixed(3), r.cep17Truth.toFixed(3), r.withGcFit.toFixed(3), r.weighted.toFixed(3), r.withErbb2.toFixed(3), r.both.toFixed(3)].join('\t'));
const floorRms = rms(rows.map(r => r.floor));
const errorRms = rms(rows.map(r => r.error));
const covered = rows.filter(r => r.covered).length;
console.log(`\n${rows.length} callable tumours without a partial amplicon`);
console.log(`RMS error ${errorRms.toFixed(3)}; RMS sampling floor ${floorRms.toFixed(3)}; ratio ${(errorRms / floorRms).toFixed(2)} (target <= 1.3)`);
console.log(`mean absolute error ${(rows.reduce((s, r) => s + Math.abs(r.error), 0) / rows.length).toFixed(3)}; expected from the floor alone ${(floorRms * Math.sqrt(2 / Math.PI)).toFixed(3)}`);
// A shift shared by every tumour is the PoN's (its ERBB2 reference), not the tumours' noise.
console.log(`mean error ${(rows.reduce((s, r) => s + r.error, 0) / rows.length).toFixed(3)}; the PoN's spill scale ${pon.insertEffect.coefficient.toFixed(2)}, minimum overlap ${pon.insertEffect.minOverlap}`);
const fittedRms = rms(rows.map(r => r.withGcFit));
console.log(`with the GC trend fitted to the same noise: RMS floor ${fittedRms.toFixed(3)}; ratio ${(errorRms / fittedRms).toFixed(2)}`);
// What any caller that must learn the library's GC trend from its own probes could reach: 1.3 times the floor needs less than this.
const weightedRms = rms(rows.map(r => r.weighted));
const withErbb2Rms = rms(rows.map(r => r.withErbb2));
console.log(`  fitted with each probe's true variance as weight (an oracle): RMS floor ${weightedRms.toFixed(3)}, ${(weightedRms / floorRms).toFixed(2)} times the sampling floor`);
console.log(`  fitted with ERBB2's own probes too, at a level of their own: RMS floor ${withErbb2Rms.toFixed(3)}, ${(withErbb2Rms / floorRms).toFixed(2)} times the sampling floor`);
const bothRms = rms(rows.map(r => r.both));
console.log(`  both: RMS floor ${bothRms.toFixed(3)}, ${(bothRms / floorRms).toFixed(2)} times the sampling floor`);
for (const lib of ['fresh', 'FFPE', 'ffpe', 'ffpe-gc']) {
  const sub = rows.filter(r => r.library === lib);
  if (sub.length) console.log(`  ${lib}: ${sub.length} tumours, RMS error ${rms(sub.map(r => r.error)).toFixed(3)}, floor ${rms(sub.map(r => r.floor)).toFixed(3)}, ratio ${(rms(sub.map(r => r.error)) / rms(sub.map(r => r.floor))).toFixed(2)}`);
}
console.log(`95% intervals holding the truth: ${covered}/${rows.length}`);
