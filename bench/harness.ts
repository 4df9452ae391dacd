/**
 * What every benchmark scenario shares: callhook built and run as `npm start` runs it (a child
 * process, SQLite under a fresh directory or MongoDB when MONGODB_URL is set), a confirm channel
 * to the local RabbitMQ, Kazoo events stamped with the time they were published, and a client to
 * create accounts and hooks. Loopback only.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { unixMsToGregorian } from '../src/domain/call-event.js';
import { openMongoStore } from '../src/storage/mongo/index.js';
import { openSqliteStore } from '../src/storage/sqlite/index.js';
import type { Store } from '../src/storage/store.js';
import { WebhookCodec } from '../src/storage/webhook-codec.js';
import { Validator } from '../src/validation/validator.js';
import { Client } from '../test/support/client.js';
import { buildKazooMessage } from '../test/support/factories.js';
import { spawnApp, type ChildApp } from '../test/support/process.js';

const brokerUrl = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
/**
 * A virtual host of the run's own, so nothing else using the broker (tests, other benches) sees
 * the bench's events or disturbs its queues. Created by `benchVhost`, removed at the end.
 */
const vhost = `callhook-bench-${randomBytes(4).toString('hex')}`;
export const amqpUrl = `${brokerUrl.replace(/\/+$/, '')}/${vhost}`;

const ctl = (...args: string[]) => promisify(execFile)('rabbitmqctl', args);

export async function createVhost(): Promise<void> {
  await ctl('add_vhost', vhost);
  await ctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
}

export async function deleteVhost(): Promise<void> {
  await ctl('delete_vhost', vhost).catch(() => undefined);
}
export const masterKey = randomBytes(24).toString('hex');

export type Row = [label: string, value: string];

export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** A place for the store: a SQLite directory, or a MongoDB database of its own. */
export interface BenchStore {
  env: Record<string, string>;
  dispose(): void;
  kind: 'sqlite' | 'mongodb';
}

