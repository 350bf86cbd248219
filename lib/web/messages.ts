import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { CLOSE, type ClientMessage } from '../browser/wire.js';

const Id = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= 0x7fffffff, 'SubscriptionId');

const Subscribe = t.type({ op: t.literal('subscribe'), id: Id, drfs: t.array(t.string) });
const Unsubscribe = t.type({ op: t.literal('unsubscribe'), id: Id });
const Message = t.union([Subscribe, Unsubscribe]);

/**
 * A message from a browser, parsed: the request, or why the connection must close (the close
 * code and a reason of at most 123 bytes, as WebSocket allows).
 *
 * @example
 * ```ts
 * const p = parseClientMessage('{"op":"unsubscribe","id":3}', false);
 * if (p.kind === 'request') handle(p.message);
 * ```
 */
export type ParsedMessage =
  | { readonly kind: 'request'; readonly message: ClientMessage }
  | { readonly kind: 'violation'; readonly code: number; readonly reason: string };

/**
 * Parses one WebSocket message from a browser (text expected) and validates it against the
 * protocol with io-ts.
 *
 * @example
 * ```ts
 * parseClientMessage('hello', false); // { kind: 'violation', code: 1007, reason: 'not JSON' }
 * ```
 */
export function parseClientMessage(data: Buffer | ArrayBuffer | Buffer[] | string, isBinary: boolean): ParsedMessage {
  if (isBinary) return { kind: 'violation', code: CLOSE.UNSUPPORTED, reason: 'binary frames are not supported: send JSON text' };
  const text = typeof data === 'string' ? data : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'violation', code: CLOSE.INVALID, reason: 'not JSON' };
  }
  const r = Message.decode(json);
  if (isLeft(r)) {
    const op = typeof json === 'object' && json !== null ? (json as { op?: unknown }).op : undefined;
    const reason =
      op === 'subscribe'
        ? 'bad subscribe: expected {"op":"subscribe","id":<1..2^31-1>,"drfs":[<string>…]}'
        : op === 'unsubscribe'
          ? 'bad unsubscribe: expected {"op":"unsubscribe","id":<1..2^31-1>}'
          : 'unknown message: expected op "subscribe" or "unsubscribe"';
    return { kind: 'violation', code: CLOSE.POLICY, reason };
  }
  return { kind: 'request', message: r.right };
}
