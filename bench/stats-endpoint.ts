/**
 * npm run bench:stats: time per call of the stats endpoints on 100,000 attempts in the last day,
 * through the real app and HTTP stack, on SQLite (and on MongoDB when MONGODB_URL is set). The
 * attempts are recorded the way deliveries record them (recordOutcomes, batches of 500, with their
 * hourly tallies), spread over the 24 hours of the stats window and BENCH_STATS_HOOKS hooks (one busy hook takes half).
 * Also times the filtered attempts page the console asks for ("failures only"). Loopback only;
 * every loop bounded.
 */
import { randomBytes } from 'node:crypto';
import { masterApiKey, newStorePlace, startTestApp, type StorePlace, type TestApp } from '../test/support/app.js';
import { Client, dataOf } from '../test/support/client.js';
import { buildAttempt } from '../test/support/factories.js';
import type { AttemptOutcome } from '../src/storage/store.js';
import { fmt, summarize } from './stats.js';

const attempts = Number(process.env['BENCH_STATS_ATTEMPTS'] ?? 100_000);
const hooks = Number(process.env['BENCH_STATS_HOOKS'] ?? 20);
const calls = Number(process.env['BENCH_STATS_CALLS'] ?? 200);
const batch = 500;

async function fill(app: TestApp, accountId: string, hookIds: string[]): Promise<number> {
  const started = performance.now();
  const now = Date.now();
  // The stats window: the 24 whole hours that end with the current one.
  const windowStart = (Math.floor(now / 3_600_000) + 1) * 3_600_000 - 86_400_000;
  for (let done = 0; done < attempts; done += batch) {
    const entries: AttemptOutcome[] = [];
    for (let i = done; i < Math.min(attempts, done + batch); i++) {
      // Half on the busy hook, the rest spread; 5% failures; 5-400 ms; over the last 24 hours.
      const hookId = i % 2 === 0 ? (hookIds[0] ?? '') : (hookIds[1 + (i % (hookIds.length - 1))] ?? '');
      const at = new Date(now - Math.floor(((i * 7919) % attempts) * ((now - windowStart) / attempts)));
      const succeeded = i % 20 !== 0;
      const durationMs = 5 + ((i * 37) % 400);
      entries.push({
        accountId,
        deliveryId: randomBytes(16).toString('hex'),
        owner: 'bench',
        outcome: { status: succeeded ? 'delivered' : 'failed', attemptCount: 1, nextAttemptAt: at },
        attempt: buildAttempt(accountId, hookId, at, {
          doc: {
            hook_event: 'CHANNEL_CREATE',
            result: succeeded ? 'success' : 'failure',
            duration_ms: durationMs,
            resp_status_code: succeeded ? '200' : '500',
          },
        }),
        tally: { hookId, at, succeeded, durationMs },
      });
    }
    await app.app.store.recordOutcomes(entries);
  }
  return (performance.now() - started) / 1000;
}

async function time(client: Client, token: string, path: string): Promise<{ p50: number; p99: number; mean: number }> {
  const took: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const reply = await client.request('GET', path, { token });
    took.push(performance.now() - started);
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.text.slice(0, 200)}`);
  }
  const s = summarize(took);
  return { p50: s.p50, p99: s.p99, mean: took.reduce((a, b) => a + b, 0) / took.length };
}

/** A fresh SQLite directory, or a fresh MongoDB database under MONGODB_URL. */
function storePlace(kind: 'sqlite' | 'mongodb'): StorePlace {
  const url = process.env['MONGODB_URL'];
  if (kind === 'mongodb') return newStorePlace();
  delete process.env['MONGODB_URL'];
  try {
    return newStorePlace();
  } finally {
    if (url !== undefined) process.env['MONGODB_URL'] = url;
  }
}

async function benchStore(label: string, kind: 'sqlite' | 'mongodb'): Promise<void> {
  const place = storePlace(kind);
  const app = await startTestApp({}, place);
  try {
    const client = new Client(app.baseUrl);
    const master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Bench');
    const hookIds: string[] = [];
    for (let i = 0; i < hooks; i++) {
      const reply = await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
        token: account.token,
        data: { name: `hook ${i}`, uri: 'https://crm.example.com/hook', hook: 'channel_create' },
      });
      hookIds.push(dataOf<{ id: string }>(reply).id);
    }
    const filled = await fill(app, account.id, hookIds);
    // The fill kept the event loop busy past the server's keep-alive timeout: let idle sockets close.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const base = `/v2/accounts/${account.id}/webhooks`;
    const check = dataOf<{ total: number }>(await client.request('GET', `${base}/stats`, { token: account.token }));
    if (check.total !== attempts) throw new Error(`expected ${attempts} attempts in the stats, got ${check.total}`);
    const rows = [
      ['one hook (50,000 attempts), 24 h', `${base}/${hookIds[0]}/stats`],
      [`whole account (${hooks} hooks), 24 h`, `${base}/stats`],
      ['whole account, 168 h', `${base}/stats?hours=168`],
      ['attempts page, failures only (50 rows)', `${base}/attempts?filter_result=failure`],
      ['attempts page, one busy hook, failures only', `${base}/${hookIds[0]}/attempts?filter_result=failure`],
    ] as const;
    console.log(`\n${label}: ${attempts.toLocaleString('en')} attempts recorded in ${fmt(filled)} s; ${calls} calls each`);
    for (const [name, path] of rows) {
      const t = await time(client, account.token, path);
      console.log(`  ${name.padEnd(46)} mean ${fmt(t.mean, 2)} ms, p50 ${fmt(t.p50, 2)} ms, p99 ${fmt(t.p99, 2)} ms`);
    }
  } finally {
    await app.stop();
    await place.dispose();
  }
}

await benchStore('SQLite', 'sqlite');
const mongo = process.env['MONGODB_URL'];
if (mongo !== undefined && mongo !== '') await benchStore('MongoDB', 'mongodb');
