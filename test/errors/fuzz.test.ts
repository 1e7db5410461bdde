// Random and mutated inputs to the parsers we own never crash with an
// unexpected exception: they parse, or they fail with our own clear error.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { Her2cnError } from '../../src/errors/errors.js';
import { computeCoverage } from '../../src/coverage/engine.js';
import { visitRecords } from '../../src/coverage/records.js';
import { parseBed } from '../../src/panel/bed.js';
import { readPon } from '../../src/pon/file.js';
import { bgzfBlock, BGZF_EOF } from '../../src/output/bgzf-writer.js';
import { Random } from '../../src/stats/random.js';
import { parseTruth } from '../../src/validate/truth.js';
import { DEMO_PANEL, ROOT, TEST_DATA, tempDir } from '../helpers.js';

const rng = new Random('fuzz');
const ALPHABET = 'chr17\t0123456789 _;|,:#\r\n-+.eEabcXYMposinegatv3+2+1+';

function mutate(text: string): string {
  const chars = [...text];
  const edits = rng.int(1, 6);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(0, Math.max(0, chars.length - 1));
    const op = rng.int(0, 2);
    const c = ALPHABET[rng.int(0, ALPHABET.length - 1)];
    if (op === 0) chars[at] = c;
    else if (op === 1) chars.splice(at, 0, c);
    else chars.splice(at, rng.int(1, 20));
  }
  return chars.join('');
}

function randomText(n: number): string {
  return Array.from({ length: n }, () => ALPHABET[rng.int(0, ALPHABET.length - 1)]).join('');
}

/** A parser may refuse its input, but only with a one-line input error. */
const isInputError = (e: unknown) => e instanceof Her2cnError && e.kind === 'input';

/** A failure is allowed only as an input error of one line. */
function expectInputError(e: unknown): void {
  if (!isInputError(e)) throw e;
  expect((e as Error).message).not.toMatch(/\n/);
}

function expectOnlyInputError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expectInputError(e);
  }
}

async function expectOnlyInputErrorAsync(f: () => Promise<unknown>): Promise<void> {
  await f().catch(expectInputError);
}

describe('fuzzing the parsers', () => {
  const bed = readFileSync(DEMO_PANEL, 'utf8').split('\n').slice(0, 40).join('\n');
  it('BED: 500 mutated panels and 100 random texts', () => {
    for (let i = 0; i < 500; i++) expectOnlyInputError(() => parseBed(mutate(bed), 'fuzz.bed'));
    for (let i = 0; i < 100; i++) expectOnlyInputError(() => parseBed(randomText(rng.int(0, 400)), 'fuzz.bed'));
  });

  const truth = readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8');
  it('truth tables: 500 mutated and 100 random', () => {
    for (let i = 0; i < 500; i++) expectOnlyInputError(() => parseTruth(mutate(truth), 'truth.tsv'));
    for (let i = 0; i < 100; i++) expectOnlyInputError(() => parseTruth(randomText(rng.int(0, 400)), 'truth.tsv'));
  });

  it('PoN JSON: 300 mutated files', async () => {
    const text = readFileSync(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'), 'utf8');
    const dir = tempDir();
    for (let i = 0; i < 300; i++) {
      const path = join(dir, `pon${i}.json`);
      writeFileSync(path, mutate(text));
      await expectOnlyInputErrorAsync(() => readPon(path));
    }
  });

  it('BAM records: 200 mutated files walked record by record', () => {
    const original = readFileSync(join(TEST_DATA, 'T13.bam'));
    const blocks: Buffer[] = [];
    for (let at = 0; at < original.length; ) {
      const size = original.readUInt16LE(at + 16) + 1;
      blocks.push(inflateRawSync(original.subarray(at + 18, at + size - 8)));
      at += size;
    }
    const dir = tempDir();
    for (let i = 0; i < 200; i++) {
      // mutate the decompressed records (not the header block), recompress: valid BGZF, damaged BAM records
      const compressed = blocks
        .filter(b => b.length > 0)
        .map((b, k) => {
          if (k === 0) return bgzfBlock(b);
          const copy = Buffer.from(b);
          for (let m = 0; m < 6; m++) copy[rng.int(0, copy.length - 1)] = rng.int(0, 255);
          return bgzfBlock(copy);
        });
      const bytes = Buffer.concat([...compressed, Buffer.from(BGZF_EOF)]);
      const path = join(dir, `m${i}.bam`);
      writeFileSync(path, bytes);
      const fd = openSync(path, 'r');
      try {
        visitRecords(fd, path, bytes.length, { start: compressed[0].length * 65536, end: bytes.length * 65536 }, r => {
          // touch every field coverage reads
          void [r.refId, r.pos, r.mapq, r.flag, r.nextRefId, r.nextPos, r.tlen, r.name, r.referenceLength];
          for (let c = 0; c < r.cigarCount; c++) r.cigar(c);
          return true;
        });
      } catch (e) {
        if (!isInputError(e)) throw e;
      } finally {
        closeSync(fd);
      }
    }
  });

  it('BAM files: 40 truncated at random points are refused with a clear error', async () => {
    const original = readFileSync(join(TEST_DATA, 'T13.bam'));
    const panel = parseBed(readFileSync(DEMO_PANEL, 'utf8'), 'demo');
    const dir = tempDir();
    for (let i = 0; i < 40; i++) {
      const path = join(dir, `t${i}.bam`);
      writeFileSync(path, original.subarray(0, rng.int(0, original.length - 1)));
      writeFileSync(`${path}.csi`, readFileSync(join(TEST_DATA, 'T13.bam.csi')));
      await expect(
        (async () => {
          const bam = await openBam(path);
          try {
            await computeCoverage(bam, panel);
          } finally {
            bam.close();
          }
        })(),
      ).rejects.toSatisfy(isInputError);
    }
  });
});
