// From a sample's truth model to the reads an aligner and duplicate marker
// would write: capture fragments over each probe (counts shaped by probe
// efficiency, GC bias, copy number and over-dispersion), off-target
// fragments across the genome, and the record types real BAMs carry
// (duplicates, secondary and supplementary alignments, QC failures, soft
// clips, indels, low-MAPQ reads, unmapped mates).
import { canonicalContig } from '../panel/contigs.js';
import { clusterProbes, type Probe } from '../panel/panel.js';
import type { AlignmentRecord, Reference } from './bam-writer.js';
import { referenceLength } from './bam-writer.js';
import { bulkCopies, type SampleSpec } from './model.js';
import { hashString, Random } from '../stats/random.js';

export const READ_LENGTH = 150;
/** A captured fragment overlaps its probe by at least this many bases. */
const MIN_OVERLAP = 20;

/** Capture efficiency of a probe, shared by every sample of the assay: log-normal, fixed by the probe's identity. */
export function captureEfficiency(probe: Probe): number {
  const rng = new Random(`efficiency ${probe.chrom}:${probe.start}-${probe.end}`);
  return rng.logNormal(0, 0.3);
}

/** Probes where part of the reads map ambiguously (low mappability), fixed by the probe's identity. */
export function lowMappability(probe: Probe): boolean {
  return probe.gene !== 'ERBB2' && hashString(`mappability ${probe.name}`) % 40 === 0;
}

export function gcFactor(spec: SampleSpec, gc: number | undefined): number {
  const x = (gc ?? 0.45) - 0.45;
  return Math.exp(spec.library.gcSlope * x + spec.library.gcCurve * x * x);
}

/** Expected number of captured read pairs over a probe for the sample. */
export function expectedFragments(spec: SampleSpec, probe: Probe): number {
  const lib = spec.library;
  const length = probe.end - probe.start;
  // A fragment of insert I starting uniformly where it overlaps the probe by
  // MIN_OVERLAP puts about length * I / (length + I - 2 * MIN_OVERLAP) bases on it.
  const perFragment = (length * lib.insertMean) / (length + lib.insertMean - 2 * MIN_OVERLAP);
  const copies = bulkCopies(spec, probe) / 2;
  return (lib.depth * length * copies * captureEfficiency(probe) * gcFactor(spec, probe.gc)) / perFragment;
}

interface Fragment {
  start: number;
  insert: number;
  lowMapq: boolean;
}

/**
 * Streams one sample's records in coordinate order to `emit`, contig by
 * contig in header order, then the unplaced pairs.
 * Long by design: one read pair's life (position, CIGAR, flags, mate) in the order a BAM record is built.
 */
