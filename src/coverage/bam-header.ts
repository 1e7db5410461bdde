// A BAM's header (SAMv1 section 4.2): the SAM header text and the binary list
// of references, inflated from the file's first BGZF blocks with Node's zlib,
// block by block until the header is complete (a header of thousands of
// contigs spans several blocks). Pure parsing of the bytes apart from
// reading them: the checks a reader meets, each with its own message.
import { inflateBlocks } from './bgzf-reader.js';

const BAM_MAGIC = 0x014d4142; // "BAM\1", little-endian

export interface BamHeader {
  /** The SAM header text, as stored (UTF-8). */
  text: string;
  /** The references records are placed on, in the order of their numbers. */
  references: { name: string; length: number }[];
}

/** SAM header lines as tag and TAG:VALUE fields (a field without a colon keeps its text as the tag). */
export function headerLines(text: string): { tag: string; fields: Map<string, string> }[] {
  const out: { tag: string; fields: Map<string, string> }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [tag, ...rest] = line.split('\t');
    if (!tag) continue;
    const fields = new Map<string, string>();
    for (const f of rest) {
      const colon = f.indexOf(':');
      const key = colon === -1 ? f : f.slice(0, colon);
      // The first of a repeated tag, as a reader taking the line's fields in order would.
      if (!fields.has(key)) fields.set(key, colon === -1 ? '' : f.slice(colon + 1));
    }
    out.push({ tag: tag.slice(1), fields });
  }
  return out;
}

/**
 * Parses the header from the start of the decompressed stream, or says how
 * many bytes it needs at least while `data` is too short to hold it all.
 * Throws an Error naming what is wrong with the bytes.
 */
export function parseBamHeader(data: Buffer): BamHeader | { need: number } {
  if (data.length < 8) return { need: 8 };
  if (data.readUInt32LE(0) !== BAM_MAGIC) throw new Error('not a BAM file (no BAM\\1 magic after inflating)');
  const textLength = data.readInt32LE(4);
  if (textLength < 0) throw new Error(`a negative header text length (${textLength})`);
  let at = 8 + textLength;
  if (data.length < at + 4) return { need: at + 4 };
  const text = new TextDecoder('utf-8').decode(data.subarray(8, 8 + textLength));
  const count = data.readInt32LE(at);
  if (count < 0) throw new Error(`a negative number of references (${count})`);
  at += 4;
  const references: BamHeader['references'] = [];
  for (let i = 0; i < count; i++) {
    if (data.length < at + 4) return { need: at + 4 };
    const nameLength = data.readInt32LE(at);
    if (nameLength < 1) throw new Error(`reference ${i + 1} has a name length of ${nameLength}`);
    if (data.length < at + 8 + nameLength) return { need: at + 8 + nameLength };
    // The name is NUL-terminated within its length.
    const name = data.toString('latin1', at + 4, at + 4 + nameLength - 1);
    const length = data.readInt32LE(at + 4 + nameLength);
    if (length < 0) throw new Error(`reference ${name} has a negative length (${length})`);
    references.push({ name, length });
    at += 8 + nameLength;
  }
  return { text, references };
}

/** A header larger than this is taken as damaged (GRCh38 with every alt and decoy contig: about 0.2 MB). */
export const MAX_HEADER_BYTES = 256 << 20;

/** Reads the header of the BAM open as `fd` (`size` bytes), inflating blocks from its start until it is complete. */
export function readBamHeader(fd: number, path: string, size: number): BamHeader {
  const parts: Buffer[] = [];
  let held = 0;
  let need = 8;
  for (const block of inflateBlocks(fd, path, 0, size, Math.min(size, 1 << 16))) {
    parts.push(Buffer.from(block.data)); // the reader's buffer is reused for the next block
    held += block.data.length;
    // Parsed again only once the bytes it asked for are there, and at least
    // twice as many as last time: a header of many blocks is parsed a few
    // times, not once per block.
    if (held < need) continue;
    const parsed = parseBamHeader(parts.length === 1 ? parts[0] : Buffer.concat(parts, held));
    if (!('need' in parsed)) return parsed;
    if (parsed.need > MAX_HEADER_BYTES) throw new Error(`a header of more than ${MAX_HEADER_BYTES >> 20} MB (its lengths say at least ${parsed.need} bytes): damaged?`);
    need = Math.max(parsed.need, Math.min(2 * held, MAX_HEADER_BYTES));
  }
  // The stream ended before the bytes asked for: a header it holds whole (a BAM without records) is read still.
  const parsed = parseBamHeader(Buffer.concat(parts, held));
  if (!('need' in parsed)) return parsed;
  throw new Error('the file ends inside the header');
}
