// The floor under `her2cn coverage`: time to inflate (and CRC-check) every
// BGZF block of a BAM with Node's zlib, reading nothing else:
// `node bench/inflate-bound.mjs <bam> [--threads N] [--wasm]`.
// --threads N: the file cut into N runs of blocks, each inflated by a worker
// thread of one process, as the coverage workers do (each run's time given).
// --wasm: the same blocks inflated by the other inflater on npm, libdeflate
// built to WebAssembly inside @gmod/bgzf-filehandle (a dependency of the
// tests' reference BAM reader), in 256 KiB slices of whole blocks, first pass
// and second (once V8 has compiled it) timed apart.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { findBlockStart, inflateBlocks } from '../dist/coverage/bgzf-reader.js';

/** Inflates the blocks from `from` to `to` (block starts), returning the bytes and seconds. */
function inflateRun(path, from, to) {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (const block of inflateBlocks(fd, path, from, size, to)) {
    if (block.offset >= to) break;
    bytes += block.data.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  return { bytes, seconds };
}

if (!isMainThread) {
  parentPort.postMessage(inflateRun(workerData.path, workerData.from, workerData.to));
} else {
  const args = process.argv.slice(2);
  const path = args.find(a => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--threads');
  const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const mb = n => (n / 1e6).toFixed(0);
  if (args.includes('--wasm')) {
    const { unzip } = await import('@gmod/bgzf-filehandle');
    const file = readFileSync(path);
    const slices = [];
    for (let at = 0, start = 0; at < file.length; ) {
      at += file.readUInt16LE(at + 16) + 1;
      if (at - start > 1 << 18 || at >= file.length) slices.push(file.subarray(start, (start = at)));
    }
    for (const pass of ['first', 'second']) {
      const started = process.hrtime.bigint();
      let bytes = 0;
      for (const slice of slices) bytes += (await unzip(slice)).length;
      console.log(`${path}: libdeflate (WebAssembly), ${pass} pass: ${mb(bytes)} MB inflated in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s`);
    }
  } else if (threads > 1) {
    const cuts = [0];
    for (let k = 1; k < threads; k++) cuts.push(findBlockStart(fd, size, Math.floor((k * size) / threads), size));
    cuts.push(size);
    const started = process.hrtime.bigint();
    const runs = await Promise.all(
      cuts.slice(0, -1).map((from, k) => new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { path, from, to: cuts[k + 1] } });
        worker.once('message', resolve);
        worker.once('error', reject);
      })),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = runs.reduce((a, r) => a + r.bytes, 0);
    console.log(`${path}: ${mb(size)} MB compressed, ${mb(bytes)} MB inflated by ${threads} worker threads in ${seconds.toFixed(2)} s (each run: ${runs.map(r => r.seconds.toFixed(2)).join(', ')} s)`);
  } else {
    const { bytes, seconds } = inflateRun(path, 0, size);
    console.log(`${path}: ${mb(size)} MB compressed, ${mb(bytes)} MB inflated in ${seconds.toFixed(2)} s on one thread (${mb(size / seconds)} MB/s compressed, ${mb(bytes / seconds)} MB/s inflated)`);
  }
  closeSync(fd);
}
