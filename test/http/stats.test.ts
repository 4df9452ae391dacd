import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

interface Point {
  hour: string;
  succeeded: number;
  failed: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

interface Figures {
  succeeded: number;
  failed: number;
  total: number;
  success_rate: number | null;
  latency_ms: { p50: number | null; p90: number | null; p99: number | null };
  last_success_at: string | null;
  last_failure_at: string | null;
  pending_retries: number;
}

type HookStats = Figures & { hook_id: string; from: string; to: string; hours: number; series: Point[] };
type AccountStats = Omit<Figures, 'last_success_at' | 'last_failure_at' | 'pending_retries'> & {
  hours: number;
  series: Point[];
  hooks: Array<Figures & { hook_id: string; name: string; enabled: boolean }>;
};

function sum(points: readonly Point[], key: 'succeeded' | 'failed'): number {
  return points.reduce((total, point) => total + point[key], 0);
}

describe('delivery stats', () => {
  const ctx = useScenario();

  it('counts deliveries by result per hook and hour, with latency percentiles, pending retries and last times', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Stats');
    const good = `/good-${newHexId().slice(0, 6)}`;
    const bad = `/bad-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === bad ? { status: 500 } : { status: 200, delayMs: 40 }));
    const goodHook = await s.hook({ name: 'good', uri: receiver.url(good), hook: 'channel_create' }, own.id);
    const badHook = await s.hook(
      { name: 'bad', uri: receiver.url(bad), hook: 'channel_create', retries: 3, retry_schedule: [1, 600, 600] },
      own.id,
    );
    const before = Date.now();
    for (let i = 0; i < 4; i++) await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    const base = `/v2/accounts/${own.id}/webhooks`;
    // Each bad delivery fails twice (at once, then after 1 s), then waits 10 minutes: 8 failures.
    const stats = await until(async () => {
      const one = dataOf<HookStats>(await s.client.request('GET', `${base}/${badHook}/stats`, { token: own.token }));
      return one.failed === 8 && one.pending_retries === 4 ? one : undefined;
    }, 8000);
    assert.equal(stats.hook_id, badHook);
    assert.deepEqual([stats.succeeded, stats.total, stats.success_rate, stats.hours], [0, 8, 0, 24]);
    assert.equal(stats.last_success_at, null);
    assert.ok(Date.parse(stats.last_failure_at ?? '') >= before - 1000);
    assert.equal(stats.series.length, 24);
    // The current hour is the last point (the one before it too, should the test straddle an hour).
    assert.equal(sum(stats.series.slice(-2), 'failed'), 8);
    assert.ok(stats.series.slice(0, -2).every((p) => p.succeeded === 0 && p.failed === 0 && p.p50_ms === null));
    assert.ok(Date.parse(stats.to) > Date.now() && Date.parse(stats.to) - Date.parse(stats.from) === 24 * 3_600_000);

    const goodStats = await until(async () => {
      const one = dataOf<HookStats>(await s.client.request('GET', `${base}/${goodHook}/stats?hours=2`, { token: own.token }));
      return one.succeeded === 4 ? one : undefined;
    });
    assert.equal(goodStats.series.length, 2);
    assert.equal(goodStats.success_rate, 1);
    assert.ok((goodStats.latency_ms.p50 ?? 0) >= 30, `p50 ${goodStats.latency_ms.p50} reflects the receiver's 40 ms delay`);
    assert.ok((goodStats.latency_ms.p99 ?? 0) >= (goodStats.latency_ms.p50 ?? 0));

    const account = dataOf<AccountStats>(await s.client.request('GET', `${base}/stats`, { token: own.token }));
    assert.deepEqual([account.succeeded, account.failed, account.total], [4, 8, 12]);
    assert.equal(sum(account.series.slice(-2), 'succeeded'), 4);
    const byId = new Map(account.hooks.map((h) => [h.hook_id, h]));
    assert.deepEqual(
      [byId.get(goodHook)?.name, byId.get(goodHook)?.succeeded, byId.get(badHook)?.failed, byId.get(badHook)?.pending_retries],
      ['good', 4, 8, 4],
    );
    assert.equal(byId.get(badHook)?.enabled, true);
  });

  it('refuses a bad window, 404s an unknown hook and keeps other accounts out', async () => {
    const { s } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Stats errors');
    const base = `/v2/accounts/${own.id}/webhooks`;
    for (const hours of ['0', '169', 'abc', '2.5', '-1']) {
      const reply = await s.client.request('GET', `${base}/stats?hours=${hours}`, { token: own.token });
      assert.equal(reply.status, 400, `hours=${hours}`);
      assert.match(JSON.stringify(reply.body.data), /hours must be a whole number from 1 to 168/);
    }
    assert.equal((await s.client.request('GET', `${base}/stats?hours=168`, { token: own.token })).status, 200);
    assert.equal((await s.client.request('GET', `${base}/${newHexId()}/stats`, { token: own.token })).status, 404);
    const stranger = await s.client.createAccount(s.master.token, s.master.accountId, 'Stranger');
    assert.equal((await s.client.request('GET', `${base}/stats`, { token: stranger.token })).status, 403);
    const empty = dataOf<AccountStats>(await s.client.request('GET', `${base}/stats`, { token: own.token }));
    assert.deepEqual([empty.total, empty.success_rate, empty.hooks], [0, null, []]);
  });
});
