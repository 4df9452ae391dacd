import type { AttemptOutcome, DeliveryRecord, RecordedOutcome, WebhookRecord } from '../storage/store.js';
import type { Batcher } from './batcher.js';

/** One attempt to make: the stored delivery, and the hook as it is now (URI, verb, format, retries). */
export interface DeliveryJob {
  delivery: DeliveryRecord;
  hook: WebhookRecord;
}

/** Per-destination lanes are keyed by origin: one receiver host, whatever the path. */
export function destinationOf(job: DeliveryJob): string {
  const uri = job.hook.doc['uri'];
  try {
    return new URL(typeof uri === 'string' ? uri : '').origin;
  } catch {
    return 'invalid';
  }
}

/** Writes attempts, outcomes and health samples, many per store write. */
export type OutcomeWriter = Batcher<AttemptOutcome, RecordedOutcome>;