export function simulateReads(spec: SampleSpec, probes: Probe[], refs: Reference[], seed: string, emit: (r: AlignmentRecord) => void): void {
  const rng = new Random(`${seed} reads ${spec.name}`);
  const lib = spec.library;
  const readGroup = { RG: spec.name };
  let serial = 0;
  const nextName = () => (serial++).toString(36).padStart(5, '0');

  // Fragment counts per probe, drawn once so that off-target totals follow them.
  const counts = probes.map(p => rng.overdispersed(expectedFragments(spec, p), lib.noiseCv));
  const onTarget = counts.reduce((a, b) => a + b, 0);
  const offTargetTotal = Math.round((onTarget * lib.offTargetFraction) / (1 - lib.offTargetFraction));
  const genomeLength = refs.reduce((s, r) => s + r.length, 0);

  const pending = new RecordHeap();
  const clusters = clusterProbes(probes, 2000);

  refs.forEach((ref, refId) => {
    const offTarget = rng.poisson((offTargetTotal * ref.length) / genomeLength);
    const offStarts = Float64Array.from({ length: offTarget }, () => rng.int(0, Math.max(0, ref.length - 1000)));
    offStarts.sort();
    let nextOff = 0;
    const contigClusters = clusters.filter(c => canonicalContig(c.chrom) === canonicalContig(ref.name));
    const flushBefore = (pos: number) => {
      while (pending.size > 0 && pending.peek().pos < pos) emit(pending.pop());
    };
    const emitFragments = (fragments: Fragment[]) => {
      fragments.sort((a, b) => a.start - b.start || a.insert - b.insert);
      for (const f of fragments) {
        flushBefore(f.start);
        for (const r of fragmentRecords(f, refId, ref.length, spec, rng, nextName, readGroup)) pending.push(r);
      }
    };
    for (const cluster of contigClusters) {
      const windowStart = cluster.start - 1000;
      const fragments: Fragment[] = [];
      while (nextOff < offStarts.length && offStarts[nextOff] < windowStart) {
        fragments.push({ start: offStarts[nextOff++], insert: drawInsert(rng, lib), lowMapq: rng.chance(0.03) });
      }
      emitFragments(fragments.splice(0));
      const windowEnd = cluster.end + 1000;
      for (const index of cluster.probes) {
        const probe = probes[index];
        const low = lowMappability(probe);
        for (let k = 0; k < counts[index]; k++) {
          const insert = drawInsert(rng, lib);
          const start = rng.int(probe.start - insert + MIN_OVERLAP, probe.end - MIN_OVERLAP);
          fragments.push({ start: Math.max(0, start), insert, lowMapq: low ? rng.chance(0.4) : rng.chance(0.01) });
        }
      }
      while (nextOff < offStarts.length && offStarts[nextOff] < windowEnd) {
        fragments.push({ start: offStarts[nextOff++], insert: drawInsert(rng, lib), lowMapq: rng.chance(0.03) });
      }
      emitFragments(fragments);
    }
    const rest: Fragment[] = [];
    while (nextOff < offStarts.length) rest.push({ start: offStarts[nextOff++], insert: drawInsert(rng, lib), lowMapq: rng.chance(0.03) });
    emitFragments(rest);
    flushBefore(Number.MAX_SAFE_INTEGER);
  });

  // A few pairs the aligner could not place at all come last, as in any BAM.
  const unplaced = Math.round(onTarget * 0.002);
  for (let k = 0; k < unplaced; k++) {
    const name = nextName();
    for (const first of [true, false]) {
      emit({
        name,
        flag: 0x1 | 0x4 | 0x8 | (first ? 0x40 : 0x80),
        refId: -1,
        pos: -1,
        mapq: 0,
        cigar: [],
        nextRefId: -1,
        nextPos: -1,
        tlen: 0,
        tags: readGroup,
      });
    }
  }
}

function drawInsert(rng: Random, lib: SampleSpec['library']): number {
  return Math.round(Math.min(800, Math.max(70, rng.normal(lib.insertMean, lib.insertSd))));
}

