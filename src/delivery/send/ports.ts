/**
 * What the send stage takes and gives back. The outbox hands it jobs through `DeliveryQueue` and
 * learns what became of each attempt through `OutcomeSink`; the send stage itself never touches
 * the store, so it can be read (and tested) as "job in, HTTP request out, report back".
 */
import type { Webhook } from '../../domain/webhook.js';
import type { AttemptRecord, DeliveryRecord, DeliveryStatus } from '../../storage/store.js';

/** One attempt to make: the stored delivery, and the hook as it is now (URI, verb, format, retries). */
export interface DeliveryJob {
  delivery: DeliveryRecord;
  hook: Webhook;
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
