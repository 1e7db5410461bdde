// A coverage worker thread: counts the pieces it is sent (see piece.ts) on its
// own descriptor of the BAM and posts each result back, its arrays transferred.
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { isUserError } from '../errors/errors.js';
import { countPiece, type Piece } from './piece.js';

const fds = new Map<string, number>();
parentPort!.on('message', (piece: Piece) => {
  try {
    let fd = fds.get(piece.path);
    if (fd === undefined) fds.set(piece.path, (fd = openSync(piece.path, 'r')));
    const result = countPiece(fd, piece);
    const transfer = result.tracks.flatMap(t => [t.delta.buffer, t.starts.buffer, t.ends.buffer]);
    parentPort!.postMessage({ result }, transfer as ArrayBuffer[]);
  } catch (e) {
    const input = isUserError(e);
    parentPort!.postMessage({ error: { message: (e as Error).message, input } });
  }
});
process.on('exit', () => fds.forEach(fd => closeSync(fd)));
