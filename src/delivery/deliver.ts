/**
 * One attempt of one delivery: shape the request from the hook as it is now, send it, decide
 * (delivered, retry later, or no retries left), record the attempt in Kazoo's attempts log and
 * the outcome in the outbox. Sends nothing unless this instance still holds the delivery's lease
 * for longer than an attempt can take, so two instances never send the same attempt at once.
 */
import type { Logger } from 'pino';
import { attemptDoc } from '../domain/attempt-log.js';
import { shapeRequest } from '../domain/request-shape.js';
import { isSuccess, nextRetryDelayMs, parseRetryAfter } from '../domain/retry-policy.js';
import type { WebhookDoc } from '../domain/webhook.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Metrics } from '../metrics.js';
import type { DeliveryStatus, Store } from '../storage/store.js';
import type { HttpClient, HttpOutcome } from './http-client.js';
import type { DeliveryJob } from './job.js';

export interface DeliverOptions {
  owner: string;
  timeoutMs: number;
  retrySchedule: readonly number[];
  logSuccessfulAttempts: boolean;
  random?: () => number;
}

export class DeliveryWorker {
  constructor(
    private readonly store: Store,
    private readonly http: HttpClient,
    private readonly options: DeliverOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async run(job: DeliveryJob): Promise<void> {
    const { delivery, hook } = job;
    const leaseLeft = (delivery.leaseExpiresAt?.getTime() ?? 0) - Date.now();
    if (leaseLeft < this.options.timeoutMs + 1000) {
      // Waited in a queue too long: whoever claims it after the lease expires will send it.
      this.log.debug({ delivery_id: delivery.id }, 'lease too short to attempt, leaving it to the next claim');
      return;
    }
    const doc = hook.doc as WebhookDoc;
    const shaped = shapeRequest(doc, delivery.payload);
    const headers: Record<string, string> = {
      'X-Hook-ID': hook.id,
      'X-Account-ID': hook.accountId,
      'webhook-id': delivery.id,
      ...(shaped.contentType !== undefined ? { 'Content-Type': shaped.contentType } : {}),
    };
    const outcome = await this.http.send({ method: shaped.method, url: shaped.url, headers, ...(shaped.body !== undefined ? { body: shaped.body } : {}) });

    const now = Date.now();
    const attemptsMade = delivery.attemptCount + 1;
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    const succeeded = isSuccess(status);
    const retries = typeof doc.retries === 'number' ? doc.retries : 2;
    const retryAfter = outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after'], now) : undefined;
    const delay = succeeded
      ? null
      : nextRetryDelayMs({
          attemptsMade,
          retries,
          schedule: this.options.retrySchedule,
          result: { ...(status !== undefined ? { status } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
          random: this.options.random ?? Math.random,
        });
    const next: DeliveryStatus = succeeded ? 'delivered' : delay === null ? 'failed' : 'pending';
    const nextAttemptAt = new Date(now + (delay ?? 0));

    this.observe(outcome, next, delivery.eventAt, now);
    if (!succeeded || this.options.logSuccessfulAttempts) {
      await this.store.insertAttempt(hook.accountId, {
        id: newId(),
        accountId: hook.accountId,
        hookId: hook.id,
        createdAt: new Date(now),
        doc: attemptDoc({
          hookId: hook.id,
          hookEvent: delivery.hookEvent,
          deliveryId: delivery.id,
          attempt: attemptsMade,
          request: { method: shaped.method, uri: doc.uri, headers, body: shaped.method === 'GET' ? (new URL(shaped.url).search.slice(1)) : (shaped.body ?? '') },
          response: outcome,
          succeeded,
          retriesLeft: Math.max(0, retries - attemptsMade + 1),
          nextAttemptAt: next === 'pending' ? nextAttemptAt : null,
        }),
      });
    }
    try {
      await this.store.finishDelivery(hook.accountId, delivery.id, this.options.owner, { status: next, attemptCount: attemptsMade, nextAttemptAt });
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      // The lease moved on (we were too slow) or the hook was deleted meanwhile: the attempt
      // stands in the log; the outbox record belongs to whoever holds it now.
      this.log.warn({ delivery_id: delivery.id, reason: error.message }, 'outcome not recorded in the outbox');
    }
  }

  private observe(outcome: HttpOutcome, next: DeliveryStatus, eventAt: Date, now: number): void {
    const label = next === 'delivered' ? 'delivered' : next === 'pending' ? 'retry' : 'failed';
    this.metrics.deliveries.inc({ result: label });
    const kind = outcome.kind === 'error' ? 'error' : next === 'delivered' ? 'success' : 'failure';
    this.metrics.attemptDuration.observe({ outcome: kind }, outcome.durationMs / 1000);
    if (next === 'delivered') this.metrics.endToEnd.observe(Math.max(0, now - eventAt.getTime()) / 1000);
  }
}
