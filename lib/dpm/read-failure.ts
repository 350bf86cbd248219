/**
 * The connection errors a one-shot read (`get`, `getMany`, `read`) can end with
 * carry that read's readings (`dpm-behaviour.md` §4.3). The error classes live in
 * `lib/errors`, the bottom layer, which knows nothing of readings: the client adds
 * the field to their types here (TypeScript module augmentation), and sets it on
 * the copy of the error a read delivers.
 *
 * @module
 */
import type { Reading } from './reading.js';

declare module '../errors/connect-error.js' {
  interface ConnectError {
    /**
     * Set only on the error of a one-shot read (`get`/`getMany`/`read`) that this
     * connection failure ended (`dpm-behaviour.md` §4.3): one reading per request
     * in request order, the real ones that had arrived and `ACNET_RETRY` (1 −1)
     * error readings for the rest. `undefined` for streams, writes and `connect`.
     */
    readonly readings?: readonly Reading[];
  }
}

declare module '../errors/handshake-error.js' {
  interface HandshakeError {
    /** As {@link ConnectError.readings}: the readings of the one-shot read this failure ended. */
    readonly readings?: readonly Reading[];
  }
}

declare module '../errors/connection-lost.js' {
  interface ConnectionLost {
    /** As {@link ConnectError.readings}: the readings of the one-shot read this failure ended. */
    readonly readings?: readonly Reading[];
  }
}
