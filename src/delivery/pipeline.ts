/**
 * The delivery side, wired in the order an event travels:
 *
 *   intake/   EventIntake (AMQP consumer, POST /v2/events) → FanOut: matching hooks, payloads
 *   outbox/   Outbox: one stored delivery per (event, hook), then offered to the send stage;
 *             RetryScheduler: stored deliveries that are due (retries, expired leases) → send stage;
 *             OutcomeRecorder: attempts, outcomes and health back into the store, auto-disable
 *   send/     Dispatcher: per-destination lanes → DeliveryWorker: one HTTP attempt → OutcomeRecorder
 *   calls/    CallSummaries: call.* events from a call's legs, into the outbox
 *   health/   HookDisabler and the webhook_disabled notice, into the outbox
 *
 * Each stage depends only on the small interface of the next (DeliveryPlanner, DeliveryQueue,
 * OutcomeSink); this file is the only place that knows them all.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { disableRule } from '../domain/disable-policy.js';
import type { NetworkPolicy } from '../domain/network-policy.js';
import type { Cidr } from '../domain/networks.js';
import type { Webhook } from '../domain/webhook.js';
import { WeightedGate } from '../lib/weighted-gate.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../storage/store.js';
import type { Validator } from '../validation/validator.js';
import { callhookVersion } from '../version.js';
import { AccountDirectory } from './account-directory.js';
import { CallSummaries } from './calls/call-summaries.js';
import { DisabledNotice } from './health/disabled-notice.js';
import { HookDisabler } from './health/hook-disabler.js';
import { EventIntake } from './intake/event-intake.js';
import { FanOut } from './intake/fan-out.js';
import { HookEventFanOut } from './intake/hook-event-fan-out.js';
import { HookLookup } from './intake/hook-lookup.js';
import { KazooEventIntake } from './intake/kazoo-intake.js';
import { InstanceLiveness } from './outbox/instance-liveness.js';
import { OutcomeRecorder } from './outbox/outcome-recorder.js';
import { Outbox } from './outbox/outbox.js';
import { RetentionSweep } from './outbox/retention-sweep.js';
import { RetryScheduler } from './outbox/retry-scheduler.js';
import { DeliveryWorker } from './send/delivery-worker.js';
import { Dispatcher, routeOf } from './send/dispatcher.js';
import { HttpClient } from './send/http-client.js';
import { Pinger } from './send/pinger.js';
import { isPing, type SendJob } from './send/ports.js';

/** The delivery settings of the Config, plus what the composition root works out. */
export type PipelineOptions = Pick<
  Config,
  | 'deliveryTimeoutMs'
  | 'retrySchedule'
  | 'minRetryDelaySeconds'
  | 'logSuccessfulAttempts'
  | 'attemptRetentionDays'
  | 'deliveredRetentionMinutes'
  | 'maxConcurrencyPerDestination'
  | 'maxQueuedPerDestination'
  | 'maxInFlight'
  | 'maxInFlightBytes'
  | 'maxEventBytes'
  | 'heartbeatMs'
  | 'responseBodyLimitBytes'
  | 'privateResponseBytes'
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
  | 'maxCallEvents'
  | 'maxCallBytes'
> & {
  /** This instance's lease owner id. */
  owner: string;
  clusterId: string;
  /** CALLHOOK_ALLOWED_NETWORKS: ranges every account may reach (each account may have more). */
  allowedNetworks: readonly Cidr[];
  userAgent: string;
};

/** How long a delivery the scheduler could not queue waits before it is claimed again. */
const refusedBackoffMs = 2_000;

export class DeliveryPipeline {
  readonly intake: EventIntake;
  /** Parking, document changes, notifications, SMS and MMS. */
  readonly kazooEvents: KazooEventIntake;
  /** Accounts as fan-out sees them (cached briefly); the account mirror drops entries it changes. */
  readonly accounts: AccountDirectory;
  readonly pinger: Pinger;
  readonly dispatcher: Dispatcher<SendJob>;
  private readonly http: HttpClient;
  private readonly worker: DeliveryWorker;
  private readonly scheduler: RetryScheduler;
  private readonly calls: CallSummaries;
  private readonly liveness: InstanceLiveness;

