// Read bases and base qualities for simulated records, for benchmark BAMs
// that are as large per read as a real one (coverage never looks at them).
// Reads copy a pseudo-reference, so reads from one locus share sequence and
// compress as real data does; qualities are drawn per read from a pool of
// Illumina-like binned profiles with a per-base error chance.
import { Random } from '../stats/random.js';

const TABLE = 1 << 20; // bases of pseudo-reference, reused along the genome
const MAX_READ = 1024;
/** Binned Phred scores of current Illumina instruments (2, 12, 23, 37), +33 as stored in SAM but raw in BAM. */
const BINS = [2, 12, 23, 37];

export class BaseSource {
  /** packed[phase] holds the table two bases per byte starting at base `phase`. */
  private readonly packed: [Uint8Array, Uint8Array];
  private readonly quals: Uint8Array[];
  private readonly rng: Random;

  constructor(seed: string, readLength: number) {
    const rng = new Random(`${seed} bases`);
    const codes = [1, 2, 4, 8]; // A C G T
    const bases = new Uint8Array(TABLE + MAX_READ + 2);
    for (let i = 0; i < bases.length; i++) bases[i] = codes[rng.int(0, 3)];
    const pack = (phase: number) => {
      const out = new Uint8Array((bases.length - phase) >> 1);
      for (let i = 0; i < out.length; i++) out[i] = (bases[phase + 2 * i] << 4) | bases[phase + 2 * i + 1];
      return out;
    };
    this.packed = [pack(0), pack(1)];
    // Quality profiles: high along the read, falling towards its 3' end, with scattered low bins.
    this.quals = Array.from({ length: 4096 }, () => {
      const q = new Uint8Array(readLength);
      for (let i = 0; i < readLength; i++) {
        const tail = i / readLength;
        const u = rng.next();
        q[i] = u < 0.01 + 0.05 * tail ? BINS[0] : u < 0.04 + 0.1 * tail ? BINS[1] : u < 0.12 + 0.2 * tail ? BINS[2] : BINS[3];
      }
      return q;
    });
    this.rng = new Random(`${seed} base choice`);
  }

  /**
   * Writes SEQ (packed two bases per byte) and QUAL of a read of `length`
   * query bases aligned at `pos` on reference `refId` into `target` at
   * `offset`; returns the bytes written.
   */
  write(target: Buffer, offset: number, refId: number, pos: number, length: number): number {
    const n = Math.min(length, MAX_READ);
    const at = (pos + refId * 7919) % TABLE;
    const from = at >> 1;
    const seqBytes = (n + 1) >> 1;
    target.set(this.packed[at & 1].subarray(from, from + seqBytes), offset);
    if (n & 1) target[offset + seqBytes - 1] &= 0xf0;
    // A sequencing error now and then, so overlapping reads are not all identical.
    for (let e = this.rng.int(0, 2); e > 0; e--) target[offset + this.rng.int(0, seqBytes - 1)] ^= 0x30;
    const pool = this.quals[this.rng.int(0, this.quals.length - 1)];
    for (let i = 0; i < n; i += pool.length) target.set(pool.subarray(0, Math.min(pool.length, n - i)), offset + seqBytes + i);
    return seqBytes + n;
  }
}
