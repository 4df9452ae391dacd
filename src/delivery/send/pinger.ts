/**
 * `PUT …/webhooks/{ID}/ping`: Atende Simples' `ping` payload sent with the hook's verb, format and
 * signatures, its answer waited for, recorded in the attempts log, and returned.
 *
 * A ping is a request like any delivery, so it goes through the hook's lane: the hook's adaptive
 * limit, the account's fair share of the slots, the byte budget. It waits at most `waitMs` for a
 * slot; a lane with no room, or no slot in time, is answered "too many requests" with Retry-After,
 * never queued without bound. A ping can therefore never reach a receiver, nor an internal
 * range, faster than that hook's deliveries could.
 */
import { PingBusyError, UnavailableError } from '../../errors.js';
import { approximateJsonLength, type JsonObject } from '../../domain/json.js';
import type { NetworkPolicy } from '../../domain/network-policy.js';
import { atendePayload } from '../../domain/payloads/atende.js';
import { isSuccess } from '../../domain/retry-policy.js';
import type { Webhook } from '../../domain/webhook.js';
import { newId } from '../../ids.js';
import type { WeightedGate } from '../../lib/weighted-gate.js';
import type { AttemptRecord } from '../../storage/store.js';
import { encodingFactor, signalOf } from './delivery-worker.js';
import type { JobFeedback } from './dispatcher.js';
import type { HttpClient } from './http-client.js';
import { attemptRecordFor, buildOutboundRequest } from './outbound-request.js';
import type { PingAnswer, PingJob } from './ports.js';

export interface PingerDeps {
  /** The dispatcher: takes the ping into the hook's lane unless it has no room. */
  lanes: { offer(job: PingJob): boolean };
  http: HttpClient;
  networksOf(accountId: string): Promise<NetworkPolicy>;
  /** Request bodies in flight, shared with deliveries. */
  bodies: WeightedGate;
  /** Writes the ping's attempts-log entry. */
  record(accountId: string, attempt: AttemptRecord): Promise<void>;
}

export class Pinger {
  constructor(
    private readonly deps: PingerDeps,
    private readonly options: { waitMs: number },
  ) {}

  async ping(hook: Webhook): Promise<JsonObject> {
    let settle!: (answer: PingAnswer) => void;
    const answered = new Promise<PingAnswer>((resolve) => (settle = resolve));
    const job: PingJob = { hook, ping: { state: 'waiting', settle } };
    if (!this.deps.lanes.offer(job)) throw this.busy('its lane is full');
    const timer = setTimeout(() => {
      if (job.ping.state !== 'waiting') return;
      job.ping.state = 'abandoned';
      settle({ kind: 'unsent', reason: 'busy' });
    }, this.options.waitMs);
    const answer = await answered.finally(() => clearTimeout(timer));
    if (answer.kind === 'answered') return answer.result;
    if (answer.kind === 'failed') throw answer.error;
    if (answer.reason === 'stopping') throw new UnavailableError('shutting down');
    throw this.busy(`no slot was free within ${this.options.waitMs} ms`);
  }

  /** Runs in a dispatcher slot; a ping its caller gave up on is skipped. */
  async run(job: PingJob): Promise<JobFeedback> {
    if (job.ping.state !== 'waiting') return { signal: 'neutral', rttMs: 0 };
    job.ping.state = 'running';
    try {
      const payload = atendePayload('ping', job.hook);
      const estimate = approximateJsonLength(payload) * encodingFactor;
      const { result, feedback } = await this.deps.bodies.run(estimate, () => this.send(job.hook, payload));
      job.ping.settle({ kind: 'answered', result });
      return feedback;
    } catch (error) {
      job.ping.settle({ kind: 'failed', error });
      throw error;
    }
  }

  private async send(hook: Webhook, payload: JsonObject): Promise<{ result: JsonObject; feedback: JobFeedback }> {
    const id = newId();
    const now = Date.now();
    const built = buildOutboundRequest(hook, { payload }, id, now);
    const networks = await this.deps.networksOf(hook.accountId);
    const outcome = await this.deps.http.send(built.request, { networks, accountId: hook.accountId, hookId: hook.id });
    const succeeded = outcome.kind === 'response' && isSuccess(outcome.status);
    await this.deps.record(
      hook.accountId,
      attemptRecordFor(hook, built, outcome, {
        hookEvent: 'ping',
        deliveryId: id,
        attempt: 1,
        succeeded,
        retriesLeft: 0,
        nextAttemptAt: null,
        nowMs: now,
      }),
    );
    const result: JsonObject = {
      result: succeeded ? 'success' : 'failure',
      delivery_id: id,
      duration_ms: outcome.durationMs,
      ...(outcome.kind === 'response'
        ? { status_code: outcome.status }
        : { error: outcome.kind === 'error' ? outcome.error : 'interrupted' }),
    };
    return { result, feedback: { signal: signalOf(outcome), rttMs: outcome.durationMs } };
  }

  private busy(why: string): PingBusyError {
    return new PingBusyError(why, Math.max(1, Math.ceil(this.options.waitMs / 1000)));
  }
}
