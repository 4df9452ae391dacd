/**
 * Hostile input through the real HTTP stack: every route the API serves (walked from the router
 * itself, so a route added later is swept too) with hostile path segments, query strings and
 * bodies. No answer may be a 500, and every error must be a Crossbar envelope.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { HttpDeps } from '../../src/http/deps.js';
import { apiRouter } from '../../src/http/server.js';
import { masterApiKey, useTestApp } from '../support/app.js';
import { type Client, dataOf, type Reply } from '../support/client.js';
import { buildKazooMessage } from '../support/factories.js';

interface Route {
  method: string;
  template: string;
}

/** Every method and path the /v2 router serves (/v1 is the same router), plus the unversioned ones. */
function allRoutes(): Route[] {
  const stub = { auth: { forwardsLogins: true }, events: {}, bodyLimitBytes: 1024, jsonLimits: { maxBytes: 1024, maxDepth: 8 } };
  const router = apiRouter('/v2', stub as unknown as HttpDeps);
  const verbs = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'];
  const routes = router.stack.flatMap((layer) =>
    verbs.filter((verb) => layer.methods.includes(verb)).map((method) => ({ method, template: String(layer.path) })),
  );
  return [...routes, { method: 'GET', template: '/health' }, { method: 'GET', template: '/metrics' }];
}

const hostileSegments = [
  '%00',
  'a%2Fb',
  '%2F',
  '..',
  '%2E%2E',
  '__proto__',
  'constructor',
  '%E2%98%8E%F0%9F%9A%80',
  '%E0%A4%A',
  '%',
  'x'.repeat(4000),
  '0'.repeat(32),
];

const hostileNames = [
  'page_size',
  'start_key',
  'created_from',
  'created_to',
  'paginate',
  'ascending',
  'filter_name',
  'filter_not_custom_data.team',
  'has_key',
  'auth_token',
  '__proto__',
  'filter___proto__',
  'filter_constructor.prototype',
];

const hostileValues = [
  '1e20',
  '-1',
  '0',
  'NaN',
  '1.5',
  '9e15',
  '9'.repeat(400),
  '',
  '0x10',
  'x'.repeat(4000),
  '☎日本語🚀',
  '\u0000',
  '__proto__',
  'constructor.prototype',
];

function hostileQueries(names: readonly string[]): string[] {
  const queries: string[] = [];
  for (const name of names) {
    for (const value of hostileValues) queries.push(new URLSearchParams([[name, value]]).toString());
    const encoded = encodeURIComponent(name);
    queries.push(`${encoded}=1&${encoded}=2`, `${encoded}[]=1`, `${encoded}[a]=1`, encoded, `${encoded}=%`, `${encoded}=%E0%A4%A`);
  }
  return queries;
}

const hostileScalars: unknown[] = [1e308, -1, 0.5, 'NaN', {}, null, 'x'.repeat(20_000), '☎🚀', 'constructor', ['a', 1, null]];

