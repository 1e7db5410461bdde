// A stand-in GRCh38 reference for CRAM tests: every chromosome at its real
// length (so build checks and samtools see the real header), written as a
// bgzip-compressed FASTA with .fai and .gzi. The 3.1 Gb would take minutes to
// write and gigabytes of disk as text; here the sequence is N except near the
// panel's probes, where it is pseudo-random A/C/G/T, and every all-N BGZF
// block is the same block, compressed once: about 6 MB in under a second.
// Reads of the simulated BAMs carry no bases (SEQ '*'); `withSequences`
// gives them the reference's bases (with a few substitutions, and random
// bases in insertions and soft clips), so a CRAM made from them stores its
// reads against the reference as real CRAMs do.
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { bgzfBlock, BGZF_EOF } from '../../src/output/bgzf-writer.js';
import { Random } from '../../src/stats/random.js';

const LINE = 60;
/** Whole lines per BGZF block, so all-N blocks are byte-identical. */
const LINES_PER_BLOCK = 1000;

export interface Window {
  start: number;
  end: number;
  seq: string;
}

export interface FixtureGenome {
  path: string;
  /** Each contig's MD5 (of its upper-case bases), as a CRAM header's M5 tag holds it. */
  m5: Map<string, string>;
  /** The reference base at a 0-based position. */
  baseAt(chrom: string, pos: number): string;
}

/**
 * Writes `path` (bgzip FASTA), `path.fai` and `path.gzi`. `regions` are the
 * stretches given random bases (padded by 3 kb); `salt` changes those bases
 * (a "wrong" reference of the same shape); `md5: false` skips the M5 sums
 * (5 s of the 7).
 */
export function writeFixtureGenome(
  path: string,
  contigs: { name: string; length: number }[],
  regions: { chrom: string; start: number; end: number }[],
  options: { salt?: string; md5?: boolean } = {},
): FixtureGenome {
  const salt = options.salt ?? '';
  const pad = 3000;
  const withMd5 = options.md5 ?? true;
  const windows = new Map<string, Window[]>();
  for (const c of contigs) {
    const spans = regions
      .filter(r => r.chrom === c.name)
      .map(r => [Math.max(0, r.start - pad), Math.min(c.length, r.end + pad)] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([...s]);
    }
    windows.set(
      c.name,
      merged.map(([start, end]) => {
        const rng = new Random(`fixture genome ${salt} ${c.name}:${start}`);
        let seq = '';
        for (let i = start; i < end; i++) seq += 'ACGT'[rng.int(0, 3)];
        return { start, end, seq };
      }),
    );
  }
  const baseAt = (chrom: string, pos: number): string => {
    for (const w of windows.get(chrom) ?? []) if (pos >= w.start && pos < w.end) return w.seq[pos - w.start];
    return 'N';
  };

  const fd = openSync(path, 'w');
  const fai: string[] = [];
  const gzi: [number, number][] = [];
  let compressed = 0;
  let uncompressed = 0;
  const emit = (payload: Buffer, block?: Buffer) => {
    if (uncompressed > 0) gzi.push([compressed, uncompressed]);
    const b = block ?? bgzfBlock(payload);
    writeSync(fd, b);
    compressed += b.length;
    uncompressed += payload.length;
  };
  const nLines = Buffer.from(('N'.repeat(LINE) + '\n').repeat(LINES_PER_BLOCK));
  const nBlock = bgzfBlock(nLines);
  const nBases = Buffer.from('N'.repeat(LINE * LINES_PER_BLOCK));
  const m5 = new Map<string, string>();
  for (const c of contigs) {
    // Computed here so samtools need not read 3 Gb to compute them itself.
    const md5 = createHash('md5');
    emit(Buffer.from(`>${c.name}\n`));
    fai.push([c.name, c.length, uncompressed, LINE, LINE + 1].join('\t'));
    const ws = windows.get(c.name)!;
    const perBlock = LINE * LINES_PER_BLOCK;
    for (let from = 0; from < c.length; from += perBlock) {
      const to = Math.min(c.length, from + perBlock);
      if (to - from === perBlock && !ws.some(w => w.start < to && w.end > from)) {
        emit(nLines, nBlock);
        if (withMd5) md5.update(nBases);
        continue;
      }
      let text = '';
      let bases = '';
      for (let line = from; line < to; line += LINE) {
        const end = Math.min(to, line + LINE);
        let row = '';
        for (let p = line; p < end; p++) row += baseAt(c.name, p);
        text += row + '\n';
        bases += row;
      }
      emit(Buffer.from(text));
      if (withMd5) md5.update(bases);
    }
    if (withMd5) m5.set(c.name, md5.digest('hex'));
  }
  writeSync(fd, BGZF_EOF);
  closeSync(fd);
  writeFileSync(`${path}.fai`, fai.join('\n') + '\n');
  // .gzi: number of entries, then (compressed, uncompressed) offsets of every block after the first.
  const index = Buffer.alloc(8 + 16 * gzi.length);
  index.writeBigUInt64LE(BigInt(gzi.length), 0);
  gzi.forEach(([c, u], i) => {
    index.writeBigUInt64LE(BigInt(c), 8 + 16 * i);
    index.writeBigUInt64LE(BigInt(u), 16 + 16 * i);
  });
  writeFileSync(`${path}.gzi`, index);
  return { path, m5, baseAt };
}

const CIGAR_OP = /(\d+)([MIDNSHP=X])/g;

/** SAM text whose @SQ lines carry the genome's M5 tags. */
export function withM5(sam: string, genome: FixtureGenome): string {
  return sam.replace(/^@SQ\tSN:([^\t\n]+)([^\n]*)$/gm, (line, name: string) => (genome.m5.has(name) ? `${line}\tM5:${genome.m5.get(name)}` : line));
}

/**
 * SAM text with each mapped read's SEQ made from the reference under its
 * CIGAR (1 in 100 bases substituted; insertions and soft clips random);
 * everything else unchanged.
 */
export function withSequences(sam: string, genome: FixtureGenome, seed = 'reads'): string {
  const rng = new Random(`fixture reads ${seed}`);
  const other = (b: string) => 'ACGT'.replace(b, '')[rng.int(0, 2)];
  return sam
    .split('\n')
    .map(line => {
      if (line === '' || line.startsWith('@')) return line;
      const f = line.split('\t');
      if (Number(f[1]) & 4 || f[5] === '*') return line;
      let pos = Number(f[3]) - 1;
      let seq = '';
      for (const [, n, op] of f[5].matchAll(CIGAR_OP)) {
        const len = Number(n);
        if (op === 'M' || op === '=' || op === 'X') {
          for (let i = 0; i < len; i++, pos++) {
            const b = genome.baseAt(f[2], pos);
            seq += b !== 'N' && rng.next() < 0.01 ? other(b) : b;
          }
        } else if (op === 'I' || op === 'S') {
          for (let i = 0; i < len; i++) seq += 'ACGT'[rng.int(0, 3)];
        } else if (op === 'D' || op === 'N') {
          pos += len;
        }
      }
      f[9] = seq;
      return f.join('\t');
    })
    .join('\n');
}
