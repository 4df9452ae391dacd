/**
 * What the send stage takes and gives back. The outbox hands it jobs through `DeliveryQueue` and
 * learns what became of each attempt through `OutcomeSink`; the send stage itself never touches
 * the store, so it can be read (and tested) as "job in, HTTP request out, report back".
 */
import type { JsonObject } from '../../domain/json.js';
import type { Webhook } from '../../domain/webhook.js';
import type { AttemptRecord, DeliveryRecord, DeliveryStatus } from '../../storage/store.js';

/** One attempt to make: the stored delivery, and the hook as it is now (URI, verb, format, retries). */
export interface DeliveryJob {
  delivery: DeliveryRecord;
  hook: Webhook;
}

/** How a ping waiting for its HTTP caller ended. */
export type PingAnswer =
  | { kind: 'answered'; result: JsonObject }
  /** No slot took it in time, or shutdown dropped it: it was never sent. */
  | { kind: 'unsent'; reason: 'busy' | 'stopping' }
  | { kind: 'failed'; error: unknown };

/**
 * `ping` through the hook's lane, like a delivery: the same per-hook and per-account limits, the
 * same slots. Its caller waits for `settle`; a ping no slot took in time is abandoned, and skipped
 * when its turn comes.
 */
export interface PingJob {
  hook: Webhook;
  ping: { state: 'waiting' | 'running' | 'abandoned'; settle: (answer: PingAnswer) => void };
}

/** What the dispatcher runs. */
export type SendJob = DeliveryJob | PingJob;

export function isPing(job: SendJob): job is PingJob {
  return 'ping' in job;
}

export interface DeliveryQueue {
  /** Takes the job unless its destination's queue is full or the queue is stopping. */
  offer(job: DeliveryJob): boolean;
  /** Room for more work overall, for pollers deciding how much to claim. */
  spareCapacity(): number;
  /** Resolves once queued work is below the high-water mark (intake's backpressure). */
  waitForRoom(): Promise<void>;
  /** Hooks whose lanes are full enough that the store should keep their deliveries for now. */
  saturatedLanes(): string[];
  /**
   * Asks to be told (the queue's room callback) once half the room is free again: a poller that
   * filled the queue claims again then, not at its next poll.
   */
  notifyWhenRoom?(): void;
}

/** What one attempt decided for its delivery. */
export interface AttemptDecision {
  status: DeliveryStatus;
  succeeded: boolean;
  attemptsMade: number;
  retriesLeft: number;
  nextAttemptAt: Date;
  /** The receiver answered 410 Gone: the hook should be turned off. */
  gone: boolean;
  /** Cut short by shutdown: not counted as an attempt, nor in the hook's health. */
  interrupted: boolean;
}

export interface AttemptReport {
  job: DeliveryJob;
  decision: AttemptDecision;
  /** The attempts-log entry for this attempt. */
  attempt: AttemptRecord;
  at: Date;
}

export interface OutcomeSink {
  /** Stores the attempt and its outcome; resolves once written. */
  record(report: AttemptReport): Promise<void>;
}
