/**
 * Wires the delivery side together: outbound HTTP client, dispatcher, delivery worker, fan-out,
 * event intake and the retry scheduler, all sharing one lease owner id (this instance).
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../storage/store.js';
import { Batcher } from './batcher.js';
import type { Validator } from '../validation/validator.js';
import { disableRule } from '../domain/disable-policy.js';
import type { Cidr } from '../domain/networks.js';
import { callhookVersion } from '../version.js';
import { AccountDirectory } from './account-directory.js';
import { CallSummaries } from './call-summaries.js';
import { DeliveryWorker } from './deliver.js';
import { Dispatcher } from './dispatcher.js';
import { EventIntake } from './event-intake.js';
import { FanOut } from './fan-out.js';
import { HookDisabler } from './hook-disabler.js';
import { HttpClient } from './http-client.js';
import { Notifier } from './notifier.js';
import { Outbox } from './outbox.js';
import { Pinger } from './ping.js';
import { destinationOf, type DeliveryJob, type OutcomeWriter } from './job.js';
import { RetryScheduler } from './scheduler.js';

/** The delivery settings of the Config, plus what the composition root works out. */
export type PipelineOptions = Pick<
  Config,
  | 'deliveryTimeoutMs'
  | 'retrySchedule'
  | 'logSuccessfulAttempts'
  | 'attemptRetentionDays'
  | 'deliveredRetentionMinutes'
  | 'maxConcurrencyPerDestination'
  | 'maxQueuedPerDestination'
  | 'maxInFlight'
  | 'responseBodyLimitBytes'
  | 'leaseSeconds'
  | 'pollIntervalMs'
  | 'reservedCcvKeys'
  | 'disableRule'
  | 'disableAfterSeconds'
  | 'disableMinFailures'
  | 'timeZone'
  | 'recordingUrlTemplate'
  | 'callSettleMs'
  | 'callStateTtlHours'
> & {
  /** This instance's lease owner id. */
  owner: string;
  clusterId: string;
  allowedNetworks: readonly Cidr[];
  userAgent: string;
};

export class DeliveryPipeline {
  readonly intake: EventIntake;
  readonly dispatcher: Dispatcher<DeliveryJob>;
  readonly pinger: Pinger;
  private readonly http: HttpClient;
  private readonly scheduler: RetryScheduler;
  private readonly worker: DeliveryWorker;
  private readonly calls: CallSummaries;
  private readonly outcomes: OutcomeWriter;

  constructor(
    private readonly store: Store,
    validator: Validator,
    private readonly options: PipelineOptions,
    metrics: Metrics,
    private readonly log: Logger,
  ) {
    const leaseMs = options.leaseSeconds * 1000;
    // Outcomes are written a few ms after the fact, many per commit: no delivery waits on them.
    this.outcomes = new Batcher((entries) => store.recordOutcomes(entries), 1000, 10);
    this.http = new HttpClient({
      timeoutMs: options.deliveryTimeoutMs,
      allowedNetworks: options.allowedNetworks,
      responseBodyLimit: options.responseBodyLimitBytes,
      connectionsPerOrigin: options.maxConcurrencyPerDestination,
      userAgent: options.userAgent,
    });
    this.pinger = new Pinger(this.http, store);
    const accounts = new AccountDirectory(store);
    const outbox = new Outbox(store, { owner: options.owner, leaseMs }, (jobs) => this.handOff(jobs), metrics, log);
    const notifier = new Notifier(
      store,
      accounts,
      outbox,
      { clusterId: options.clusterId, node: options.owner, appVersion: callhookVersion },
      log,
    );
    const worker = (this.worker = new DeliveryWorker(
      this.outcomes,
      new HookDisabler(store, metrics, log, (hook, reason) => notifier.webhookDisabled(hook, reason)),
      this.http,
      {
        owner: options.owner,
        timeoutMs: options.deliveryTimeoutMs,
        retrySchedule: options.retrySchedule,
        logSuccessfulAttempts: options.logSuccessfulAttempts,
        disableRule: disableRule(options.disableRule, options.disableMinFailures, options.disableAfterSeconds),
      },
      metrics,
      log,
    ));
    this.dispatcher = new Dispatcher<DeliveryJob>(
      {
        maxPerDestination: options.maxConcurrencyPerDestination,
        maxQueuedPerDestination: options.maxQueuedPerDestination,
        maxInFlight: options.maxInFlight,
      },
      destinationOf,
      (job) => worker.run(job),
      (error, job) => log.error({ err: error, delivery_id: job.delivery.id }, 'delivery attempt failed unexpectedly'),
    );
    this.calls = new CallSummaries(
      store,
      accounts,
      outbox,
      {
        owner: options.owner,
        leaseMs,
        settleMs: options.callSettleMs,
        stateTtlMs: options.callStateTtlHours * 3_600_000,
        pollIntervalMs: options.pollIntervalMs,
        timeZone: options.timeZone,
        recordingUrlTemplate: options.recordingUrlTemplate ?? null,
      },
      log,
    );
    const fanOut = new FanOut(
      store,
      accounts,
      outbox,
      {
        clusterId: options.clusterId,
        ...(options.reservedCcvKeys !== undefined ? { reservedCcvKeys: options.reservedCcvKeys } : {}),
      },
      metrics,
      this.calls,
    );
    this.intake = new EventIntake(validator, fanOut, metrics, log, () => this.dispatcher.waitForRoom());
    this.scheduler = new RetryScheduler(
      store,
      this.outcomes,
      this.dispatcher,
      {
        owner: options.owner,
        leaseMs,
        pollIntervalMs: options.pollIntervalMs,
        batchSize: 500,
        retentionMs: options.attemptRetentionDays * 86_400_000,
        finishedRetentionMs: options.deliveredRetentionMinutes * 60_000,
        backoffMs: 2_000,
      },
      log,
    );
  }

  /** Fresh deliveries go straight to the dispatcher; a full destination queue leaves them to the scheduler. */
  private handOff(jobs: DeliveryJob[]): void {
    const refused = jobs.filter((job) => !this.dispatcher.offer(job));
    if (refused.length === 0) return;
    const at = new Date(Date.now() + 2_000);
    for (const { delivery } of refused) {
      this.outcomes
        .add({
          accountId: delivery.accountId,
          deliveryId: delivery.id,
          owner: this.options.owner,
          outcome: { status: 'pending', attemptCount: delivery.attemptCount, nextAttemptAt: at },
          attempt: null,
        })
        .catch((error: unknown) => this.log.warn({ err: error, delivery_id: delivery.id }, 'could not hand a delivery back'));
    }
  }

  start(): void {
    this.scheduler.start();
    this.calls.start();
  }

  /** Stops polling, lets in-flight attempts finish, hands every lease back for another instance. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.calls.stop();
    await this.dispatcher.stop();
    await this.worker.drain();
    const released = await this.store.releaseLeases(this.options.owner);
    if (released > 0) this.log.info({ released }, 'handed pending deliveries back');
    await this.http.close();
  }
}
