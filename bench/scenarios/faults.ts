/**
 * Delivery under faults (issue 10): a healthy hook's latency beside a hung one; one hook whose
 * receiver answers in 50 ms, at 1,000 events/s; how long the deliveries a killed (kill -9)
 * instance had claimed wait before another instance sends them.
 */
import {
  benchQueue,
  createAccount,
  createHook,
  eventBody,
  metric,
  openChannel,
  publishBurst,
  publishSteady,
  startCallhook,
  stopCallhook,
  type BenchStore,
  type Row,
} from '../harness.js';
import type { Sink } from '../sink.js';
import { fmt, summarize } from '../stats.js';

const seconds = Number(process.env['BENCH_FAULT_SECONDS'] ?? 20);

/** Hook A's receiver never answers; hook B's at once; every event goes to both, 200 a second. */
export async function hungBesideHealthy(sink: Sink, store: BenchStore): Promise<Row[]> {
  const callhook = await startCallhook(store, benchQueue('isolation'));
  const { connection, channel } = await openChannel();
  try {
    sink.behave('/hung', { hang: true });
    const account = await createAccount(callhook, 'bench-isolation');
    const hung = await createHook(callhook, account, 'hung', sink.url('/hung'));
    await createHook(callhook, account, 'healthy', sink.url('/healthy'));
    const sent = await publishSteady(channel, account, 200, seconds);
    const complete = await sink.waitFor(sent, 60_000, '/healthy');
    const latency = summarize(sink.latencies('/healthy'));
    const backlog = await metric(callhook.app.baseUrl, 'callhook_destination_backlog', { hook_id: hung });
    const limit = await metric(callhook.app.baseUrl, 'callhook_destination_limit', { hook_id: hung });
    sink.behave('/hung', {});
    return [
      [
        `healthy hook beside a hung one, 200 events/s for ${seconds}s: delivered`,
        `${sink.count('/healthy')} of ${sent}${complete ? '' : ' (INCOMPLETE)'}`,
      ],
      ['  its event-to-delivery latency, p50 / p99 / max ms', `${fmt(latency.p50)} / ${fmt(latency.p99)} / ${fmt(latency.max)}`],
      ['  the hung hook: backlog in the store / requests allowed in flight', `${fmt(backlog, 0)} / ${fmt(limit, 0)}`],
    ];
  } finally {
    sink.behave('/hung', {});
    await stopCallhook(callhook, channel);
    await connection.close();
  }
}

/** One hook whose receiver takes 50 ms, at 1,000 events a second. */
export async function slowReceiver(sink: Sink, store: BenchStore): Promise<Row[]> {
  const callhook = await startCallhook(store, benchQueue('adaptive'));
  const { connection, channel } = await openChannel();
  try {
    sink.behave('/fifty', { delayMs: 50 });
    const account = await createAccount(callhook, 'bench-adaptive');
    const hook = await createHook(callhook, account, 'fifty', sink.url('/fifty'));
    const started = performance.now();
    const sent = await publishSteady(channel, account, 1000, seconds);
    const complete = await sink.waitFor(sent, 120_000, '/fifty');
    const elapsed = (performance.now() - started) / 1000;
    const latency = summarize(sink.latencies('/fifty'));
    const limit = await metric(callhook.app.baseUrl, 'callhook_destination_limit', { hook_id: hook });
    return [
      [
        `one hook, 50 ms receiver, 1,000 events/s for ${seconds}s: delivered/s`,
        `${fmt(sink.count('/fifty') / elapsed, 0)}${complete ? '' : ' (INCOMPLETE)'}`,
      ],
      ['  event-to-delivery latency, p50 / p99 / max ms', `${fmt(latency.p50)} / ${fmt(latency.p99)} / ${fmt(latency.max)}`],
      ['  its learnt concurrency limit at the end', fmt(limit, 0)],
    ];
  } finally {
    sink.behave('/fifty', {});
    await stopCallhook(callhook, channel);
    await connection.close();
  }
}

/**
 * The instance holding the work (1,000 deliveries claimed, in flight to a receiver that hangs) is
 * killed; a second instance on the same store and queue, started at once (as a supervisor would
 * restart it, or as another replica runs), sends them.
 */
export async function resumeAfterKill(sink: Sink, store: BenchStore): Promise<Row[]> {
  const queue = benchQueue('takeover');
  const env = { CALLHOOK_LEASE_S: '120', CALLHOOK_DELIVERY_TIMEOUT_MS: '30000' };
  const doomed = await startCallhook(store, queue, env);
  const { connection, channel } = await openChannel();
  let survivor;
  try {
    sink.behave('/takeover', { hang: true });
    const account = await createAccount(doomed, 'bench-takeover');
    await createHook(doomed, account, 'takeover', sink.url('/takeover'));
    await publishBurst(channel, account, 1000);
    await sink.waitFor(4, 30_000, '/takeover');
    const killedAt = performance.now();
    await doomed.app.kill('SIGKILL');
    sink.behave('/takeover', {});
    sink.reset();
    survivor = await startCallhook(store, queue, env);
    const complete = await sink.waitFor(1000, 150_000, '/takeover');
    return [
      [
        'kill -9 of the instance holding 1,000 deliveries: all sent by another within, s',
        `${fmt((performance.now() - killedAt) / 1000)}${complete ? '' : ' (INCOMPLETE)'}`,
      ],
      ['  (its leases were 120 s; heartbeat every 1 s, dead after 5 missed)', ''],
    ];
  } finally {
    sink.behave('/takeover', {});
    if (survivor !== undefined) await stopCallhook(survivor, channel);
    await channel.deleteQueue(queue).catch(() => undefined);
    await connection.close();
  }
}

/**
 * A broker restart (a RabbitMQ node of the bench's own): how long until callhook consumes again
 * once the broker answers, and how many events a publisher sending every 10 ms from that moment
 * (as Kazoo would, declaring the exchange itself) loses before callhook has re-bound its queue.
 */
export async function brokerRestart(sink: Sink, store: BenchStore): Promise<Row[]> {
  const { startBrokerNode } = await import('../../test/support/broker-node.js');
  const { connect } = await import('amqplib');
  const broker = await startBrokerNode();
  const callhook = await startCallhook(store, benchQueue('restart'), { AMQP_URL: broker.url });
  try {
    const account = await createAccount(callhook, 'bench-restart');
    await createHook(callhook, account, 'restart', sink.url('/restart'));
    await broker.restart();
    const back = performance.now();
    const connection = await connect(broker.url);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange('callevt', 'topic', { durable: false, autoDelete: false });
    let consuming = Number.NaN;
    let published = 0;
    for (let i = 0; i < 300; i += 1) {
      const { routingKey, body } = eventBody(account);
      channel.publish('callevt', routingKey, body, { contentType: 'application/json' });
      published += 1;
      if (Number.isNaN(consuming)) {
        const health = (await (await fetch(`${callhook.app.baseUrl}/health`)).json()) as { checks?: { amqp?: { status?: string } } };
        if (health.checks?.amqp?.status === 'up') consuming = performance.now() - back;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await channel.waitForConfirms();
    await sink.waitFor(published, 10_000, '/restart');
    await connection.close();
    return [
      ['broker restart: callhook consuming again after the broker answered, ms', fmt(consuming, 0)],
      [
        '  events published every 10 ms from then on that routed nowhere before it re-bound',
        `${published - sink.count('/restart')} of ${published}`,
      ],
    ];
  } finally {
    await callhook.app.kill('SIGTERM');
    await broker.stop();
  }
}
