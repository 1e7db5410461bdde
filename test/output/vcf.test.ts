// The VCF record: the site in INFO, everything measured on the sample in its
// FORMAT fields (GT, FT for its QC, bulk and tumour-cell copies apart), FILTER
// PASS; and the bgzipped copy with its tabix index.
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { callErbb2 } from '../../src/call/call.js';
import { bgzipVcf, formatVcf } from '../../src/output/vcf.js';
import { readPon } from '../../src/pon/file.js';
import { ponProbes } from '../../src/pon/pon.js';
import { ROOT } from '../helpers.js';

// as in call/stages.test.ts: every probe at its normal level, ERBB2 four times as deep
const pon = await readPon(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'));
const probes = ponProbes(pon);
const depths = probes.map((p, i) => (pon.probes.log2[i] === null || p.chrom === 'chrY' ? 0 : 100 * 2 ** pon.probes.log2[i]! * (p.gene === 'ERBB2' ? 4 : 1)));
const tumour = { probes, depths, gc: probes.map(() => undefined), medianInsert: pon.insertEffect.reference, insertSpread: pon.insertEffect.referenceSpread, pon, build: 'GRCh38', threshold: 1.3 };
const ctx = { version: '0.0.0', build: 'GRCh38', contigs: [{ name: 'chr17', length: 83257441 }], chrom: 'chr17' };

function record(vcf: string) {
  const lines = vcf.trimEnd().split('\n');
  const fields = lines[lines.length - 1].split('\t');
  const keys = fields[8].split(':');
  const values = fields[9].split(':');
  return { lines, fields, info: fields[7], sample: Object.fromEntries(keys.map((k, i) => [k, values[i]])) };
}

describe('the VCF record', () => {
  it('an amplified sample: <DUP>, GT 0/1, its QC PASS in FT, its levels and both copy numbers in FORMAT', () => {
    const r = callErbb2({ ...tumour, sample: 'S', purity: 0.5 });
    const { lines, fields, info, sample } = record(formatVcf(r, ctx));
    expect(fields.slice(3, 7)).toEqual(['N', '<DUP>', '.', 'PASS']);
    // INFO describes the site only
    expect(info).toMatch(/^END=\d+;SVTYPE=DUP;SVLEN=\d+;SVCLAIM=D;GENE=ERBB2;PROBES=53$/);
    expect(fields[8].startsWith('GT:FT:')).toBe(true);
    expect(sample).toMatchObject({ GT: '0/1', FT: 'PASS', CALL: 'amplified', ASSESSMENT: 'amplified', THRESHOLD: '1.3', PURITY: '0.5' });
    expect(Number(sample.LOG2)).toBeCloseTo(r.log2!, 4);
    expect(sample.LOG2_CI95).toBe(r.ci95!.join(','));
    // bulk copies (all cells) and copies per tumour cell, each under its own name
    expect(Number(sample.CN)).toBeCloseTo(2 * r.fold_change!, 3);
    expect(Number(sample.TUMOR_CN)).toBeCloseTo(r.tumor_copy_number!, 4);
    expect(Number(sample.TUMOR_CN)).toBeCloseTo(14, 1);
    expect(sample.TUMOR_CN_CI95).toBe(r.tumor_copy_number_ci95!.join(','));
    // every key the record uses is defined in the header
    for (const k of Object.keys(sample)) expect(lines.some(l => l.startsWith(`##FORMAT=<ID=${k},`)), k).toBe(true);
    for (const k of info.split(';').map(kv => kv.split('=')[0])) expect(lines.some(l => l.startsWith(`##INFO=<ID=${k},`)), k).toBe(true);
    expect(lines.some(l => l.startsWith('##FORMAT=<ID=CN,') && /Bulk/.test(l) && /TUMOR_CN/.test(l))).toBe(true);
  });

  it('a no-call: FILTER still PASS, GT ./., FT QC_FAIL and the failed checks, no level', () => {
    const r = callErbb2({ ...tumour, depths: depths.map(d => d / 20), sample: 'S' });
    expect(r.call).toBe('no_call');
    const { fields, info, sample } = record(formatVcf(r, ctx));
    expect(fields.slice(4, 7)).toEqual(['.', '.', 'PASS']);
    expect(info).toMatch(/^END=\d+;GENE=ERBB2;PROBES=53$/);
    expect(sample).toMatchObject({ GT: './.', FT: 'QC_FAIL;LOW_DEPTH', CALL: 'no_call', ASSESSMENT: 'no_call', CN: '.', LOG2: '.', LOG2_CI95: '.', FOLD_CHANGE: '.', ERBB2_MINUS_CHR17: '.' });
  });

  it('bgzipped: the same text in BGZF blocks ending with the end-of-file block, and a tabix index of the record', () => {
    const text = formatVcf(callErbb2({ ...tumour, sample: 'S' }), ctx);
    const { gz, tbi } = bgzipVcf(text);
    expect(gunzipSync(gz).toString('utf8')).toBe(text);
    // every member is a BGZF block ('BC' extra field with the block's size)
    for (let at = 0; at < gz.length; at += gz.readUInt16LE(at + 16) + 1) expect(gz.subarray(at, at + 4).equals(Buffer.from([0x1f, 0x8b, 8, 4])) && gz.toString('latin1', at + 12, at + 14) === 'BC').toBe(true);
    expect(gz.subarray(gz.length - 28).toString('hex')).toBe('1f8b08040000000000ff0600424302001b0003000000000000000000');
    const index = gunzipSync(tbi);
    expect(index.toString('latin1', 0, 4)).toBe('TBI\x01');
    expect([index.readInt32LE(4), index.readInt32LE(8), index.readInt32LE(12), index.readInt32LE(16), index.readInt32LE(20)]).toEqual([1, 2, 1, 2, 0]);
    expect(index.toString('latin1', 36, 36 + index.readInt32LE(32))).toBe('chr17\0');
  });
});
