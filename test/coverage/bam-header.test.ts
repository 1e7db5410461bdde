// A BAM's header read from its first blocks: the same text, references and
// read groups @gmod/bam reads from every committed BAM and from a header of
// thousands of contigs spanning several BGZF blocks; damaged headers refused
// saying what is wrong.
import { closeSync, copyFileSync, fstatSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BamFile } from '@gmod/bam';
import { describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { headerLines, parseBamHeader, readBamHeader } from '../../src/coverage/bam-header.js';
import { BGZF_EOF, bgzfBlocks } from '../../src/output/bgzf-writer.js';
import { BamWriter } from '../../src/simulate/bam-writer.js';
import { TEST_DATA, tempDir } from '../helpers.js';

function readHeader(path: string) {
  const fd = openSync(path, 'r');
  try {
    return readBamHeader(fd, path, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

async function theirs(path: string) {
  const bam = new BamFile({ bamPath: path, csiPath: `${path}.csi` });
  const header = await bam.getHeader();
  return {
    text: (await bam.getHeaderText()) ?? '',
    references: (bam.indexToChr ?? []).map(r => ({ name: r.refName, length: r.length })),
    readGroups: header.filter(h => h.tag === 'RG').map(h => ({ id: h.data.find(d => d.tag === 'ID')?.value, sample: h.data.find(d => d.tag === 'SM')?.value })),
  };
}

const ours = (path: string) => {
  const h = readHeader(path);
  const readGroups = headerLines(h.text).filter(l => l.tag === 'RG').map(l => ({ id: l.fields.get('ID'), sample: l.fields.get('SM') }));
  return { text: h.text, references: h.references, readGroups };
};

describe('readBamHeader', () => {
  it('reads every committed BAM\'s header as @gmod/bam does', async () => {
    const bams = readdirSync(TEST_DATA).filter(f => f.endsWith('.bam')).sort();
    expect(bams.length).toBeGreaterThan(20);
    for (const f of bams) expect(ours(join(TEST_DATA, f)), f).toEqual(await theirs(join(TEST_DATA, f)));
    // GRCh38's 25 primary chromosomes, with their lengths
    expect(ours(join(TEST_DATA, 'T01.bam')).references.find(r => r.name === 'chr17')).toEqual({ name: 'chr17', length: 83_257_441 });
  });

  it('reads a header of 4,000 contigs spanning several blocks, as @gmod/bam does', async () => {
    const refs = Array.from({ length: 4000 }, (_, i) => ({ name: `chrUn_contig_${String(i).padStart(5, '0')}_decoy`, length: 1000 + i }));
    const path = join(tempDir(), 'many.bam');
    const text = '@HD\tVN:1.6\tSO:coordinate\n' + refs.map(r => `@SQ\tSN:${r.name}\tLN:${r.length}\n`).join('') + '@RG\tID:a\tSM:one\tSM:two\n@CO\tfree text\n';
    const w = new BamWriter(path, text, refs, { index: 'csi' });
    w.close();
    const h = ours(path);
    expect(h.references).toEqual(refs);
    expect(h.text).toBe(text);
    // the first of a repeated tag, as @gmod/bam's parse read with find()
    expect(h.readGroups).toEqual([{ id: 'a', sample: 'one' }]);
    expect(h).toEqual(await theirs(path));
  });

  it('refuses a header that is not a BAM\'s, is cut short or holds impossible counts, saying which', () => {
    const dir = tempDir();
    const bgzf = (name: string, bytes: Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, Buffer.concat([...bgzfBlocks(bytes), Buffer.from(BGZF_EOF)]));
      return path;
    };
    const int32 = (...v: number[]) => Buffer.concat(v.map(x => { const b = Buffer.alloc(4); b.writeInt32LE(x); return b; }));
    const magic = Buffer.from('BAM\x01', 'latin1');
    expect(() => readHeader(bgzf('text.bam', Buffer.from('@HD\tVN:1.6\n')))).toThrow(/not a BAM file \(no BAM\\1 magic after inflating\)/);
    expect(() => readHeader(bgzf('cut.bam', Buffer.concat([magic, int32(100), Buffer.from('@HD')])))).toThrow(/the file ends inside the header/);
    expect(() => readHeader(bgzf('negative.bam', Buffer.concat([magic, int32(-5)])))).toThrow(/a negative header text length \(-5\)/);
    expect(() => readHeader(bgzf('refs.bam', Buffer.concat([magic, int32(0, -1)])))).toThrow(/a negative number of references \(-1\)/);
    expect(() => readHeader(bgzf('name.bam', Buffer.concat([magic, int32(0, 1, 0)])))).toThrow(/reference 1 has a name length of 0/);
    expect(() => readHeader(bgzf('length.bam', Buffer.concat([magic, int32(0, 1, 3), Buffer.from('ch\0'), int32(-7)])))).toThrow(/reference ch has a negative length \(-7\)/);
    // a text length no header has: refused at once, not after inflating the whole file
    expect(() => readHeader(bgzf('huge.bam', Buffer.concat([magic, int32(300 << 20), Buffer.alloc(70_000)])))).toThrow(/a header of more than 256 MB \(its lengths say at least 314572812 bytes\): damaged\?/);
  });

  it('openBam refuses an index of more references than the header names', async () => {
    const dir = tempDir();
    const three = [{ name: 'chr1', length: 1000 }, { name: 'chr2', length: 1000 }, { name: 'chr3', length: 1000 }];
    new BamWriter(join(dir, 'three.bam'), '@HD\tVN:1.6\tSO:coordinate\n', three, { index: 'csi' }).close();
    new BamWriter(join(dir, 'two.bam'), '@HD\tVN:1.6\tSO:coordinate\n', three.slice(0, 2), { index: false }).close();
    copyFileSync(join(dir, 'three.bam.csi'), join(dir, 'two.bam.csi'));
    await expect(openBam(join(dir, 'two.bam'))).rejects.toThrow(/two\.bam\.csi: indexes 3 references but .*two\.bam has 2; it belongs to another file/);
  });

  it('asks for the bytes it lacks instead of reading past them', () => {
    const magic = Buffer.from('BAM\x01', 'latin1');
    const b = Buffer.alloc(4);
    b.writeInt32LE(20);
    expect(parseBamHeader(Buffer.from('BAM'))).toEqual({ need: 8 });
    expect(parseBamHeader(Buffer.concat([magic, b]))).toEqual({ need: 32 });
  });
});
