/**
 * npm run bench: callhook (built, SQLite store) in a child process consuming Kazoo events from the
 * local RabbitMQ and delivering them to a loopback receiver in this process. Prints:
 *  - the plain HTTP request rate this process reaches against the same receiver (the ceiling),
 *  - sustained deliveries per second (one hook per event), and as a share of the plain rate,
 *  - event-to-delivery latency p50/p99 at a steady publish rate,
 *  - deliveries per second with many hooks per event,
 *  - callhook's peak resident memory.
 * Sizes come from BENCH_* variables; every loop is bounded in count and time. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConfirmChannel } from 'amqplib';
import { Pool } from 'undici';
import { Client } from '../test/support/client.js';
import { buildKazooMessage } from '../test/support/factories.js';
import { spawnApp } from '../test/support/process.js';
import { Sink } from './sink.js';
import { fmt, summarize } from './stats.js';

const amqpUrl = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const events = Number(process.env['BENCH_EVENTS'] ?? 30_000);
const rate = Number(process.env['BENCH_RATE'] ?? 1_000);
const latencySeconds = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 10);
const fanoutEvents = Number(process.env['BENCH_FANOUT_EVENTS'] ?? 1_000);
const fanoutHooks = Number(process.env['BENCH_FANOUT_HOOKS'] ?? 50);
const masterKey = randomBytes(24).toString('hex');

function now(): number {
  return performance.timeOrigin + performance.now();
}

async function plainHttpRate(sink: Sink, seconds: number): Promise<number> {
  const pool = new Pool(sink.url(''), { connections: 16, pipelining: 1 });
  const body = JSON.stringify(buildKazooMessage('CHANNEL_CREATE'));
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const response = await pool.request({ path: '/plain', method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await response.body.dump();
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return done / elapsed;
}

function publish(channel: ConfirmChannel, accountId: string): void {
  const message = buildKazooMessage('CHANNEL_CREATE', { accountId, ccvs: { 'Bench-Sent-At': String(now()) } });
  const routingKey = `call.CHANNEL_CREATE.${encodeURIComponent(String(message['Call-ID'])).replace(/\./g, '%2E')}`;
  channel.publish('callevt', routingKey, Buffer.from(JSON.stringify(message)), { contentType: 'application/json' });
}

async function publishBurst(channel: ConfirmChannel, accountId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    publish(channel, accountId);
    if (i % 500 === 499) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

async function main(): Promise<void> {
  const sink = await Sink.start();
  const plain = await plainHttpRate(sink, 5);
  sink.reset();

  const dataDir = mkdtempSync(join(tmpdir(), 'callhook-bench-'));
  const queue = `callhook.bench.${randomBytes(4).toString('hex')}`;
  const app = await spawnApp(
    {
      CALLHOOK_DATA_DIR: dataDir,
      CALLHOOK_MASTER_API_KEY: masterKey,
      CALLHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      CALLHOOK_LOG_LEVEL: 'info',
      AMQP_URL: amqpUrl,
      CALLHOOK_AMQP_QUEUE: queue,
      CALLHOOK_AMQP_DEAD_LETTER_QUEUE: `${queue}.dead`,
    },
    'built',
  );
  const connection = await connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  try {
    const client = new Client(app.baseUrl);
    const master = await client.login(masterKey);
    const single = await client.createAccount(master.token, master.accountId, 'bench-single');
    const many = await client.createAccount(master.token, master.accountId, 'bench-many');
    const hook = (accountId: string, name: string) =>
      client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
        token: master.token,
        data: { name, uri: sink.url('/hook'), hook: 'channel_create', format: 'json' },
      });
    await hook(single.id, 'single');
    for (let i = 0; i < fanoutHooks; i += 1) await hook(many.id, `many-${i}`);
    await channel.assertExchange('callevt', 'topic', { durable: false, autoDelete: false });

    // Warm-up: connections, JIT, SQLite pages.
    await publishBurst(channel, single.id, 2_000);
    await sink.waitFor(2_000, 60_000);
    sink.reset();

    // 1. Sustained throughput, one hook per event.
    const t0 = performance.now();
    await publishBurst(channel, single.id, events);
    const completed = await sink.waitFor(events, 300_000);
    const throughput = sink.count / ((performance.now() - t0) / 1000);
    const burstLatency = summarize(sink.latenciesMs);
    sink.reset();

    // 2. Latency at a steady rate.
    const ticks = latencySeconds * 100;
    const perTick = rate / 100;
    const start = performance.now();
    for (let tick = 0; tick < ticks; tick += 1) {
      for (let i = 0; i < perTick; i += 1) publish(channel, single.id);
      const wait = start + (tick + 1) * 10 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await channel.waitForConfirms();
    await sink.waitFor(ticks * perTick, 60_000);
    const steady = summarize(sink.latenciesMs);
    sink.reset();

    // 3. Many hooks per event.
    const t1 = performance.now();
    await publishBurst(channel, many.id, fanoutEvents);
    await sink.waitFor(fanoutEvents * fanoutHooks, 300_000);
    const fanoutRate = sink.count / ((performance.now() - t1) / 1000);
    const pid = app.process.pid ?? 0;
    const peak = peakRssMb(pid);
    const gauges = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const gauge = (name: string): number =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(gauges)?.[1] ?? Number.NaN) / 1048576;

    const rows: Array<[string, string]> = [
      ['plain HTTP requests/s to the receiver (same run)', fmt(plain, 0)],
      [`deliveries/s, 1 hook per event (${events} events${completed ? '' : ', INCOMPLETE'})`, fmt(throughput, 0)],
      ['  as a share of the plain HTTP rate', `${fmt((throughput / plain) * 100, 0)}%`],
      ['  event-to-delivery latency under that burst, p50 / p99 ms', `${fmt(burstLatency.p50)} / ${fmt(burstLatency.p99)}`],
      [`event-to-delivery latency at ${rate} events/s for ${latencySeconds}s, p50 / p99 ms`, `${fmt(steady.p50)} / ${fmt(steady.p99)}`],
      [`deliveries/s, ${fanoutHooks} hooks per event (${fanoutEvents} events)`, fmt(fanoutRate, 0)],
      ['callhook peak RSS, MB', fmt(peak, 0)],
      [
        '  at the end: RSS / V8 heap used / heap total / external, MB',
        [
          gauge('callhook_process_resident_memory_bytes'),
          gauge('callhook_nodejs_heap_size_used_bytes'),
          gauge('callhook_nodejs_heap_size_total_bytes'),
          gauge('callhook_nodejs_external_memory_bytes'),
        ]
          .map((v) => fmt(v, 0))
          .join(' / '),
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('callhook benchmark (SQLite store, RabbitMQ on 127.0.0.1, loopback receiver)');
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    console.log(
      JSON.stringify({
        plain_rps: plain,
        deliveries_per_s: throughput,
        share: throughput / plain,
        p50_ms: steady.p50,
        p99_ms: steady.p99,
        fanout_per_s: fanoutRate,
        peak_rss_mb: peak,
      }),
    );
  } finally {
    await channel.deleteQueue(queue).catch(() => undefined);
    await channel.deleteQueue(`${queue}.dead`).catch(() => undefined);
    await connection.close();
    await app.kill('SIGTERM');
    // Anything callhook printed that is not a log line (a crash, a profiler note) is shown.
    for (const line of app.output().split('\n')) if (line.trim() !== '' && !line.startsWith('{')) console.error(`callhook: ${line}`);
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