/** The records of one fragment: a read pair (maybe duplicated, clipped, split or with a mate unmapped). */
function fragmentRecords(
  f: Fragment,
  refId: number,
  refLength: number,
  spec: SampleSpec,
  rng: Random,
  nextName: () => string,
  tags: Record<string, string>,
): AlignmentRecord[] {
  const lib = spec.library;
  const insert = Math.min(f.insert, refLength - f.start);
  const readLength = Math.min(READ_LENGTH, insert);
  const name = nextName();
  const mapq = f.lowMapq ? rng.int(0, 15) : 60;
  const qcFail = rng.chance(0.01) ? 0x200 : 0;
  const firstIsLeft = rng.chance(0.5);
  const left = { pos: f.start, cigar: readCigar(rng, readLength, false) };
  const right = { pos: f.start + insert - readLength, cigar: readCigar(rng, readLength, true) };
  // Soft clips on the reverse read's start move its alignment start.
  if (right.cigar[0][0] === 'S') right.pos += right.cigar[0][1];
  const records: AlignmentRecord[] = [];

  if (rng.chance(0.005)) {
    // One mate unmapped: placed at its mate's position, as aligners do.
    const mappedLeft = rng.chance(0.5);
    const mapped = mappedLeft ? left : right;
    const base = 0x1 | (firstIsLeft === mappedLeft ? 0x40 : 0x80);
    const other = 0x1 | (firstIsLeft === mappedLeft ? 0x80 : 0x40);
    records.push(
      { name, flag: base | 0x8 | (mappedLeft ? 0 : 0x10) | qcFail, refId, pos: mapped.pos, mapq, cigar: mapped.cigar, nextRefId: refId, nextPos: mapped.pos, tlen: 0, tags },
      { name, flag: other | 0x4 | (mappedLeft ? 0 : 0x20) | qcFail, refId, pos: mapped.pos, mapq: 0, cigar: [], nextRefId: refId, nextPos: mapped.pos, tlen: 0, tags },
    );
    return records;
  }

  const pairRecords = (readName: string, extra: number): AlignmentRecord[] => {
    const leftEnd = left.pos + referenceLength(left.cigar);
    const rightEnd = right.pos + referenceLength(right.cigar);
    const tlen = Math.max(leftEnd, rightEnd) - Math.min(left.pos, right.pos);
    const flagLeft = 0x1 | 0x2 | 0x20 | (firstIsLeft ? 0x40 : 0x80) | extra;
    const flagRight = 0x1 | 0x2 | 0x10 | (firstIsLeft ? 0x80 : 0x40) | extra;
    return [
      { name: readName, flag: flagLeft, refId, pos: left.pos, mapq, cigar: left.cigar, nextRefId: refId, nextPos: right.pos, tlen, tags },
      { name: readName, flag: flagRight, refId, pos: right.pos, mapq, cigar: right.cigar, nextRefId: refId, nextPos: left.pos, tlen: -tlen, tags },
    ];
  };
  records.push(...pairRecords(name, qcFail));

  // PCR/optical duplicates: same coordinates, marked by the duplicate marker.
  const copies = rng.poisson(lib.duplicateRate / (1 - lib.duplicateRate));
  for (let k = 0; k < copies; k++) records.push(...pairRecords(nextName(), qcFail | 0x400));

  if (rng.chance(0.01)) {
    // Secondary alignment of the left read elsewhere on the chromosome.
    const pos = Math.min(refLength - readLength, left.pos + rng.int(1_000, 1_000_000));
    records.push({ ...records[0], flag: (records[0].flag & ~0x2) | 0x100, pos, mapq: 0, cigar: [['M', readLength]] });
  }
  if (rng.chance(0.01) && readLength > 80) {
    // Chimeric read: the left read's tail aligns elsewhere (supplementary), its primary is soft-clipped.
    const tail = rng.int(30, 60);
    records[0] = { ...records[0], cigar: [['M', readLength - tail], ['S', tail]] };
    const pos = Math.min(refLength - tail, left.pos + rng.int(10_000, 2_000_000));
    records.push({ ...records[0], flag: records[0].flag | 0x800, pos, mapq: rng.int(20, 60), cigar: [['H', readLength - tail], ['M', tail]] });
  }
  return records;
}

/** A read's CIGAR: mostly all-match, sometimes soft-clipped at its 3' end (adapter, low quality) or with a small indel. */
function readCigar(rng: Random, length: number, reverse: boolean): [string, number][] {
  const u = rng.next();
  if (u < 0.08 && length > 60) {
    const clip = rng.int(5, 30);
    return reverse ? [['S', clip], ['M', length - clip]] : [['M', length - clip], ['S', clip]];
  }
  if (u < 0.11 && length > 60) {
    const at = rng.int(20, length - 20);
    return [['M', at], ['D', rng.int(1, 5)], ['M', length - at]];
  }
  if (u < 0.13 && length > 60) {
    const at = rng.int(20, length - 25);
    const ins = rng.int(1, 4);
    return [['M', at], ['I', ins], ['M', length - at - ins]];
  }
  return [['M', length]];
}

/** Min-heap of records by position, ties in insertion order, so output is deterministic. */
class RecordHeap {
  private items: { r: AlignmentRecord; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): AlignmentRecord {
    return this.items[0].r;
  }

  push(r: AlignmentRecord): void {
    const items = this.items;
    items.push({ r, seq: this.seq++ });
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(items[i], items[p])) break;
      [items[i], items[p]] = [items[p], items[i]];
      i = p;
    }
  }

  pop(): AlignmentRecord {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && less(items[l], items[m])) m = l;
        if (r < items.length && less(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top.r;
  }
}

function less(a: { r: AlignmentRecord; seq: number }, b: { r: AlignmentRecord; seq: number }): boolean {
  return a.r.pos < b.r.pos || (a.r.pos === b.r.pos && a.seq < b.seq);
}
