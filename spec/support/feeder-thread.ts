// A DPM-speaking TCP server on a worker thread: it answers the handshake with
// `OpenList_reply` and then writes one frame every `everyMs` ms. Its event loop
// is its own, so it keeps sending while the test's thread is blocked — as a real,
// remote DPM does (an in-process simulator would be blocked as well).
import { Worker } from 'node:worker_threads';
import { encodeReplyFrame } from '../../lib/protocol/encode.js';
import type { EncodableReply } from '../../lib/protocol/messages.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:net');
const { openList, frame, everyMs } = workerData;
const sockets = new Set();
const server = createServer({ noDelay: true }, (socket) => {
  sockets.add(socket);
  socket.on('error', () => undefined);
  let seen = Buffer.alloc(0);
  let timer;
  socket.on('close', () => { clearInterval(timer); sockets.delete(socket); });
  socket.on('data', (chunk) => {
    if (timer !== undefined) return;
    seen = Buffer.concat([seen, chunk]);
    if (seen.indexOf('\\r\\n\\r\\n') < 0) return;
    socket.write(openList);
    timer = setInterval(() => socket.write(frame), everyMs);
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => {
  for (const s of sockets) s.destroy();
  server.close(() => process.exit(0));
});
`;

/** A running feeder thread. */
export interface FeederThread {
  readonly port: number;
  /** Closes every socket and the server, and ends the thread. */
  close(): Promise<void>;
}

/**
 * Starts the feeder: after the handshake, `reply` (framed) every `everyMs` ms on each connection.
 *
 * @example
 * const f = await startFeederThread({ type: 'ListStatus_reply', list_id: 4096, status: 0 }, 50);
 */
export async function startFeederThread(reply: EncodableReply, everyMs: number): Promise<FeederThread> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { openList: encodeReplyFrame({ type: 'OpenList_reply', list_id: 4096 }), frame: encodeReplyFrame(reply), everyMs },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      }),
  };
}
