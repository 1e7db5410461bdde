// The call's stages on a tumour made from the embedded panel of normals'
// own levels: every probe at its normal level except ERBB2, four times as
// deep (log2 +2), and no chrY (a female), so each stage's answer is known exactly.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulkCall, callErbb2 } from '../../src/call/call.js';
import { geneLevels } from '../../src/call/genes.js';
import { DEFAULT_QC, qualityControl, sampleMapd } from '../../src/call/qc.js';
import { insertCorrection } from '../../src/normalize/density.js';
import { erbb2Region } from '../../src/normalize/probes.js';
import { normalizeTumour } from '../../src/normalize/tumour.js';
import { readPon } from '../../src/pon/file.js';
import { ponProbes } from '../../src/pon/pon.js';
import { Random } from '../../src/stats/random.js';
import { reportHtml } from '../../src/output/report.js';
import { formatVcf } from '../../src/output/vcf.js';
import { ROOT } from '../helpers.js';

const pon = await readPon(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'));
const probes = ponProbes(pon);
const depths = probes.map((p, i) => (pon.probes.log2[i] === null || p.chrom === 'chrY' ? 0 : 100 * 2 ** pon.probes.log2[i]! * (p.gene === 'ERBB2' ? 4 : 1)));
const tumour = { probes, depths, gc: probes.map((): number | undefined => undefined), medianInsert: pon.insertEffect.reference, insertSpread: pon.insertEffect.referenceSpread, pon };

describe('call stages', () => {
  it('normalization puts ERBB2 at +2 and every other probe at 0', () => {
    const n = normalizeTumour(tumour);
    probes.forEach((p, i) => {
      if (n.lfc[i] === null) return;
      expect(n.lfc[i]!, p.name).toBeCloseTo(p.gene === 'ERBB2' ? 2 : 0, 6);
    });
    expect(n.sex.sex).toBe('female');
    expect(n.normalization.gc_correction).toEqual({ skipped: 'no probe GC (give --fasta, or a panel with a gc column)' });
  });

  it('gene levels are the probes\' level with the assay\'s SD in the interval', () => {
    const n = normalizeTumour(tumour);
    const levels = geneLevels(probes, 1.3, { lfc: n.lfc, weights: n.weights, assaySd: pon.geneLevelSd });
    const erbb2 = levels.genes.find(g => g.gene === 'ERBB2')!;
    expect(erbb2.log2).toBeCloseTo(2, 4);
    // No spread between probes: the interval is the assay's 1.96 SD either side.
    expect(erbb2.ci95![1] - erbb2.log2!).toBeCloseTo(1.96 * pon.geneLevelSd, 3);
    expect(erbb2.at_or_above_threshold).toBe(erbb2.probes_used);
    expect(levels.genes.find(g => g.gene === 'GRB7')!.log2).toBeCloseTo(0, 4);
  });

  it('QC passes a clean sample and fails one too shallow, saying why', () => {
    const n = normalizeTumour(tumour);
    const input = { depths, mapd: sampleMapd(probes, n.lfc, erbb2Region(probes)!), centreSet: n.centreSet, erbb2Probes: 53, erbb2ProbesUsed: 53, normalsMedianDepth: pon.medianDepth, limits: DEFAULT_QC };
    expect(qualityControl(input).status).toBe('pass');
    const shallow = qualityControl({ ...input, depths: depths.map(d => d / 20) });
    expect(shallow.status).toBe('fail');
    expect(shallow.reasons.join('; ')).toMatch(/coverage too low: median probe depth [\d.]+x < 10x/);
  });

  it('a sample whose genes or ERBB2 probes spread beyond the PoN\'s limits is a no-call, saying why', () => {
    // Probe noise of SD 0.15; the same sample judged against limits below what noise alone gives.
    const rng = new Random('spread no-call');
    const noisy = { ...tumour, depths: depths.map(d => d * 2 ** rng.normal(0, 0.15)) };
    const call = (qcLimits: typeof pon.qcLimits) => callErbb2({ ...noisy, pon: { ...pon, qcLimits }, sample: 'S', build: 'GRCh38', threshold: 1.3 });
    const passed = call(pon.qcLimits);
    expect(passed.call).toBe('amplified');
    const spread = (r: ReturnType<typeof call>, metric: string) => r.qc.checks.find(c => c.metric === metric)!;
    expect(spread(passed, 'erbb2_probe_spread')).toMatchObject({ limit: pon.qcLimits.erbb2ProbeSpread, kind: 'max', pass: true });
    expect(spread(passed, 'gene_level_spread')).toMatchObject({ limit: pon.qcLimits.geneLevelSpread, kind: 'max', pass: true });

    const genes = call({ ...pon.qcLimits, geneLevelSpread: 0.1 });
    expect(genes.call).toBe('no_call');
    expect(spread(genes, 'gene_level_spread').pass).toBe(false);
    expect(genes.qc.reasons.join('; ')).toMatch(/gene levels stray too far: the genes off the amplicon depart from their chromosome arms by [\d.]+ times what their probes' noise allows > 0\.1/);
    const erbb2 = call({ ...pon.qcLimits, erbb2ProbeSpread: 0.1 });
    expect(erbb2.call).toBe('no_call');
    expect(erbb2.qc.reasons.join('; ')).toMatch(/ERBB2's probes scatter too much: [\d.]+ times the sample's probe noise around their segments' levels > 0\.1/);
    expect(erbb2.measured_for_review!.log2).toBe(passed.log2);
    // A PoN whose normals could not measure a spread makes no such check.
    const none = call({ ...pon.qcLimits, erbb2ProbeSpread: null, geneLevelSpread: null });
    expect(none.qc.checks.map(c => c.metric)).not.toContain('gene_level_spread');
    expect(none.qc.checks.map(c => c.metric)).not.toContain('erbb2_probe_spread');
  });

  it('short FFPE fragments: crowded probes corrected by the PoN\'s model, and the extrapolation said', () => {
    // Depths that follow the PoN's fragment-length model at an insert far below any normal's.
    const insert = Math.round(pon.insertEffect.min * 0.7);
    const reference = { median: pon.insertEffect.reference, spread: pon.insertEffect.referenceSpread };
    const shift = insertCorrection(probes, { median: insert, spread: reference.spread }, reference, pon.insertEffect);
    expect(Math.min(...shift)).toBeLessThan(-0.05);
    const short = { ...tumour, depths: depths.map((d, i) => d * 2 ** shift[i]), medianInsert: insert, insertSpread: reference.spread };
    const r = callErbb2({ ...short, sample: 'S', build: 'GRCh38', threshold: 1.3 });
    expect(r.log2!).toBeCloseTo(2, 3);
    expect(r.qc.reasons.join('; ')).toMatch(new RegExp(`median insert \\(${insert}\\) is well below the normals' shortest \\(${pon.insertEffect.min}\\).*extrapolated`));
    const within = callErbb2({ ...tumour, medianInsert: pon.insertEffect.min, sample: 'S', build: 'GRCh38', threshold: 1.3 });
    expect(within.qc.reasons.join('; ')).not.toMatch(/extrapolated/);
  });

  it('long fresh-tissue fragments: crowded probes corrected beyond the normals\' longest, and the extrapolation said', () => {
    // Depths that follow the PoN's fragment-length model at an insert well above any normal's (held at the longest, ERBB2 read high).
    const insert = Math.round(pon.insertEffect.max * 1.3);
    const reference = { median: pon.insertEffect.reference, spread: pon.insertEffect.referenceSpread };
    const shift = insertCorrection(probes, { median: insert, spread: reference.spread }, reference, pon.insertEffect);
    const atLongest = insertCorrection(probes, { median: pon.insertEffect.max, spread: reference.spread }, reference, pon.insertEffect);
    expect(Math.max(...shift.map((v, i) => v - atLongest[i]))).toBeGreaterThan(0.02);
    const long = { ...tumour, depths: depths.map((d, i) => d * 2 ** shift[i]), medianInsert: insert, insertSpread: reference.spread };
    const r = callErbb2({ ...long, sample: 'S', build: 'GRCh38', threshold: 1.3 });
    expect(r.log2!).toBeCloseTo(2, 3);
    expect(r.normalization.insert_size.used).toBe(insert);
    expect(r.qc.reasons.join('; ')).toMatch(new RegExp(`median insert \\(${insert}\\) is well above the normals' longest \\(${pon.insertEffect.max}\\).*extrapolated`));
    // Up to a tenth beyond the normals' longest is within their spread: no note.
    const within = callErbb2({ ...tumour, medianInsert: Math.floor(pon.insertEffect.max * 1.1), sample: 'S', build: 'GRCh38', threshold: 1.3 });
    expect(within.qc.reasons.join('; ')).not.toMatch(/extrapolated/);
  });

  it('the bulk call is amplified at or above the threshold and no call when QC fails', () => {
    expect(bulkCall(true, 1.3, 1.3)).toBe('amplified');
    expect(bulkCall(true, 1.2999, 1.3)).toBe('not_amplified');
    expect(bulkCall(false, 2, 1.3)).toBe('no_call');
    const r = callErbb2({ ...tumour, sample: 'S', build: 'GRCh38', threshold: 1.3, purity: 0.5 });
    expect(r.call).toBe('amplified');
    // ERBB2 at +2 (R = 4) at purity 0.5: (2 * 4 - 2 * 0.5) / 0.5 = 14 copies per tumour cell.
    expect(r.tumor!.erbb2_copies).toBeCloseTo(14, 3);
    expect(r.assessment.status).toBe('amplified');
    expect(r.segments.filter(s => s.erbb2_probes > 0)).toHaveLength(1);
  });

  it('decides the call on the level as written, so the JSON\'s log2 against the threshold always gives the call', () => {
    // Levels near 1.3 at steps finer than the written 4 decimals: about half of them lie just below the
    // value they are written as. At a threshold equal to the written value each is amplified, just above it none.
    for (let k = 0; k < 12; k++) {
      const fold = 2 ** (1.3 + k * 0.000037);
      const at = (threshold: number) =>
        callErbb2({ ...tumour, depths: depths.map((d, i) => (probes[i].gene === 'ERBB2' ? (d / 4) * fold : d)), sample: 'S', build: 'GRCh38', threshold });
      const written = at(1.3).log2!;
      expect(at(written).call).toBe('amplified');
      expect(at(written + 0.0001).call).toBe('not_amplified');
    }
  });
});

describe('a no-call', () => {
  // the same tumour twenty times shallower: below the depth limits, so QC fails
  const shallow = callErbb2({ ...tumour, depths: depths.map(d => d / 20), sample: 'S', build: 'GRCh38', threshold: 1.3 });

  it('has no ERBB2 level at the top; the measured one is kept apart, marked for review only', () => {
    expect(shallow.call).toBe('no_call');
    expect([shallow.log2, shallow.ci95, shallow.fold_change, shallow.chr17.erbb2_minus_chr17]).toEqual([null, null, null, null]);
    const review = shallow.measured_for_review!;
    expect(review.note).toMatch(/for review only, not a result/);
    expect(review.log2).toBeCloseTo(2, 3);
    expect(review.fold_change).toBeCloseTo(4, 2);
    expect(review.ci95![0]).toBeLessThan(review.log2);
    expect(review.erbb2_minus_chr17).toBeCloseTo(2, 3);
  });

  it('a call that stands has no review field', () => {
    expect(callErbb2({ ...tumour, sample: 'S', build: 'GRCh38', threshold: 1.3 })).not.toHaveProperty('measured_for_review');
  });

  it('finds an internal amplicon below the bulk threshold (low purity) as a partial amplicon, never a silent negative', () => {
    // ERBB2 exons 8-16 only, log2 +1.1 (10 copies at purity 0.28 gives +1.10), the rest of the gene at 0.
    const exon = (name: string) => Number(/^ERBB2_ex(\d+)_/.exec(name)?.[1] ?? 0);
    // A little probe noise (a fixed +-0.05 log2 pattern), as segmentation needs some to measure steps against.
    const jitter = (i: number) => 2 ** (0.05 * ((i % 3) - 1));
    const internal = (step: number) => probes.map((p, i) => jitter(i) * (p.gene === 'ERBB2' ? (depths[i] / 4) * (exon(p.name) >= 8 && exon(p.name) <= 16 ? 2 ** step : 1) : depths[i]));
    const call = (step: number, purity?: number) => callErbb2({ ...tumour, depths: internal(step), sample: 'S', build: 'GRCh38', threshold: 1.3, purity });
    const withPurity = call(1.1, 0.28);
    expect(withPurity.call).toBe('not_amplified');
    expect(withPurity.segments.filter(s => s.erbb2_probes > 0).length).toBeGreaterThanOrEqual(2);
    expect(withPurity.assessment.status).not.toBe('not_amplified');
    expect(withPurity.assessment.reasons.join(' ')).toMatch(/partial amplicon: ERBB2 probes ERBB2_ex8_p\d to ERBB2_ex16_p\d/);
    expect(call(1.1).assessment.status).toBe('indeterminate');
    // Half that step is no partial amplicon: ERBB2 as a whole decides.
    expect(call(0.5, 0.9).assessment.reasons.join(' ')).not.toMatch(/partial amplicon/);
  });

  it('finds a smaller internal step as a partial gain, judged by its copies, and a partial loss as neither', () => {
    const exon = (name: string) => Number(/^ERBB2_ex(\d+)_/.exec(name)?.[1] ?? 0);
    const jitter = (i: number) => 2 ** (0.05 * ((i % 3) - 1));
    const internal = (step: number) => probes.map((p, i) => jitter(i) * (p.gene === 'ERBB2' ? (depths[i] / 4) * (exon(p.name) >= 8 && exon(p.name) <= 16 ? 2 ** step : 1) : depths[i]));
    const call = (step: number, purity?: number) => callErbb2({ ...tumour, depths: internal(step), sample: 'S', build: 'GRCh38', threshold: 1.3, purity });
    // Exons 8-16 at 8 copies in 28% tumour cells: +0.88, under the two-fold step of a partial amplicon.
    const step = Math.log2((0.28 * 8 + 2 * 0.72) / 2);
    const withPurity = call(step, 0.28);
    expect(withPurity.call).toBe('not_amplified');
    expect(withPurity.assessment.status).toBe('amplified');
    expect(withPurity.assessment.reasons.join(' ')).toMatch(/partial gain: ERBB2 probes ERBB2_ex8_p\d to ERBB2_ex16_p\d .*amplified in that part/);
    const without = call(step);
    expect(without.assessment.status).toBe('indeterminate');
    expect(without.assessment.reasons.join(' ')).toMatch(/partial gain: .* log2 above the rest of the gene/);
    // The same exons lost (-0.88), or lost deeper than a two-fold step (-1.5): the rest of the gene stands higher, but nothing is gained.
    for (const lost of [-step, -1.5]) {
      const loss = call(lost);
      expect(loss.assessment.status, `step ${lost}`).toBe('not_amplified');
      expect(loss.assessment.reasons.join(' ')).not.toMatch(/partial/);
    }
  });
});

describe('strong GC bias', () => {
  // The same tumour with a GC trend of known shape: log2 depth falls by
  // 2(gc - 0.45) + 20(gc - 0.45)^2, -0.75 at ERBB2's GC (0.60). A robust
  // quadratic removes it exactly; what remains is the interval's allowance for it.
  const gc = pon.probes.gc.map(g => (g === null ? undefined : g));
  const trend = (g: number) => -2 * (g - 0.45) - 20 * (g - 0.45) ** 2;
  const biased = { ...tumour, gc, depths: depths.map((d, i) => d * 2 ** trend(gc[i] ?? 0.45)) };
  const run = (input: typeof tumour) => callErbb2({ ...input, sample: 'S', build: 'GRCh38', threshold: 1.3 });

  it('keeps ERBB2 at its level, flags the correction and widens the interval by the share the flag states', () => {
    const flat = run({ ...tumour, gc });
    const bent = run(biased);
    expect(bent.log2!).toBeCloseTo(2, 2);
    const correction = (bent.normalization.gc_correction as { erbb2: { log2: number } }).erbb2.log2;
    expect(correction).toBeLessThan(-0.5);
    const note = bent.qc.reasons.find(r => r.startsWith('strong GC bias'))!;
    expect(note).toBeDefined();
    const share = Number(/widened by (\d+)% of the correction/.exec(note)![1]) / 100;
    // Half-widths add in quadrature: the widened one squared less the unwidened one squared is the allowance squared.
    const half = (r: ReturnType<typeof run>) => r.ci95![1] - r.log2!;
    expect(Math.sqrt(half(bent) ** 2 - half(flat) ** 2)).toBeCloseTo(share * Math.abs(correction), 2);
  });
});

describe('a call resting on the GC correction', () => {
  // Trends of known shape, steeper than any on the validation benchmark where
  // needed: the fitted correction at ERBB2's GC (0.60) is read from the result.
  const gc = pon.probes.gc.map(g => (g === null ? undefined : g));
  const withTrend = (slope: number, curve: number, erbb2Fold: number) => ({
    ...tumour,
    gc,
    depths: depths.map((d, i) => {
      const x = (gc[i] ?? 0.45) - 0.45;
      return (d / (probes[i].gene === 'ERBB2' ? 4 : 1)) * (probes[i].gene === 'ERBB2' ? erbb2Fold : 1) * 2 ** (-slope * x - curve * x * x);
    }),
  });
  const run = (input: typeof tumour) => callErbb2({ ...input, sample: 'S', build: 'GRCh38', threshold: 1.3 });
  const gcCheck = (r: ReturnType<typeof run>) => r.qc.checks.find(c => c.metric === 'gc_correction_erbb2')!;
  const correctionOf = (r: ReturnType<typeof run>) => (r.normalization.gc_correction as { erbb2: { log2: number } }).erbb2.log2;

  it('is called when the correction is within the validated range, the check holding the correction', () => {
    // ERBB2 at +2; a trend of about -0.75 at its GC puts it at about 1.25 before the correction.
    const r = run(withTrend(2, 20, 4));
    const correction = correctionOf(r);
    expect(r.log2!).toBeCloseTo(2, 2);
    expect(r.log2! + correction).toBeLessThan(1.3);
    expect(gcCheck(r)).toMatchObject({ value: Math.round(Math.abs(correction) * 100) / 100, pass: true });
    expect(r.call).toBe('amplified');
  });

  it('is a no-call, saying why, when a correction beyond the validated range moves ERBB2 across the threshold', () => {
    const r = run(withTrend(4, 53, 4));
    const correction = correctionOf(r);
    expect(correction).toBeLessThan(-1.5);
    expect(r.log2).toBeNull();
    expect(r.call).toBe('no_call');
    expect(r.qc.checks.filter(c => !c.pass).map(c => c.metric)).toEqual(['gc_correction_erbb2']);
    expect(r.qc.reasons.join('; ')).toMatch(/rests on a GC correction beyond the validated range/);
    expect(r.measured_for_review!.log2!).toBeCloseTo(2, 2);
    // The VCF record says which filter failed.
    const vcf = formatVcf(r, { version: 'test', build: 'GRCh38', contigs: [{ name: 'chr17', length: 83_257_441 }], chrom: 'chr17' });
    expect(vcf).toMatch(/##FILTER=<ID=GC_BIAS,/);
    expect(vcf.trimEnd().split('\n').at(-1)!.split('\t').at(-1)).toMatch(/(^|:)QC_FAIL;GC_BIAS(:|$)/);
  });

  it('shows the failed check in the report\'s QC table, and a passed one only in the JSON', () => {
    const context = {
      version: 'test', bam: 'S.bam', panel: 'panel', pon: 'pon', ponNormalsUsed: 9, ponNormals: 10, ponFingerprint: pon.panel.fingerprint,
      filters: pon.filters, build: 'GRCh38', ihc: null, specimen: null, her2Category: null, workup: null,
    };
    const qcRow = (html: string) => /<td>[^<]*GC correction relied on<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td[^>]*>([^<]*)<\/td>/.exec(html);
    const failed = run(withTrend(4, 53, 4));
    const row = qcRow(reportHtml(failed, context, ''))!;
    expect(row).not.toBeNull();
    expect(row[1]).toContain(gcCheck(failed).value!.toFixed(2));
    expect(row[3]).toBe('FAIL');
    expect(qcRow(reportHtml(run(withTrend(2, 20, 4)), context, ''))).toBeNull();
  });

  it("fits the curve through ERBB2's neighbours whatever their level: an amplicon over them, or ending inside one, leaves ERBB2 where it is", () => {
    // The amplicon window's genes carry the GC-richest probes after ERBB2's: the fit
    // gives each of them a level of its own, so lifting them (a 17q12 amplicon, 4-fold)
    // must not bend the curve; nor must an amplicon whose end splits a gene's probes
    // (there the robust fit must set the step aside). Probe noise of 0.1 log2, the same
    // draws with and without the amplicon, so any difference is the amplicon's.
    const region = erbb2Region(probes)!;
    const neighbours = new Set(probes.flatMap((p, i) => (p.chrom === region.chrom && p.gene !== 'ERBB2' && p.end > region.windowStart && p.start < region.windowEnd ? [i] : [])));
    const after = [...neighbours].filter(i => probes[i].start > region.end);
    const split = after.find(i => after.filter(j => probes[j].gene === probes[i].gene).length === 4)!;
    const splitGene = after.filter(j => probes[j].gene === probes[split].gene);
    const rng = new Random('window genes');
    const plain = withTrend(2, 20, 4);
    const noisy = { ...plain, depths: plain.depths.map(d => d * 2 ** rng.normal(0, 0.1)) };
    const lift = (upTo: number) => ({ ...noisy, depths: noisy.depths.map((d, i) => (neighbours.has(i) && probes[i].start < upTo ? 4 * d : d)) });
    const erbb2Level = (input: typeof tumour) => {
      const n = normalizeTumour(input);
      const values = probes.flatMap((p, i) => (p.gene === 'ERBB2' && n.lfc[i] !== null ? [n.lfc[i]!] : [])).sort((a, b) => a - b);
      return { level: values[values.length >> 1], correction: n.gcCorrectionAt(0.6) };
    };
    const base = erbb2Level(noisy);
    expect(Math.abs(base.level - 2)).toBeLessThan(0.1);
    const cases = [
      ['17q12 amplicon', lift(Infinity)],
      [`amplicon ending inside ${probes[split].gene} (two of its four probes)`, lift(probes[splitGene[2]].start)],
    ] as const;
    for (const [what, input] of cases) {
      const r = erbb2Level(input);
      expect(Math.abs(r.level - base.level), what).toBeLessThan(0.02);
      expect(Math.abs(r.correction - base.correction), what).toBeLessThan(0.02);
    }
  });

  it('is called when the same correction leaves ERBB2 on the same side of the threshold', () => {
    // ERBB2 at +4: above the threshold with or without the correction.
    const r = run(withTrend(4, 53, 16));
    expect(correctionOf(r)).toBeLessThan(-1.5);
    expect(gcCheck(r)).toMatchObject({ value: 0, pass: true });
    expect(r.call).toBe('amplified');
  });
});