/** Bodies that break JSON itself, or the envelope around the data. */
const brokenBodies = [
  '',
  'null',
  '[]',
  '"x"',
  '1e400',
  '{',
  '{"data":1e400}',
  '{"data":null}',
  '{"data":[]}',
  '{"data":"x"}',
  '{"data":{"__proto__":{"name":"x","enabled":true}}}',
  '{"__proto__":{"data":{"name":"x"}}}',
  '{"data":{"constructor":{"prototype":{"polluted":true}}}}',
  '\u0000',
  '\ufeff{"data":{}}',
  '['.repeat(5000) + ']'.repeat(5000),
  `{"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
  `{"data":{"name":"${'\\'.repeat(5001)}"}}`,
];

const dataFields = [
  'name',
  'uri',
  'http_verb',
  'hook',
  'retries',
  'retry_schedule',
  'custom_data',
  'modifiers',
  'enabled',
  'include_subaccounts',
  'include_internal_legs',
  'format',
  'group',
  'custom_request_headers',
  'since',
  're-enable',
  'api_key',
  'id',
  'timezone',
  'is_reseller',
];

const eventFields = [
  'Call-ID',
  'Event-Name',
  'Timestamp',
  'Msg-ID',
  'Custom-Channel-Vars',
  'Billing-Seconds',
  'Channel-Created-Time',
  'Length',
];

function isEnvelope(reply: Reply): boolean {
  const body = reply.body;
  return (
    body['status'] === 'error' &&
    body['error'] === String(reply.status) &&
    typeof body['message'] === 'string' &&
    'data' in body &&
    typeof body['request_id'] === 'string'
  );
}

describe('hostile input on every route', () => {
  let client: Client;
  let token: string;
  let fixtures: { accountId: string; hookId: string };
  // Without rate limits, so every hostile ping and recover reaches the code behind the limit.
  const ctx = useTestApp({ ratePingsPerMinute: 0, rateRecoversPerMinute: 0 });
  const routes = allRoutes();

  async function freshFixtures(): Promise<void> {
    const master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Target');
    const hook = await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token,
      data: { name: 'target', uri: 'http://127.0.0.1:9/', hook: 'channel_create' },
    });
    fixtures = { accountId: account.id, hookId: dataOf<{ id: string }>(hook).id };
  }

  before(async () => {
    client = ctx.client;
    token = (await client.login(masterApiKey)).token;
    await freshFixtures();
  });

  function fill(template: string, override?: { param: string; value: string }): string {
    return template.replace(/:(\w+)|\*(\w+)/g, (_match: string, name?: string, rest?: string) => {
      const param = name ?? rest ?? '';
      if (override?.param === param) return override.value;
      if (param === 'accountId') return fixtures.accountId;
      if (param === 'hookId') return fixtures.hookId;
      if (param === 'sampleId') return 'channel_create';
      if (param === 'name') return 'webhooks';
      return 'x/y';
    });
  }

  interface Probe {
    method: string;
    /** Built when sent: a DELETE may have replaced the fixtures. */
    path: () => string;
    body?: string;
  }

  const problems: string[] = [];
  async function send(probe: Probe): Promise<void> {
    const path = probe.path();
    const reply = await client.request(probe.method, path, { token, ...(probe.body !== undefined ? { raw: probe.body } : {}) });
    const where = `${probe.method} ${path.slice(0, 160)}${probe.body !== undefined ? ` body ${probe.body.slice(0, 80)}` : ''}`;
    if (reply.status >= 500) {
      problems.push(`${reply.status} ${where}: ${reply.text.slice(0, 200)}`);
    } else if (reply.status >= 400 && !isEnvelope(reply)) {
      problems.push(`not an envelope: ${reply.status} ${where}: ${reply.text.slice(0, 200)}`);
    }
    // Deleting the fixtures is a fair answer to a hostile DELETE; the sweep goes on with new ones.
    if (probe.method === 'DELETE' && reply.status < 300) await freshFixtures();
  }

  /** Eight at a time, DELETEs last and one by one (they may replace the fixtures). */
  async function sweep(probes: Probe[]): Promise<void> {
    const queue = probes.filter((p) => p.method !== 'DELETE');
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) await send(next);
      }),
    );
    for (const probe of probes.filter((p) => p.method === 'DELETE')) await send(probe);
    const found = problems.splice(0);
    assert.deepEqual(found.slice(0, 30), [], `${found.length} bad answers`);
  }

  it('answers hostile path segments with a 4xx envelope', async () => {
    const probes: Probe[] = [
      { method: 'GET', path: () => `/v2/accounts/${'a'.repeat(20_000)}/webhooks` },
      { method: 'GET', path: () => `/v2/webhooks${'/'.repeat(15_000)}` },
      { method: 'GET', path: () => `${'/'.repeat(15_000)}x/` },
    ];
    for (const route of routes) {
      for (const [, param = ''] of route.template.matchAll(/[:*](\w+)/g)) {
        for (const value of hostileSegments) probes.push({ method: route.method, path: () => fill(route.template, { param, value }) });
      }
    }
    await sweep(probes);
  });

  it('answers hostile query strings with a 2xx or a 4xx envelope', async () => {
    // Only reads take listing parameters; every route reads the token.
    const forReads = hostileQueries(hostileNames);
    const forWrites = hostileQueries(['auth_token', 'page_size', '__proto__']);
    await sweep(
      routes.flatMap((route) =>
        (route.method === 'GET' ? forReads : forWrites).map((query) => ({
          method: route.method,
          path: () => `${fill(route.template)}?${query}`,
        })),
      ),
    );
  });

  it('answers hostile bodies with a 2xx or a 4xx envelope', async () => {
    const probes: Probe[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const isEvents = route.template.endsWith('/events');
      const bodies = [...brokenBodies];
      for (const value of hostileScalars) {
        if (isEvents) {
          for (const field of eventFields) {
            const event = buildKazooMessage('CHANNEL_CREATE', { accountId: fixtures.accountId });
            bodies.push(JSON.stringify({ ...event, [field]: value }));
          }
        } else {
          const base = { name: 'h', uri: 'http://127.0.0.1:9/', hook: 'channel_create', since: '2020-01-01T00:00:00Z', 're-enable': true };
          for (const field of dataFields) bodies.push(JSON.stringify({ data: { ...base, [field]: value } }));
        }
      }
      for (const body of bodies) probes.push({ method: route.method, path: () => fill(route.template), body });
    }
    await sweep(probes);
  });
});
