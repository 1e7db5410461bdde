// Reading a panel of normals: every field is checked against the schema
// before a call uses it. Each case hand-edits the embedded PoN the way a
// damaged or tampered file would look, and checks the one-line message that
// names the file and the field; through the CLI, exit 1 and nothing written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPon } from '../../src/pon/file.js';
import { expectRefused, ROOT, tempDir, TEST_DATA } from '../helpers.js';

const EMBEDDED = join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json');
const embeddedText = readFileSync(EMBEDDED, 'utf8');
type Doc = any;

/** The embedded PoN edited by `edit`, written to a fresh folder; its path. */
function edited(edit: (pon: Doc) => void, name = 'edited.pon.json'): string {
  const pon = JSON.parse(embeddedText);
  edit(pon);
  const path = join(tempDir('her2cn-pon-edit-'), name);
  writeFileSync(path, JSON.stringify(pon));
  return path;
}

const REBUILD = /; rebuild it with 'her2cn pon'$/;

describe('reading a panel of normals checks every field', () => {
  it('reads the embedded PoN unchanged', async () => {
    expect(await readPon(EMBEDDED)).toEqual(JSON.parse(embeddedText));
  });

  it.each<[string, (p: Doc) => void, RegExp]>([
    ['an absurd fragment-length coefficient', p => (p.insertEffect.coefficient = 1e6), /damaged: \/insertEffect\/coefficient is 1000000: expected number to be less or equal to 2/],
    ['a missing field', p => delete p.geneLevelSd, /damaged: \/geneLevelSd is missing/],
    ['a missing field of a normal', p => delete p.normals[3].used, /damaged: \/normals\/3\/used is missing/],
    ['no QC limits (a PoN from before the spread checks)', p => delete p.qcLimits, /damaged: \/qcLimits is missing/],
    ['a normal without its spreads', p => delete p.normals[0].geneLevelSpread, /damaged: \/normals\/0\/geneLevelSpread is missing/],
    ['a QC limit of 0', p => (p.qcLimits.geneLevelSpread = 0), /damaged: \/qcLimits\/geneLevelSpread is 0: expected number to be greater than 0 or null/],
    ['a QC margin below 1', p => (p.qcLimits.margin = 0.5), /damaged: \/qcLimits\/margin is 0\.5: expected number to be greater or equal to 1/],
    ['a field this version does not know', p => (p.probeWeights = []), /damaged: \/probeWeights is not a field of format version 2/],
    ['text where a number belongs', p => (p.probes.log2[12] = '0.1'), /damaged: \/probes\/log2\/12 \(probe chr3-backbone_p1\) is "0\.1": expected number or null/],
    ['a probe level beyond ±20', p => (p.probes.log2[12] = -75299), /damaged: \/probes\/log2\/12 \(probe chr3-backbone_p1\) is -75299: expected number to be greater or equal to -20 or null/],
    ['a GC fraction above 1', p => (p.probes.gc[3] = 1.5), /damaged: \/probes\/gc\/3 \(probe chr1-backbone_p4\) is 1\.5/],
    ['a negative spread', p => (p.probes.spread[0] = -0.2), /damaged: \/probes\/spread\/0 \(probe chr1-backbone_p1\) is -0\.2/],
    ['a weight of 1000', p => (p.probes.weight[0] = 1000), /damaged: \/probes\/weight\/0 \(probe chr1-backbone_p1\) is 1000: expected number to be less or equal to 10/],
    ['an unknown probe flag', p => (p.probes.flags[2] = 'noisy,odd'), /damaged: \/probes\/flags\/2 \(probe chr1-backbone_p3\) is "noisy,odd": expected comma-separated flags from low_coverage, noisy/],
    ['an unknown sex', p => (p.normals[0].sex = 'F'), /damaged: \/normals\/0\/sex is "F": expected one of "female", "male", "unknown"/],
    ['a gene-level SD of 5', p => (p.geneLevelSd = 5), /damaged: \/geneLevelSd is 5: expected number to be less or equal to 1/],
    ['a median depth of 0', p => (p.medianDepth = 0), /damaged: \/medianDepth is 0: expected number to be greater than 0/],
    ['a fractional MAPQ filter', p => (p.filters.minMapq = 20.5), /damaged: \/filters\/minMapq is 20\.5: expected integer/],
    ['a probe column one short', p => p.probes.weight.pop(), /damaged: \/probes\/weight has 310 values for the 311 probes of \/panel\/probes/],
    ['a probe count that is not the columns\'', p => (p.panel.probes = 300), /damaged: \/probes\/chrom has 311 values for the 300 probes of \/panel\/probes/],
    ['a probe ending before it starts', p => (p.probes.end[4] = p.probes.start[4]), /damaged: \/probes\/end\/4 \(probe chr1-backbone_p5\) is \d+, not after its start \d+/],
    ['moved probe coordinates', p => ((p.probes.start[0] += 100), (p.probes.end[0] += 100)), /damaged: \/panel\/fingerprint does not match the probes' coordinates/],
    // the fingerprint does not see order; every column is read by position, so two probes swapped in every column would be applied to each other
    [
      'two probes swapped in every column',
      p => Object.values(p.probes as Record<string, unknown[]>).forEach(c => ([c[0], c[1]] = [c[1], c[0]])),
      /damaged: \/probes\/start\/1 \(probe chr1-backbone_p1\) is out of the panel's order \(by chromosome, then start\) after probe chr1-backbone_p2/,
    ],
    ['a weighted probe without a level', p => (p.probes.log2[0] = null), /damaged: \/probes\/weight\/0 \(probe chr1-backbone_p1\) is [\d.]+ but the probe has no level/],
    ['GC "from the FASTA" with values missing', p => ((p.gcSource = 'fasta'), (p.probes.gc = p.probes.gc.map(() => null))), /damaged: \/probes\/gc\/0 \(probe chr1-backbone_p1\) is null but \/gcSource is "fasta" \(311 of 311 probes without GC: the FASTA did not cover the panel\)/],
    ['an insert reference outside the normals\' inserts', p => (p.insertEffect.reference = 400), /damaged: \/insertEffect\/reference 400 is not between \/insertEffect\/min 145 and \/insertEffect\/max 243/],
    ['a used normal without a noise', p => (p.normals[2].noise = null), /damaged: \/normals\/2\/noise is null but the normal is used/],
    ['a normal named twice', p => (p.normals[1].name = p.normals[0].name), /damaged: \/normals\/1\/name "N01" appears twice/],
    ['fewer than 3 used normals', p => p.normals.forEach((n: Doc, i: number) => (n.used = i < 2)), /damaged: \/normals has 2 used normals; a panel of normals needs at least 3/],
  ])('refuses %s, naming the field', async (_, edit, message) => {
    const path = edited(edit);
    await expect(readPon(path)).rejects.toThrow(message);
    await expect(readPon(path)).rejects.toThrow(REBUILD);
    await expect(readPon(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  it('refuses an infinite number (1e999 in the JSON)', async () => {
    const path = join(tempDir(), 'inf.pon.json');
    writeFileSync(path, embeddedText.replace(/"geneLevelSd":[\d.]+/, '"geneLevelSd":1e999'));
    await expect(readPon(path)).rejects.toThrow(/damaged: \/geneLevelSd is Infinity: expected number/);
  });

  it('checks a gzip-compressed PoN the same way', async () => {
    const path = join(tempDir(), 'edited.pon.json.gz');
    const pon = JSON.parse(embeddedText);
    pon.insertEffect.coefficient = 1e6;
    writeFileSync(path, gzipSync(JSON.stringify(pon)));
    await expect(readPon(path)).rejects.toThrow(/edited\.pon\.json\.gz: panel of normals is damaged: \/insertEffect\/coefficient is 1000000/);
  });

  it('refuses a PoN of the first version-1 layout (no fragment-length limits), saying how to rebuild it', async () => {
    const path = edited(p => {
      p.insertEffect = { reference: 207, coefficient: 0.005569 };
    });
    await expect(readPon(path)).rejects.toThrow(
      /panel of normals written by an earlier her2cn \(no \/insertEffect\/min or \/insertEffect\/max: its fragment-length coefficient has another meaning\); rebuild it with this her2cn's 'her2cn pon' from the same normals$/,
    );
  });

  it('refuses another format version, saying how to rebuild it', async () => {
    const path = edited(p => (p.formatVersion = 0));
    await expect(readPon(path)).rejects.toThrow(/format version 0, this her2cn reads version 2; rebuild it with this her2cn's 'her2cn pon' from the same normals/);
  });
});

describe('her2cn call --pon with a damaged panel of normals', () => {
  it.each<[string, (p: Doc) => void, RegExp]>([
    ['a coefficient of 1e6', p => (p.insertEffect.coefficient = 1e6), /^her2cn: error: \S+edited\.pon\.json: panel of normals is damaged: \/insertEffect\/coefficient is 1000000: expected number to be less or equal to 2; rebuild it with 'her2cn pon'$/],
    ['a missing field', p => delete p.insertEffect, /^her2cn: error: \S+edited\.pon\.json: panel of normals is damaged: \/insertEffect is missing; rebuild it with 'her2cn pon'$/],
    ['no QC limits', p => delete p.qcLimits, /^her2cn: error: \S+edited\.pon\.json: panel of normals is damaged: \/qcLimits is missing; rebuild it with 'her2cn pon'$/],
    ['the first layout', p => (p.insertEffect = { reference: 207, coefficient: 0.005569 }), /^her2cn: error: \S+edited\.pon\.json: panel of normals written by an earlier her2cn .*from the same normals$/],
    ['GC "from the FASTA" with values missing', p => ((p.gcSource = 'fasta'), (p.probes.gc = p.probes.gc.map(() => null))), /edited\.pon\.json: panel of normals is damaged: \/probes\/gc\/0 .* the FASTA did not cover the panel/],
  ])('refuses %s: exit 1, one line, nothing written', (_, edit, message) => {
    const out = join(tempDir(), 'out');
    expectRefused(['call', join(TEST_DATA, 'T01.bam'), '--pon', edited(edit), '--out', out], message, out);
  });
});
