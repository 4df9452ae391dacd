/**
 * Throughput and latency on the happy path: a burst with one hook per event, a steady rate, many
 * hooks per event, and callhook's memory.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type { ConfirmChannel } from 'amqplib';
import { buildKazooMessage } from '../../test/support/factories.js';
import {
  amqpUrl,
  benchQueue,
  cpuSeconds,
  createAccount,
  createHook,
  metric,
  openChannel,
  peakRssMb,
  resetPeakRss,
  publishBurst,
  threadCpuSeconds,
  type ThreadCpu,
  publishSteady,
  startCallhook,
  stopCallhook,
  type BenchStore,
  type Row,
} from '../harness.js';
import type { Sink } from '../sink.js';
import { fmt, summarize } from '../stats.js';

const events = Number(process.env['BENCH_EVENTS'] ?? 30_000);
const rate = Number(process.env['BENCH_RATE'] ?? 1_000);
const latencySeconds = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 10);
const fanoutEvents = Number(process.env['BENCH_FANOUT_EVENTS'] ?? 1_000);
const fanoutHooks = Number(process.env['BENCH_FANOUT_HOOKS'] ?? 50);
const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 2));

/** The request rate this process reaches against the same receiver: the ceiling. */
export async function plainHttpRate(sink: Sink, seconds: number): Promise<number> {
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

const root = fileURLToPath(new URL('../../', import.meta.url));
/** callhook's defaults: CALLHOOK_AMQP_PREFETCH, CALLHOOK_MAX_CONCURRENCY_PER_DESTINATION. */
const relayPrefetch = 200;
const relayConnections = 128;
const relayExchange = 'callhook-bench-relay';

/** One burst's figures: deliveries/s at the receiver, whether all arrived, CPU ms per delivery. */
interface Burst {
  rate: number;
  complete: boolean;
  cpuMsPerDelivery: number;
}

interface Relay {
  burst(count: number): Promise<Burst>;
  stop(): Promise<void>;
}

/**
 * The bare relay (bench/relay.ts, its own process) on a queue of its own bound like callhook's,
 * warmed up, kept running so its bursts can alternate with callhook's.
 */
async function startRelay(sink: Sink, channel: ConfirmChannel): Promise<Relay> {
  const queue = benchQueue('relay');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/relay.ts'], {
    cwd: root,
    env: {
      ...process.env,
      RELAY_AMQP_URL: amqpUrl,
      RELAY_QUEUE: queue,
      RELAY_TARGET: sink.url('/relay'),
      RELAY_PREFETCH: String(relayPrefetch),
      RELAY_CONNECTIONS: String(relayConnections),
      RELAY_MAX_SECONDS: '1800',
      RELAY_EXCHANGE: relayExchange,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
    await channel.deleteQueue(queue).catch(() => undefined);
    await channel.deleteExchange(relayExchange).catch(() => undefined);
    sink.reset();
  };
  let output = '';
  const account = 'relaybench00000000000000000000000';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('relay consuming')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`relay exited with ${code}:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
    await publishBurst(channel, account, 2_000, relayExchange);
    await sink.waitFor(2_000, 60_000, '/relay');
    sink.reset();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    async burst(count) {
      const started = performance.now();
      const cpu = cpuSeconds(child.pid ?? 0);
      await publishBurst(channel, account, count, relayExchange);
      const complete = await sink.waitFor(count, 300_000, '/relay');
      const delivered = sink.count('/relay');
      const result = {
        rate: delivered / ((performance.now() - started) / 1000),
        complete,
        cpuMsPerDelivery: ((cpuSeconds(child.pid ?? 0) - cpu) * 1000) / delivered,
      };
      sink.reset();
      return result;
    },
    stop,
  };
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export async function throughput(sink: Sink, store: BenchStore): Promise<Row[]> {
  const plain = await plainHttpRate(sink, 5);
  sink.reset();
  const { connection, channel } = await openChannel();
  let relay: Relay;
  try {
    relay = await startRelay(sink, channel);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const callhook = await startCallhook(store, benchQueue('throughput'));
  try {
    const single = await createAccount(callhook, 'bench-single');
    const many = await createAccount(callhook, 'bench-many');
    await createHook(callhook, single, 'single', sink.url('/hook'));
    for (let i = 0; i < fanoutHooks; i += 1) await createHook(callhook, many, `many-${i}`, sink.url('/hook'));
    // Hooks without custom data share one payload per event; these each get their own.
    const manyCustom = await createAccount(callhook, 'bench-many-custom');
    for (let i = 0; i < fanoutHooks; i += 1) {
      await createHook(callhook, manyCustom, `custom-${i}`, sink.url('/hook'), { custom_data: { crm: `crm-${i}`, token: `t${i}` } });
    }

    // Warm-up: connections, JIT, SQLite pages.
    await publishBurst(channel, single, 2_000);
    await sink.waitFor(2_000, 60_000);
    sink.reset();

    const pid = callhook.app.process.pid ?? 0;
    // The relay's and callhook's bursts alternate, so each ratio compares the same minute of a box
    // whose speed drifts (the relay alone has varied by a fifth within an hour).
    const relayBursts: Burst[] = [];
    const bursts: Array<Burst & { threads: ThreadCpu }> = [];
    const latencies: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      relayBursts.push(await relay.burst(events));
      const t0 = performance.now();
      const threads0 = threadCpuSeconds(pid);
      await publishBurst(channel, single, events);
      const complete = await sink.waitFor(events, 300_000);
      const delivered = sink.count();
      const threads1 = threadCpuSeconds(pid);
      const perDelivery = (key: keyof ThreadCpu): number => ((threads1[key] - threads0[key]) * 1000) / delivered;
      const threads = { eventLoop: perDelivery('eventLoop'), writer: perDelivery('writer'), other: perDelivery('other') };
      bursts.push({
        rate: delivered / ((performance.now() - t0) / 1000),
        complete,
        cpuMsPerDelivery: threads.eventLoop + threads.writer + threads.other,
        threads,
      });
      latencies.push(...sink.latencies('/hook'));
      sink.reset();
    }
    await relay.stop();
    const ratios = bursts.map((burst, round) => burst.rate / (relayBursts[round]?.rate ?? Number.NaN));
    const completed = bursts.every((burst) => burst.complete);
    const burstPeak = peakRssMb(pid);
    resetPeakRss(pid);
    const burst = summarize(latencies);

    const sent = await publishSteady(channel, single, rate, latencySeconds);
    await sink.waitFor(sent, 60_000);
    const steady = summarize(sink.latencies('/hook'));
    sink.reset();
    const steadyPeak = peakRssMb(pid);

    /** A burst to an account with `fanoutHooks` hooks: deliveries/s, and the peak RSS meanwhile. */
    const fanOut = async (accountId: string): Promise<{ rate: number; peak: number }> => {
      resetPeakRss(pid);
      const started = performance.now();
      await publishBurst(channel, accountId, fanoutEvents);
      await sink.waitFor(fanoutEvents * fanoutHooks, 300_000);
      const rate = sink.count() / ((performance.now() - started) / 1000);
      sink.reset();
      return { rate, peak: peakRssMb(pid) };
    };
    const { rate: fanoutRate, peak: fanoutPeak } = await fanOut(many);
    const { rate: customRate, peak: customPeak } = await fanOut(manyCustom);
    const mb = async (name: string): Promise<string> => fmt((await metric(callhook.app.baseUrl, name)) / 1048576, 0);
    return [
      ['plain HTTP requests/s to the receiver (same run)', fmt(plain, 0)],
      [
        `deliveries/s, 1 hook per event (${events} events${completed ? '' : ', INCOMPLETE'}), each round`,
        bursts.map((b) => fmt(b.rate, 0)).join(' / '),
      ],
      ['  as a share of the plain HTTP rate', `${fmt((mean(bursts.map((b) => b.rate)) / plain) * 100, 0)}%`],
      [
        `bare relay deliveries/s, same burst (no storage${relayBursts.every((b) => b.complete) ? '' : ', INCOMPLETE'}), each round`,
        relayBursts.map((b) => fmt(b.rate, 0)).join(' / '),
      ],
      ['  callhook ÷ relay, each round (mean)', `${ratios.map((r) => fmt(r, 2)).join(' / ')} (${fmt(mean(ratios), 2)})`],
      [
        '  CPU per delivery over the bursts (all threads), callhook / relay, ms',
        `${fmt(mean(bursts.map((b) => b.cpuMsPerDelivery)), 3)} / ${fmt(mean(relayBursts.map((b) => b.cpuMsPerDelivery)), 3)}`,
      ],
      [
        '  callhook by thread: event loop / SQLite writer / V8 helpers (GC) and libuv, ms',
        (['eventLoop', 'writer', 'other'] as const).map((key) => fmt(mean(bursts.map((b) => b.threads[key])), 3)).join(' / '),
      ],
      ['  event-to-delivery latency under those bursts, p50 / p99 ms', `${fmt(burst.p50)} / ${fmt(burst.p99)}`],
      [`event-to-delivery latency at ${rate} events/s for ${latencySeconds}s, p50 / p99 ms`, `${fmt(steady.p50)} / ${fmt(steady.p99)}`],
      [`deliveries/s, ${fanoutHooks} hooks per event (${fanoutEvents} events)`, fmt(fanoutRate, 0)],
      [`  the same, each hook with its own custom_data`, fmt(customRate, 0)],
      [
        `callhook peak RSS, MB: burst / steady rate / ${fanoutHooks} hooks / with custom_data`,
        [burstPeak, steadyPeak, fanoutPeak, customPeak].map((mb) => fmt(mb, 0)).join(' / '),
      ],
      [
        '  at the end: RSS / V8 heap used / heap total / external, MB',
        [
          await mb('callhook_process_resident_memory_bytes'),
          await mb('callhook_nodejs_heap_size_used_bytes'),
          await mb('callhook_nodejs_heap_size_total_bytes'),
          await mb('callhook_nodejs_external_memory_bytes'),
        ].join(' / '),
      ],
    ];
  } finally {
    await relay.stop();
    await stopCallhook(callhook, channel);
    await connection.close();
  }
}
