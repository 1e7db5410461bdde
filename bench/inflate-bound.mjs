// The floor under `her2cn coverage`: time to inflate (and CRC-check) every
// BGZF block of a BAM with Node's zlib on one thread, reading nothing else:
// `node bench/inflate-bound.mjs <bam>`.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { inflateBlocks } from '../dist/coverage/bgzf-reader.js';

const path = process.argv[2];
const fd = openSync(path, 'r');
const size = fstatSync(fd).size;
const started = process.hrtime.bigint();
let bytes = 0;
for (const block of inflateBlocks(fd, path, 0, size, size)) bytes += block.data.length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
closeSync(fd);
console.log(`${path}: ${(size / 1e6).toFixed(0)} MB compressed, ${(bytes / 1e6).toFixed(0)} MB inflated in ${seconds.toFixed(2)} s on one thread (${(size / 1e6 / seconds).toFixed(0)} MB/s compressed, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s inflated)`);
