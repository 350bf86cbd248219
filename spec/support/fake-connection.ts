// An in-memory Connection for virtual-time (marble) tests of the pool, reads and streams.
import { Subject } from 'rxjs';
import type { ProtocolError, ReplyMessage } from '../../lib/protocol/index.js';
import type { Connection, OutgoingRequest } from '../../lib/transport/connection.js';

export class FakeConnection implements Connection {
  readonly replies = new Subject<ReplyMessage>();
  readonly replies$ = this.replies.asObservable();
  readonly protocolErrors$ = new Subject<ProtocolError>().asObservable();
  readonly sent: OutgoingRequest[][] = [];
  closed = false;
  refd = true;
  private ref0 = 0;
  onSend: ((msgs: readonly OutgoingRequest[], c: FakeConnection) => void) | undefined;

  constructor(
    readonly listId = 4096,
    readonly label = 'fake',
  ) {}

  nextRefId(): number {
    return ++this.ref0;
  }
  send(messages: readonly OutgoingRequest[]): void {
    this.sent.push([...messages]);
    this.onSend?.(messages, this);
  }
  ref(): void {
    this.refd = true;
  }
  unref(): void {
    this.refd = false;
  }
  reply(m: ReplyMessage): void {
    this.replies.next(m);
  }
  /** ref_ids of the AddToList requests sent so far, in order. */
  addedRefs(): number[] {
    return this.sent.flat().flatMap((m) => (m.type === 'AddToList_request' ? [Number(m.ref_id)] : []));
  }
}
