// The optimized engine and its thread split change nothing: per-probe depths
// and read counts, and the call built on them, are byte-identical to the
// outputs the first engine wrote (kept in golden/, made before the change),
// whatever the number of threads.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, samtools, skipWithout, TEST_DATA, tempDir } from '../helpers.js';
import { coverageSplit, coverageTable } from './threads.js';
import { BGZF_EOF, bgzfBlock } from '../../src/output/bgzf-writer.js';

const GOLDEN = join(ROOT, 'test', 'coverage', 'golden');
const CALL_GOLDEN = join(ROOT, 'test', 'call', 'golden');
describe('the coverage fast path', () => {
  for (const sample of ['T02', 'T04', 'T11', 'T13', 'N10']) {
    it(`gives ${sample} the same table as before, on 1, 2 and 3 threads`, async () => {
      const golden = readFileSync(join(GOLDEN, `${sample}.coverage.tsv`), 'utf8');
      const cli = runCli(['coverage', join(TEST_DATA, `${sample}.bam`), '--threads', '1']);
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(golden);
      for (const threads of [2, 3]) expect(await coverageTable(join(TEST_DATA, `${sample}.bam`), threads)).toBe(golden);
    });
  }

  it('reads records cut in two (or more) by BGZF block boundaries to the same table, on 1 and 2 threads', async ({ skip }) => {
    skipWithout(skip, 'samtools');
    const dir = tempDir();
    const bam = join(dir, 'T02.reblocked.bam');
    // The same BAM stream cut into blocks at arbitrary byte counts, so most
    // block boundaries fall inside a record and some records span three blocks.
    const stream = gunzipSync(readFileSync(join(TEST_DATA, 'T02.bam')));
    const blocks: Buffer[] = [];
    for (let at = 0, k = 0; at < stream.length; k++) {
      const size = k % 7 === 3 ? 37 : 9_001 + ((k * 7_919) % 20_000);
      blocks.push(bgzfBlock(stream.subarray(at, at + size)));
      at += size;
    }
    writeFileSync(bam, Buffer.concat([...blocks, BGZF_EOF]));
    samtools(['index', bam]);
    const golden = readFileSync(join(GOLDEN, 'T02.coverage.tsv'), 'utf8');
    expect(runCli(['coverage', bam, '--threads', '1']).stdout).toBe(golden);
    expect(await coverageTable(bam, 2)).toBe(golden);
  });

  it('cuts the reads between BGZF blocks where the index names no record, and counts a piece again where the scan for its first record misses', async ({ skip }) => {
    skipWithout(skip, 'samtools');
    const golden = readFileSync(join(GOLDEN, 'T02.coverage.tsv'), 'utf8');
    // As written, its CSI names a record start in nearly every block: the
    // 25 chromosomes are cut there into many pieces, none from a scan.
    const plain = await coverageSplit(join(TEST_DATA, 'T02.bam'), 2);
    expect(plain.table).toBe(golden);
    expect(plain.split.counted).toBeGreaterThan(50);
    expect(plain.split.countedAgain).toBe(0);
    // Blocks of about 400 bytes hold fewer records than the scan asks for,
    // so some scans find nothing: those pieces are counted again from where
    // the piece before them stopped, to the same table.
    const dir = tempDir();
    const bam = join(dir, 'T02.small-blocks.bam');
    const stream = gunzipSync(readFileSync(join(TEST_DATA, 'T02.bam')));
    const blocks: Buffer[] = [];
    for (let at = 0, k = 0; at < stream.length; k++) {
      const size = 400 + ((k * 7_919) % 97);
      blocks.push(bgzfBlock(stream.subarray(at, at + size)));
      at += size;
    }
    writeFileSync(bam, Buffer.concat([...blocks, BGZF_EOF]));
    samtools(['index', bam]);
    const small = await coverageSplit(bam, 2);
    expect(small.table).toBe(golden);
    expect(small.split.fromBlockBoundaries).toBeGreaterThan(5);
    expect(small.split.countedAgain).toBeGreaterThan(0);
  });

  it('counts a piece again, not refuses the BAM, when its scan is fooled by records copied inside a record', async ({ skip }) => {
    skipWithout(skip, 'samtools');
    // T02 with one ERBB2-region record carrying an aux array (ZZ:B:C) that
    // holds copies of 8 later records, and a BGZF block starting at that
    // array: the scan takes the copies for the block's first record. A valid,
    // sorted BAM, which one thread reads as T02 (the array is not counted).
    const stream = gunzipSync(readFileSync(join(TEST_DATA, 'T02.bam')));
    let p = 8 + stream.readInt32LE(4);
    const references = stream.readInt32LE(p);
    p += 4;
    for (let i = 0; i < references; i++) p += 8 + stream.readInt32LE(p);
    const records: { at: number; size: number; refId: number; pos: number }[] = [];
    for (; p < stream.length; p += 4 + stream.readInt32LE(p)) {
      records.push({ at: p, size: 4 + stream.readInt32LE(p), refId: stream.readInt32LE(p + 4), pos: stream.readInt32LE(p + 8) });
    }
    const k = records.findIndex(r => r.pos > 39_700_000 && r.pos < 39_730_000);
    const host = records[k];
    const copies: Buffer[] = [];
    for (let j = k + 1, last = host.pos; j < records.length && copies.length < 8; j++) {
      if (records[j].refId === host.refId && records[j].pos > last + 50) {
        copies.push(stream.subarray(records[j].at, records[j].at + records[j].size));
        last = records[j].pos;
      }
    }
    const payload = Buffer.concat(copies);
    const tag = Buffer.alloc(8);
    tag.write('ZZBC', 0, 'latin1');
    tag.writeInt32LE(payload.length, 4);
    const record = Buffer.concat([stream.subarray(host.at, host.at + host.size), tag, payload]);
    record.writeInt32LE(record.length - 4, 0);
    const out = Buffer.concat([stream.subarray(0, host.at), record, stream.subarray(host.at + host.size)]);
    const boundary = host.at + host.size + tag.length;
    const cuts = [0];
    for (let a = boundary % 65_280; a < boundary; a += 65_280) if (a > 0) cuts.push(a);
    for (let a = boundary; a < out.length; a += 65_280) cuts.push(a);
    cuts.push(out.length);
    const blocks: Buffer[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) blocks.push(bgzfBlock(out.subarray(cuts[i], cuts[i + 1])));
    const bam = join(tempDir(), 'T02.copies-inside.bam');
    writeFileSync(bam, Buffer.concat([...blocks, BGZF_EOF]));
    samtools(['index', bam]);
    const one = await coverageSplit(bam, 1);
    const split = await coverageSplit(bam, 2, 1024);
    expect(split.table).toBe(one.table);
    expect(split.split.countedAgain).toBeGreaterThan(0);
  });

  it('gives the call the same JSON, VCF and probe table as before, on 1 and 2 threads', () => {
    for (const threads of ['1', '2']) {
      const out = tempDir();
      for (const sample of ['T02', 'T04']) {
        const r = runCli(['call', `test-data/${sample}.bam`, '--out', out, '--threads', threads]);
        expect(r.status, r.stderr).toBe(0);
        for (const file of [`${sample}.her2cn.json`, `${sample}.her2cn.vcf`, `${sample}.probes.tsv`]) {
          expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(CALL_GOLDEN, file), 'utf8'));
        }
      }
    }
  }, 60_000);
});