  constructor(
    private readonly store: Store,
    validator: Validator,
    private readonly options: PipelineOptions,
    metrics: Metrics,
    private readonly log: Logger,
  ) {
    const leaseMs = options.leaseSeconds * 1000;
    const accounts = (this.accounts = new AccountDirectory(store, options.allowedNetworks));
    const networksOf = (accountId: string): Promise<NetworkPolicy> => accounts.networksOf(accountId);

    // send/: what leaves this process.
    this.http = new HttpClient(
      {
        timeoutMs: options.deliveryTimeoutMs,
        responseBodyLimit: options.responseBodyLimitBytes,
        privateResponseBodyLimit: options.privateResponseBytes,
        // Lanes limit requests per hook; many hooks may share an origin, so sockets are not the limit.
        connectionsPerOrigin: options.maxInFlight,
        userAgent: options.userAgent,
      },
      log,
    );
    const bodies = new WeightedGate(options.maxInFlightBytes);
    const pinger = (this.pinger = new Pinger(
      {
        lanes: { offer: (job) => this.dispatcher.offer(job) },
        http: this.http,
        networksOf,
        bodies,
        record: (accountId, attempt) => store.insertAttempt(accountId, attempt),
      },
      { waitMs: options.deliveryTimeoutMs },
    ));

    // outbox/ ← send/: outcomes, and the hooks they turn off.
    const outcomes: OutcomeRecorder = new OutcomeRecorder(
      store,
      {
        owner: options.owner,
        logSuccessfulAttempts: options.logSuccessfulAttempts,
        disableRule: disableRule(options.disableRule, options.disableMinFailures, options.disableAfterSeconds),
      },
      (hook: Webhook, reason: string, label: string): Promise<boolean> => disabler.disable(hook.accountId, hook.id, reason, label),
      log,
    );
    const worker = (this.worker = new DeliveryWorker(
      { http: this.http, outcomes, networksOf, bodies },
      {
        timeoutMs: options.deliveryTimeoutMs,
        retrySchedule: options.retrySchedule,
        minRetryDelaySeconds: options.minRetryDelaySeconds,
        maxBodyBytes: options.maxEventBytes * 4,
      },
      metrics,
      log,
    ));
    this.dispatcher = new Dispatcher<SendJob>(
      {
        maxInFlight: options.maxInFlight,
        maxPerLane: options.maxConcurrencyPerDestination,
        initialPerLane: Math.min(4, options.maxConcurrencyPerDestination),
        maxQueuedPerLane: options.maxQueuedPerDestination,
        queueHorizonMs: 2_000,
        minQueuedPerLane: 16,
      },
      routeOf,
      (job) => (isPing(job) ? pinger.run(job) : worker.run(job)),
      (error, job) =>
        log.error(
          isPing(job) ? { err: error, hook_id: job.hook.id } : { err: error, delivery_id: job.delivery.id },
          'delivery attempt failed unexpectedly',
        ),
      () => this.scheduler.wake(),
    );

    // outbox/ → send/: new deliveries, and stored ones that are due.
    const outbox = new Outbox(
      store,
      this.dispatcher,
      outcomes,
      // Half the send stage's slots: one-hook events never wait here, a wide fan-out is bounded.
      { owner: options.owner, leaseMs, maxPlanned: options.maxInFlight / 2 },
      metrics,
      log,
    );
    const retention = new RetentionSweep(
      store,
      { retentionMs: options.attemptRetentionDays * 86_400_000, finishedRetentionMs: options.deliveredRetentionMinutes * 60_000 },
      log,
    );
    this.scheduler = new RetryScheduler(
      store,
      this.dispatcher,
      outcomes,
      retention,
      { owner: options.owner, leaseMs, pollIntervalMs: options.pollIntervalMs, batchSize: 500, backoffMs: refusedBackoffMs },
      log,
    );

    this.liveness = new InstanceLiveness(store, { owner: options.owner, heartbeatMs: options.heartbeatMs, missedBeats: 5 }, log);

    // health/ → outbox/: turning hooks off, and telling the account.
    const notice = new DisabledNotice(
      store,
      accounts,
      outbox,
      { clusterId: options.clusterId, node: options.owner, appVersion: callhookVersion },
      log,
    );
    const disabler: HookDisabler = new HookDisabler(store, metrics, log, (hook, reason) => notice.announce(hook, reason));

    // calls/, intake/ → outbox/: where deliveries come from.
    this.calls = new CallSummaries(
      store,
      accounts,
      outbox,
      {
        owner: options.owner,
        leaseMs,
        settleMs: options.callSettleMs,
        stateTtlMs: options.callStateTtlHours * 3_600_000,
        limits: { maxEvents: options.maxCallEvents, maxBytes: options.maxCallBytes },
        pollIntervalMs: options.pollIntervalMs,
        timeZone: options.timeZone,
        recordingUrlTemplate: options.recordingUrlTemplate ?? null,
      },
      log,
    );
    const hookLookup = new HookLookup(store);
    const fanOut = new FanOut(
      hookLookup,
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
    const hookEvents = new HookEventFanOut(hookLookup, accounts, outbox, { clusterId: options.clusterId }, metrics);
    this.kazooEvents = new KazooEventIntake(hookEvents, metrics, log, () => this.dispatcher.waitForRoom());
  }

  async start(): Promise<void> {
    await this.liveness.start();
    this.scheduler.start();
    this.calls.start();
  }

  /**
   * First half of a shutdown: no more claims or checks, queued jobs dropped (their leases go back
   * at the end), requests in flight cut short (recorded as interrupted). Intake may still finish
   * what it holds: its deliveries are stored and left for the next claim.
   */
  async quiesce(): Promise<void> {
    await this.scheduler.stop();
    await this.calls.stop();
    await this.liveness.stop();
    const stopping = this.dispatcher.stop();
    const interrupted = this.http.interruptAll();
    if (interrupted > 0) this.log.info({ interrupted }, 'interrupted deliveries in flight; they go out again from the next claim');
    // Dropped deliveries keep their leases (handed back in stop()); dropped pings are answered now.
    for (const job of await stopping) if (isPing(job)) job.ping.settle({ kind: 'unsent', reason: 'stopping' });
  }

  /** Second half: outcomes written, every lease handed back for another instance, then gone. */
  async stop(): Promise<void> {
    await this.quiesce();
    await this.worker.drain();
    try {
      const released = await this.store.releaseLeases(this.options.owner);
      if (released > 0) this.log.info({ released }, 'handed pending deliveries back');
      await this.liveness.leave();
    } catch (error) {
      // The store is gone: the leases run out by themselves and another instance takes over.
      this.log.warn({ err: error }, 'could not hand leases back; they expire after CALLHOOK_LEASE_S');
    }
    await this.http.close();
  }
}
