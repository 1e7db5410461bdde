// Inflating one BGZF block's deflate data into a buffer the reader owns.
// `inflateRawSync` makes a new inflater and a new 64 KiB output buffer for
// every block. In worker threads the fresh memory is the cost: its page
// faults and the collector's freeing of it serialize two workers of one
// process, so two workers inflating halves of the clinical-size BAM took
// 0.49-0.66 s each, and 0.26-0.37 s each writing into one reused buffer
// (`node bench/inflate-bound.mjs <bam> --threads 2`, docs/performance.md). Node's zlib objects do their synchronous work
// through their handle's `writeSync`, as `inflateRawSync` itself does; where
// a Node lacks it, each block goes through `inflateRawSync` and is copied.
import { constants, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';

/** The native handle behind a zlib object. */
interface ZlibHandle {
  reset(): void;
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
}
interface ZlibInternals {
  _handle?: ZlibHandle;
  /** What the handle's last write left: output space, then input bytes. */
  _writeState?: Uint32Array;
}

export class BlockInflater {
  private stream: InflateRaw | undefined;
  private handle: ZlibHandle | undefined;
  private state: Uint32Array | undefined;
  /** False once this Node is found to lack the handle: every block then takes `inflateRawSync`. */
  private direct = true;

  /**
   * Inflates `input` (a raw deflate stream) into `output` and returns the
   * number of bytes written; throws zlib's error for damaged data. Output
   * beyond `output`'s length is cut off (the caller checks the size the
   * block declares, so give it one byte more than the most it may hold).
   */
  inflate(input: Uint8Array, output: Buffer): number {
    if (this.direct && !this.handle) this.open();
    if (!this.handle || !this.state) {
      const data = inflateRawSync(input, { chunkSize: 65536 });
      return data.copy(output, 0, 0, Math.min(data.length, output.length));
    }
    this.handle.reset();
    this.handle.writeSync(constants.Z_FINISH, input, 0, input.length, output, 0, output.length);
    const error = this.stream!.errored;
    if (error) {
      // zlib's handle is closed after an error: the next block gets a new one.
      this.handle = undefined;
      throw error;
    }
    return output.length - this.state[0];
  }

  private open(): void {
    const stream = createInflateRaw();
    // An error is read from `errored` right after the write; the event it also emits is not wanted.
    stream.on('error', () => {});
    const internals = stream as unknown as ZlibInternals;
    if (typeof internals._handle?.writeSync !== 'function' || typeof internals._handle.reset !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      this.direct = false;
      return;
    }
    this.stream = stream;
    this.handle = internals._handle;
    this.state = internals._writeState;
  }

  /** Whether blocks go through the zlib handle (after the first block; false on a Node without it). */
  get throughHandle(): boolean {
    return this.handle !== undefined;
  }

  /** Tests: every block through `inflateRawSync`, as on a Node without the handle. */
  static portable(): BlockInflater {
    const inflater = new BlockInflater();
    inflater.direct = false;
    return inflater;
  }
}
