import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCidrs } from '../../../src/domain/networks.js';
import { HttpClient } from '../../../src/delivery/send/http-client.js';
import { Receiver } from '../../support/receiver.js';

const options = {
  timeoutMs: 500,
  allowedNetworks: parseCidrs(['127.0.0.0/8']),
  responseBodyLimit: 64,
  connectionsPerOrigin: 4,
  userAgent: 'callhook-test',
};

describe('outbound HTTP client', () => {
  let receiver: Receiver;
  let client: HttpClient;
  before(async () => {
    receiver = await Receiver.start();
    client = new HttpClient(options);
  });
  after(async () => {
    await client.close();
    await receiver.close();
  });

  it('sends method, headers and body and reports the answer', async () => {
    receiver.respond({ status: 202, headers: { 'x-answer': 'yes' }, body: 'accepted' });
    const outcome = await client.send({
      method: 'PUT',
      url: receiver.url('/in?a=1'),
      headers: { 'content-type': 'application/json' },
      body: '{"x":1}',
    });
    assert.equal(outcome.kind, 'response');
    if (outcome.kind !== 'response') return;
    assert.equal(outcome.status, 202);
    assert.equal(outcome.headers['x-answer'], 'yes');
    assert.equal(outcome.body, 'accepted');
    const seen = receiver.requests.at(-1);
    assert.equal(seen?.method, 'PUT');
    assert.equal(seen?.url.search, '?a=1');
    assert.equal(seen?.body, '{"x":1}');
    assert.equal(seen?.headers['user-agent'], 'callhook-test');
  });

  it('does not follow redirects', async () => {
    const before = receiver.requests.length;
    receiver.respond((req) => (req.path === '/moved' ? { status: 302, headers: { location: receiver.url('/target') } } : { status: 200 }));
    const outcome = await client.send({ method: 'POST', url: receiver.url('/moved'), headers: {} });
    assert.equal(outcome.kind === 'response' && outcome.status, 302);
    assert.equal(receiver.requests.length, before + 1, 'the Location was not fetched');
  });

  it('gives up at the deadline on a hanging receiver', async () => {
    receiver.respond({ hang: true });
    const outcome = await client.send({ method: 'POST', url: receiver.url(), headers: {} });
    assert.deepEqual(outcome.kind === 'error' && outcome.error, 'timeout');
    assert.ok(outcome.durationMs >= 450 && outcome.durationMs < 2000, `took ${outcome.durationMs} ms`);
  });

  it('keeps only the first bytes of a large body and stays usable', async () => {
    receiver.respond({ status: 500, body: 'x'.repeat(200_000) });
    const outcome = await client.send({ method: 'POST', url: receiver.url(), headers: {} });
    assert.equal(outcome.kind, 'response');
    if (outcome.kind !== 'response') return;
    assert.equal(outcome.body.length, 64);
    assert.equal(outcome.truncated, true);
    receiver.respond({ status: 200, body: 'fine' });
    const next = await client.send({ method: 'POST', url: receiver.url(), headers: {} });
    assert.equal(next.kind === 'response' && next.body, 'fine');
  });

  it('reports refused connections in Kazoo’s words', async () => {
    const outcome = await client.send({ method: 'POST', url: 'http://127.0.0.1:1/x', headers: {} });
    assert.equal(outcome.kind === 'error' && outcome.error, 'failed_connect: econnrefused');
  });

  it('refuses loopback at connect time when it is not allowed, literal or by name', async () => {
    const strict = new HttpClient({ ...options, allowedNetworks: [] });
    try {
      const before = receiver.requests.length;
      for (const url of [receiver.url(), `http://localhost:${receiver.port}/hook`, `http://[::ffff:127.0.0.1]:${receiver.port}/hook`]) {
        const outcome = await strict.send({ method: 'POST', url, headers: {} });
        assert.equal(outcome.kind, 'error', url);
        assert.match(outcome.kind === 'error' ? outcome.error : '', /^blocked_address: .*CALLHOOK_ALLOWED_NETWORKS/, url);
      }
      assert.equal(receiver.requests.length, before, 'nothing reached the receiver');
    } finally {
      await strict.close();
    }
  });
});
