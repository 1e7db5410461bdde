// Opening a BAM for coverage: its header (references, read groups, sort
// order) and its BAI or CSI index, read by bam-header.ts and bam-index.ts;
// the records themselves are streamed by records.ts.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type BamHeader, headerLines, readBamHeader } from './bam-header.js';
import { type BinnedIndex, parseBai, parseCsi } from './bam-index.js';
import { BGZF_EOF } from './bgzf-reader.js';
import type { VirtualRange } from './records.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';

export interface Reference {
  name: string;
  length: number;
}

export interface BamInput {
  path: string;
  indexPath: string;
  references: Reference[];
  /** `@RG` read groups: ID -> SM (sample), when present. */
  readGroups: { id: string; sample?: string }[];
  /** `@HD SO:` sort order, when stated. */
  sortOrder?: string;
  headerText: string;
  fd: number;
  size: number;
  /** Virtual-offset ranges holding the records that overlap [start, end) of a reference, sorted, disjoint. */
  ranges(reference: string, start: number, end: number): Promise<VirtualRange[]>;
  close(): void;
}

/** The BAI or CSI index next to a BAM: x.bam.bai, x.bai, x.bam.csi. */
export function findIndex(bamPath: string): { path: string; kind: 'bai' | 'csi' } | undefined {
  const candidates: [string, 'bai' | 'csi'][] = [
    [`${bamPath}.bai`, 'bai'],
    [bamPath.replace(/\.bam$/i, '.bai'), 'bai'],
    [`${bamPath}.csi`, 'csi'],
  ];
  for (const [path, kind] of candidates) if (path !== bamPath && existsSync(path)) return { path, kind };
  return undefined;
}

// Long by design: the checks of a BAM and its index in the order a reader meets them, each with its own message.
export async function openBam(path: string): Promise<BamInput> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot open BAM (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  try {
    const size = fstatSync(fd).size;
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) {
      const text = magic.toString('latin1');
      const hint = text.startsWith('CRAM') ? ' (it is a CRAM file)' : text.startsWith('@') ? ' (it looks like SAM text)' : '';
      throw new Her2cnError('input', `${path}: not a BAM file${hint}; give a coordinate-sorted, indexed BAM`, path);
    }
    const index = findIndex(path);
    if (!index) throw new Her2cnError('input', `${path}: no index found (looked for ${path}.bai, .bai and .csi); create one with 'samtools index ${path}'`, path);
    checkInputFile(index.path, 'BAM index');
    let header: BamHeader;
    try {
      header = readBamHeader(fd, path, size);
    } catch (e) {
      if (e instanceof Her2cnError) throw e;
      throw new Her2cnError('input', `${path}: cannot read the BAM header (${(e as Error).message})`, path);
    }
    const references = header.references;
    const lines = headerLines(header.text);
    const readGroups = lines.filter(h => h.tag === 'RG').map(h => ({ id: h.fields.get('ID') ?? '', sample: h.fields.get('SM') }));
    const sortOrder = lines.find(h => h.tag === 'HD')?.fields.get('SO');
    if (sortOrder !== undefined && sortOrder !== 'coordinate') {
      throw new Her2cnError('input', `${path}: ${sortOrderProblem(sortOrder, 'BAM')}; sort it by coordinate with 'samtools sort' and index it`, path);
    }
    if (!hasEofMarker(fd, size)) {
      throw new Her2cnError('input', `${path}: no BGZF end-of-file marker: the BAM is truncated (an interrupted copy or write?); copy or create it again`, path);
    }
    if (statSync(index.path).mtimeMs + 1000 < statSync(path).mtimeMs) {
      process.stderr.write(`her2cn: warning: ${index.path} is older than ${path}; if the BAM was rewritten, re-index it ('samtools index')\n`);
    }
    let binned: BinnedIndex;
    try {
      const bytes = readFileSync(index.path);
      // A CSI is BGZF-compressed, a BAI is not.
      binned = index.kind === 'bai' ? parseBai(bytes) : parseCsi(gunzipSync(bytes));
    } catch (e) {
      throw new Her2cnError('input', `${index.path}: cannot read the index (${(e as Error).message})`, index.path);
    }
    // An index may leave out references after the last it has reads on (as
    // htslib tolerates), never hold more than the header names.
    if (binned.refCount > references.length) {
      throw new Her2cnError('input', `${index.path}: indexes ${binned.refCount} references but ${path} has ${references.length}; it belongs to another file: re-index with 'samtools index'`, index.path);
    }
    const refIds = new Map(references.map((r, i) => [r.name, i]));
    return {
      path,
      indexPath: index.path,
      references,
      readGroups,
      sortOrder,
      headerText: header.text,
      fd,
      size,
      async ranges(reference, start, end) {
        let ranges: VirtualRange[];
        try {
          ranges = binned.ranges(refIds.get(reference) ?? -1, start, end);
        } catch (e) {
          throw new Her2cnError('input', `${index.path}: cannot read the index (${(e as Error).message})`, index.path);
        }
        const last = ranges.reduce((m, r) => Math.max(m, Math.floor(r.end / 65536)), 0);
        if (last > size) {
          throw new Her2cnError('input', `${index.path}: the index points past the end of ${path}; it belongs to another file: re-index with 'samtools index'`, index.path);
        }
        return ranges;
      },
      close() {
        closeSync(fd);
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** What a header's sort order other than coordinate says, in words (@HD SO: unsorted, queryname, unknown, or not a SAM value). */
export function sortOrderProblem(sortOrder: string, what: 'BAM' | 'CRAM'): string {
  switch (sortOrder) {
    case 'unsorted':
      return `${what} header says it is unsorted (@HD SO:unsorted)`;
    case 'queryname':
      return `${what} header says it is sorted by queryname, not by coordinate (@HD SO:queryname: by read name)`;
    case 'unknown':
      return `${what} header says its sort order is unknown (@HD SO:unknown), and her2cn needs coordinate order`;
    default:
      return `${what} header gives the sort order '${sortOrder}' (@HD SO:${sortOrder}), which is none of SAM's (coordinate, queryname, unsorted, unknown)`;
  }
}

/** Whether the file ends with the 28-byte empty BGZF block every complete BAM ends with. */
function hasEofMarker(fd: number, size: number): boolean {
  if (size < BGZF_EOF.length) return false;
  const tail = Buffer.alloc(BGZF_EOF.length);
  readSync(fd, tail, 0, tail.length, size - tail.length);
  return tail.equals(Buffer.from(BGZF_EOF));
}