export function benchStore(): BenchStore {
  const mongo = process.env['MONGODB_URL'];
  const dataDir = mkdtempSync(join(tmpdir(), 'callhook-bench-'));
  if (mongo !== undefined && mongo !== '') {
    const database = `callhook_bench_${randomBytes(4).toString('hex')}`;
    const url = mongo.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}`);
    return {
      env: { MONGODB_URL: url, CALLHOOK_DATA_DIR: dataDir },
      dispose: () => rmSync(dataDir, { recursive: true, force: true }),
      kind: 'mongodb',
    };
  }
  return { env: { CALLHOOK_DATA_DIR: dataDir }, dispose: () => rmSync(dataDir, { recursive: true, force: true }), kind: 'sqlite' };
}

/** The bench's own connection to the store callhook uses (to seed it), through the store port. */
export async function openBenchStore(store: BenchStore): Promise<Store> {
  const codec = new WebhookCodec(new Validator());
  const mongo = store.env['MONGODB_URL'];
  if (mongo !== undefined) return openMongoStore({ url: mongo, codec });
  return openSqliteStore({ file: join(store.env['CALLHOOK_DATA_DIR'] ?? '.', 'callhook.db'), codec, writerThread: false });
}

/** CPU time a process has used so far (all its threads, user + system), seconds. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds a thread (or, for a process id, the whole process) has used: /proc/…/stat utime + stime. */
function statCpuSeconds(path: string): number {
  // The command may hold spaces, so fields are counted after its closing parenthesis.
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface ThreadCpu {
  eventLoop: number;
  /** The SQLite writer thread (it names itself `sqlite-writer`); 0 without one. */
  writer: number;
  /** The rest: V8's helpers (parallel and concurrent GC, compilation) and libuv's pool. */
  other: number;
}

/** CPU seconds by thread so far. A thread that ended since is left out, so read deltas over a run. */
export function threadCpuSeconds(pid: number): ThreadCpu {
  const cpu: ThreadCpu = { eventLoop: 0, writer: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const dir = `/proc/${pid}/task/${tid}`;
    try {
      const seconds = statCpuSeconds(`${dir}/stat`);
      if (tid === String(pid)) cpu.eventLoop += seconds;
      else if (readFileSync(`${dir}/comm`, 'utf8').trim() === 'sqlite-writer') cpu.writer += seconds;
      else cpu.other += seconds;
    } catch {
      // the thread ended while we read
    }
  }
  return cpu;
}

/** Resident memory now, MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

export interface Callhook {
  app: ChildApp;
  queue: string;
  client: Client;
  token: string;
  masterId: string;
}

/** Starts a built callhook on `store`, consuming `queue` (shared by instances given the same one). */
export async function startCallhook(store: BenchStore, queue: string, env: Record<string, string> = {}): Promise<Callhook> {
  const app = await spawnApp(
    {
      ...store.env,
      CALLHOOK_MASTER_API_KEY: masterKey,
      CALLHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      CALLHOOK_LOG_LEVEL: 'info',
      AMQP_URL: amqpUrl,
      CALLHOOK_AMQP_QUEUE: queue,
      CALLHOOK_AMQP_DEAD_LETTER_QUEUE: `${queue}.dead`,
      ...env,
    },
    'built',
  );
  // Consuming (queue declared and bound) before anything is published, or the first events are lost.
  for (let tries = 0; tries < 200; tries += 1) {
    const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { checks?: { amqp?: { status?: string } } };
    if (health.checks?.amqp?.status === 'up') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const client = new Client(app.baseUrl);
  const master = await client.login(masterKey);
  return { app, queue, client, token: master.token, masterId: master.accountId };
}

export async function stopCallhook(callhook: Callhook, channel: ConfirmChannel): Promise<void> {
  await callhook.app.kill('SIGTERM');
  // Anything callhook printed that is not a log line (a crash, a profiler note) is shown.
  for (const line of callhook.app.output().split('\n')) if (line.trim() !== '' && !line.startsWith('{')) console.error(`callhook: ${line}`);
  await channel.deleteQueue(callhook.queue).catch(() => undefined);
  await channel.deleteQueue(`${callhook.queue}.dead`).catch(() => undefined);
}

export async function createAccount(callhook: Callhook, name: string): Promise<string> {
  return (await callhook.client.createAccount(callhook.token, callhook.masterId, name)).id;
}

/** `extra`: more of the hook's fields (custom_data, say). */
export async function createHook(
  callhook: Callhook,
  accountId: string,
  name: string,
  uri: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const reply = await callhook.client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
    token: callhook.token,
    data: { name, uri, hook: 'channel_create', format: 'json', ...extra },
  });
  if (reply.status !== 201) throw new Error(`hook create failed: ${reply.text}`);
  return (reply.body.data as { id: string }).id;
}

export function benchQueue(name: string): string {
  return `callhook.bench.${name}.${randomBytes(4).toString('hex')}`;
}

export async function openChannel(): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
  const connection = await connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange('callevt', 'topic', { durable: false, autoDelete: false });
  return { connection, channel };
}

export function eventBody(accountId: string): { routingKey: string; body: Buffer } {
  const sentAt = now();
  // As ecallmgr sends them: Msg-ID is FreeSWITCH's event time in µs, Timestamp Gregorian seconds.
  const message = buildKazooMessage('CHANNEL_CREATE', {
    accountId,
    ccvs: { 'Bench-Sent-At': String(sentAt) },
    headers: { 'Msg-ID': String(Math.trunc(sentAt * 1000)), Timestamp: unixMsToGregorian(sentAt) },
  });
  const routingKey = `call.CHANNEL_CREATE.${encodeURIComponent(String(message['Call-ID'])).replace(/\./g, '%2E')}`;
  return { routingKey, body: Buffer.from(JSON.stringify(message)) };
}

/** `exchange`: Kazoo's callevt unless the bench's relay is the one to get the event. */
export function publish(channel: ConfirmChannel, accountId: string, exchange = 'callevt'): void {
  const { routingKey, body } = eventBody(accountId);
  channel.publish(exchange, routingKey, body, { contentType: 'application/json' });
}

export async function publishBurst(channel: ConfirmChannel, accountId: string, count: number, exchange = 'callevt'): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    publish(channel, accountId, exchange);
    if (i % 500 === 499) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
}

/** Publishes `perSecond` events a second for `seconds`, in 10 ms ticks. */
export async function publishSteady(channel: ConfirmChannel, accountId: string, perSecond: number, seconds: number): Promise<number> {
  const ticks = seconds * 100;
  const start = performance.now();
  let sent = 0;
  for (let tick = 0; tick < ticks; tick += 1) {
    const due = Math.round(((tick + 1) * perSecond) / 100);
    for (; sent < due; sent += 1) publish(channel, accountId);
    const wait = start + (tick + 1) * 10 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await channel.waitForConfirms();
  return sent;
}

export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Starts a new peak (VmHWM) for `pid` (Linux: clear_refs 5), so each phase has its own. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not allowed here: the peak stays the whole run's.
  }
}

export async function metric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.split(' ').at(-1));
  }
  return Number.NaN;
}
