/**
 * Prometheus metrics (prom-client), one registry per app so tests and several apps in one process
 * never share counters. Served as text at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsConsumed: Counter<'event' | 'source'>;
  eventsUnmatched: Counter<'reason'>;
  deadLettered: Counter<'reason'>;
  deliveriesCreated: Counter;
  deliveriesHeld: Counter;
  deliveries: Counter<'result'>;
  attemptDuration: Histogram<'outcome'>;
  endToEnd: Histogram;
  hooksDisabled: Counter<'reason'>;
  rateLimited: Counter<'limit'>;
}

/** One lane of the dispatcher, as /metrics shows it. */
export interface LaneGauge {
  lane: string;
  destination: string;
  inFlight: number;
  queued: number;
  limit: number;
}

export interface MetricSources {
  pendingDeliveries: () => Promise<number>;
  /** The dispatcher's lanes (one per hook with work or recent work). */
  lanes?: () => LaneGauge[];
  /** Pending deliveries in the store per hook, the largest backlogs first. */
  backlogs?: () => Promise<Array<{ hookId: string; pending: number }>>;
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricSources): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'callhook_' });
  const metrics: Metrics = {
    registry,
    eventsConsumed: new Counter({
      name: 'callhook_events_consumed_total',
      help: 'Call events accepted, by Kazoo event name and source (amqp or http)',
      labelNames: ['event', 'source'],
      registers: [registry],
    }),
    eventsUnmatched: new Counter({
      name: 'callhook_events_without_deliveries_total',
      help: 'Events that produced no delivery, by reason (no_account, unknown_account, no_hook, not_a_hook_event)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'callhook_messages_dead_lettered_total',
      help: 'AMQP messages parked in the dead-letter queue, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deliveriesCreated: new Counter({
      name: 'callhook_deliveries_created_total',
      help: 'Deliveries (one event to one hook) stored in the outbox',
      registers: [registry],
    }),
    deliveriesHeld: new Counter({
      name: 'callhook_deliveries_held_total',
      help: 'Deliveries kept, not sent, because callhook had disabled their hook (POST …/recover sends them)',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'callhook_delivery_attempts_total',
      help: 'Delivery attempts by result: delivered, retry (failed, another attempt scheduled), failed (no retries left), cancelled',
      labelNames: ['result'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'callhook_attempt_duration_seconds',
      help: 'Duration of one HTTP attempt, by outcome (success, failure, error)',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    endToEnd: new Histogram({
      name: 'callhook_event_to_delivery_seconds',
      help: 'From the event timestamp (or its arrival) to a successful delivery',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600],
      registers: [registry],
    }),
    hooksDisabled: new Counter({
      name: 'callhook_hooks_disabled_total',
      help: 'Hooks callhook disabled itself, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'callhook_rate_limited_total',
      help: 'Requests answered 429 by a per-account rate limit, by limit (events, pings, recovers)',
      labelNames: ['limit'],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'callhook_pending_deliveries',
    help: 'Deliveries waiting for their next attempt (all instances sharing the store)',
    registers: [registry],
    async collect() {
      // A store outage shows on /health; /metrics keeps answering with the last value.
      await options.pendingDeliveries().then(
        (count) => this.set(count),
        () => undefined,
      );
    },
  });
  const laneGauge = (name: string, help: string, value: (lane: LaneGauge) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['hook_id', 'destination'],
      registers: [registry],
      collect() {
        this.reset();
        for (const lane of options.lanes?.() ?? []) this.set({ hook_id: lane.lane, destination: lane.destination }, value(lane));
      },
    });
  };
  laneGauge('callhook_destination_in_flight', 'Requests in flight per hook (its receiver)', (lane) => lane.inFlight);
  laneGauge('callhook_destination_queued', 'Deliveries waiting in memory per hook', (lane) => lane.queued);
  laneGauge(
    'callhook_destination_limit',
    'Adaptive concurrency limit per hook: requests its receiver may have in flight now',
    (lane) => lane.limit,
  );
  new Gauge({
    name: 'callhook_destination_backlog',
    help: 'Pending deliveries in the store per hook (the 100 largest backlogs, all instances sharing the store)',
    labelNames: ['hook_id'],
    registers: [registry],
    async collect() {
      const backlogs = await (options.backlogs?.() ?? Promise.resolve([])).catch(() => []);
      this.reset();
      for (const { hookId, pending } of backlogs) this.set({ hook_id: hookId }, pending);
    },
  });
  return metrics;
}
