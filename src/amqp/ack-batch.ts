/**
 * Acks go out together: once per turn of the event loop, one basic.ack with `multiple` covers
 * every acked message up to the newest one whose predecessors on the channel are all settled;
 * only acks behind a message still being handled go one by one. Under load that is one frame for
 * a whole write batch of events instead of one per message (a socket write each).
 *
 * An ack waits at most one turn, and never for a message that is still being handled: a slow
 * message (held through a store outage, say) delays nobody's ack and so never fills the prefetch
 * window. Nacks and rejects are not batched; they only leave the set of unsettled messages.
 */
import type { ConsumeMessage } from 'amqplib';

export class AckBatch {
  /** Delivery tags received and not yet settled in any way. */
  private readonly unsettled = new Set<number>();
  private ready: ConsumeMessage[] = [];
  private scheduled = false;

  /** `send(msg, true)` acks every message up to `msg` on the channel (`multiple`). */
  constructor(private readonly send: (msg: ConsumeMessage, upTo: boolean) => void) {}

  received(msg: ConsumeMessage): void {
    this.unsettled.add(msg.fields.deliveryTag);
  }

  /** Settled another way (nack, reject), sent by the caller. */
  settled(msg: ConsumeMessage): void {
    this.unsettled.delete(msg.fields.deliveryTag);
  }

  ack(msg: ConsumeMessage): void {
    this.unsettled.delete(msg.fields.deliveryTag);
    this.ready.push(msg);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is ready now (also before the channel closes). */
  flush(): void {
    this.scheduled = false;
    if (this.ready.length === 0) return;
    let lowestUnsettled = Infinity;
    for (const tag of this.unsettled) if (tag < lowestUnsettled) lowestUnsettled = tag;
    let upTo: ConsumeMessage | undefined;
    const alone: ConsumeMessage[] = [];
    for (const msg of this.ready) {
      const tag = msg.fields.deliveryTag;
      if (tag > lowestUnsettled) alone.push(msg);
      else if (upTo === undefined || tag > upTo.fields.deliveryTag) upTo = msg;
    }
    this.ready = [];
    if (upTo !== undefined) this.send(upTo, true);
    for (const msg of alone) this.send(msg, false);
  }
}
