import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { networkPolicy } from '../../../src/domain/network-policy.js';
import { parseCidrs } from '../../../src/domain/networks.js';
import { blockedAddressError, HttpClient, type SendScope } from '../../../src/delivery/send/http-client.js';
import { captureLog } from '../../support/log-capture.js';
import { Receiver } from '../../support/receiver.js';

const options = {
  timeoutMs: 500,
  responseBodyLimit: 64,
  privateResponseBodyLimit: 64,
  connectionsPerOrigin: 4,
  userAgent: 'callhook-test',
};

function scopeFor(ranges: string[], hookId = 'hook'): SendScope {
  return { networks: networkPolicy(parseCidrs(ranges)), accountId: 'account', hookId };
}

const loopback = scopeFor(['127.0.0.0/8']);
const strict = scopeFor([]);

describe('outbound HTTP client', () => {
  let receiver: Receiver;
  let client: HttpClient;
  before(async () => {
    receiver = await Receiver.start();
    client = new HttpClient(options, captureLog('silent').log);
  });
  after(async () => {
    await client.close();
    await receiver.close();
  });

  it('sends method, headers and body and reports the answer', async () => {
    receiver.respond({ status: 202, headers: { 'x-answer': 'yes' }, body: 'accepted' });
    const outcome = await client.send(
      {
        method: 'PUT',
        url: receiver.url('/in?a=1'),
        headers: { 'content-type': 'application/json' },
        body: '{"x":1}',
      },
      loopback,
    );
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
    const outcome = await client.send({ method: 'POST', url: receiver.url('/moved'), headers: {} }, loopback);
    assert.equal(outcome.kind === 'response' && outcome.status, 302);
    assert.equal(receiver.requests.length, before + 1, 'the Location was not fetched');
  });

  it('gives up at the deadline on a hanging receiver', async () => {
    receiver.respond({ hang: true });
    const outcome = await client.send({ method: 'POST', url: receiver.url(), headers: {} }, loopback);
    assert.deepEqual(outcome.kind === 'error' && outcome.error, 'timeout');
    assert.ok(outcome.durationMs >= 450 && outcome.durationMs < 2000, `took ${outcome.durationMs} ms`);
  });

  it('keeps only the first bytes of a large body and stays usable', async () => {
    receiver.respond({ status: 500, body: 'x'.repeat(200_000) });
    const outcome = await client.send({ method: 'POST', url: receiver.url(), headers: {} }, loopback);
    assert.equal(outcome.kind, 'response');
    if (outcome.kind !== 'response') return;
    assert.equal(outcome.body.length, 64);
    assert.equal(outcome.truncated, true);
    receiver.respond({ status: 200, body: 'fine' });
    const next = await client.send({ method: 'POST', url: receiver.url(), headers: {} }, loopback);
    assert.equal(next.kind === 'response' && next.body, 'fine');
  });

  it('reports refused connections in Kazoo’s words', async () => {
    const outcome = await client.send({ method: 'POST', url: 'http://127.0.0.1:1/x', headers: {} }, loopback);
    assert.equal(outcome.kind === 'error' && outcome.error, 'failed_connect: econnrefused');
  });

  it('refuses loopback at connect time when it is not allowed, literal or by name, and tells only the operator what it resolved to', async () => {
    const captured = captureLog('warn');
    const guarded = new HttpClient(options, captured.log);
    try {
      const before = receiver.requests.length;
      const urls = [receiver.url(), `http://localhost:${receiver.port}/hook`, `http://[::ffff:127.0.0.1]:${receiver.port}/hook`];
      for (const [i, url] of urls.entries()) {
        const outcome = await guarded.send({ method: 'POST', url, headers: {} }, scopeFor([], `hook-${i}`));
        assert.equal(outcome.kind === 'error' && outcome.error, blockedAddressError, url);
        assert.doesNotMatch(blockedAddressError, /127\.0\.0\.1|::1/);
      }
      assert.equal(receiver.requests.length, before, 'nothing reached the receiver');
      const byName = captured.lines.find((line) => line['host'] === 'localhost');
      assert.equal(byName?.['hook_id'], 'hook-1');
      assert.equal(byName?.['account_id'], 'account');
      assert.ok((byName?.['addresses'] as string[]).includes('127.0.0.1'), 'the operator sees what it resolved to');
    } finally {
      await guarded.close();
    }
  });

  it('dials a name with no public address through the account’s ranges, and keeps less of such answers', async () => {
    const guarded = new HttpClient({ ...options, privateResponseBodyLimit: 4 }, captureLog('silent').log);
    try {
      receiver.respond({ status: 404, body: 'internal service page' });
      const outcome = await guarded.send({ method: 'POST', url: `http://localhost:${receiver.port}/hook`, headers: {} }, loopback);
      assert.equal(outcome.kind === 'response' && outcome.status, 404);
      assert.equal(outcome.kind === 'response' && outcome.body, 'inte');
      const other = await guarded.send(
        { method: 'POST', url: `http://localhost:${receiver.port}/hook`, headers: {} },
        scopeFor(['10.0.0.0/8']),
      );
      assert.equal(other.kind === 'error' && other.error, blockedAddressError, 'another set of ranges does not hold loopback');
      const none = await guarded.send({ method: 'POST', url: receiver.url(), headers: {} }, strict);
      assert.equal(none.kind === 'error' && none.error, blockedAddressError);
    } finally {
      await guarded.close();
    }
  });

  describe('answers a receiver shapes by hand', () => {
    let server: Server;
    let base: string;
    let answer: (res: ServerResponse) => void = (res) => res.end('ok');
    const open = new Set<ServerResponse>();
    before(async () => {
      server = createServer((req, res) => {
        req.resume();
        open.add(res);
        res.on('close', () => open.delete(res));
        answer(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    after(async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('keeps the answer when the body goes on past the drain limit, giving the socket up', async () => {
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'y'.repeat(65_536);
        // 2 MB: past the 1 MB drained after the logged part.
        for (let i = 0; i < 32; i += 1) res.write(chunk);
        res.end();
      };
      const outcome = await client.send({ method: 'POST', url: base, headers: {} }, loopback);
      assert.equal(outcome.kind === 'response' && outcome.status, 200);
      assert.equal(outcome.kind === 'response' && outcome.body, 'y'.repeat(64));
      assert.equal(outcome.kind === 'response' && outcome.truncated, true);
    });

    it('keeps the answer when the body stalls past the logged part, and ends at the deadline', async () => {
      answer = (res) => {
        res.writeHead(503, { 'retry-after': '7' });
        res.write('z'.repeat(100));
      };
      const outcome = await client.send({ method: 'POST', url: base, headers: {} }, loopback);
      assert.equal(outcome.kind === 'response' && outcome.status, 503);
      assert.equal(outcome.kind === 'response' && outcome.headers['retry-after'], '7');
      assert.ok(outcome.durationMs >= 450 && outcome.durationMs < 2000, `took ${outcome.durationMs} ms`);
    });

    it('fails with a timeout when the body stalls within the logged part', async () => {
      answer = (res) => {
        res.writeHead(200);
        res.write('short');
      };
      const outcome = await client.send({ method: 'POST', url: base, headers: {} }, loopback);
      assert.equal(outcome.kind === 'error' && outcome.error, 'timeout');
    });

    it('joins repeated response headers and keeps a body that came in many pieces', async () => {
      answer = (res) => {
        res.setHeader('x-many', ['a', 'b']);
        res.writeHead(201);
        res.write('par');
        setTimeout(() => res.end('ts'), 20);
      };
      const outcome = await client.send({ method: 'POST', url: base, headers: {} }, loopback);
      assert.equal(outcome.kind === 'response' && outcome.headers['x-many'], 'a, b');
      assert.equal(outcome.kind === 'response' && outcome.body, 'parts');
    });

    it('reports requests cut short by shutdown as interrupted, not as failures', async () => {
      answer = () => undefined;
      const cut = new HttpClient(options, captureLog('silent').log);
      const sending = cut.send({ method: 'POST', url: base, headers: {} }, loopback);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(cut.interruptAll(), 1);
      const outcome = await sending;
      assert.equal(outcome.kind, 'interrupted');
      await cut.close();
    });
  });

  it('refuses a URL that is not http or https as malformed', async () => {
    const outcome = await client.send({ method: 'POST', url: 'ftp://127.0.0.1/x', headers: {} }, loopback);
    assert.match(outcome.kind === 'error' ? outcome.error : '', /^malformed_url: Invalid URL protocol/);
  });
});
