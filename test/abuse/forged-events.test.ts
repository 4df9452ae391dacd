/**
 * Rows 3 and 4 of the tenant-safety table: events a customer posts to POST /v2/events. They fire
 * only hooks from the poster down, never its reseller's include_subaccounts hooks (unless the
 * master made the poster a trusted event source), and an event posted under one account can
 * never stand in for another account's event with the same Call-ID and Msg-ID.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildKazooMessage, newId } from '../support/factories.js';
import { dataOf } from '../support/client.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { sleep, until } from '../support/wait.js';

describe('abuse: forged events', () => {
  let s: Scenario;
  let receiver: Receiver;
  let reseller: { id: string; token: string };
  let customer: { id: string; token: string };
  let sibling: { id: string; token: string };

  before(async () => {
    s = await startScenario({ callSettleMs: 200 });
    receiver = await Receiver.start();
    reseller = await s.client.createAccount(s.master.token, s.master.accountId, 'Reseller');
    customer = await s.client.createAccount(reseller.token, reseller.id, 'Customer');
    sibling = await s.client.createAccount(reseller.token, reseller.id, 'Sibling');
    const subaccounts = { include_subaccounts: true };
    await s.hook({ name: 'reseller create', uri: receiver.url('/reseller/create'), hook: 'channel_create', ...subaccounts }, reseller.id);
    await s.hook(
      { name: 'reseller destroy', uri: receiver.url('/reseller/destroy'), hook: 'channel_destroy', ...subaccounts },
      reseller.id,
    );
    await s.hook({ name: 'reseller newcall', uri: receiver.url('/reseller/newcall'), hook: 'call.newcall', ...subaccounts }, reseller.id);
    await s.hook({ name: 'customer create', uri: receiver.url('/customer/create'), hook: 'channel_create' }, customer.id);
    await s.hook({ name: 'customer newcall', uri: receiver.url('/customer/newcall'), hook: 'call.newcall' }, customer.id);
  });
  after(async () => {
    await s.stop();
    await receiver.close();
  });

  const postAs = (token: string, events: unknown) => s.client.request('POST', '/v2/events', { token, raw: JSON.stringify(events) });
  const seen = (path: string, callId: string) => receiver.requests.filter((r) => r.path === path && r.body.includes(callId)).length;

  it('a customer’s posted calls reach its own hooks but never its reseller’s, even with made-up billing', async () => {
    const callId = `forged-${newId()}`;
    const create = buildKazooMessage('CHANNEL_CREATE', { accountId: customer.id, callId });
    const destroy = buildKazooMessage('CHANNEL_DESTROY', { accountId: customer.id, callId, headers: { 'Billing-Seconds': '999999' } });
    const posted = await postAs(customer.token, [create, destroy]);
    assert.equal(posted.status, 202, posted.text);
    await until(() => (seen('/customer/create', callId) > 0 && seen('/customer/newcall', callId) > 0 ? true : undefined));
    // Nothing is on its way to the reseller: whatever was due has had time to arrive.
    await sleep(1000);
    assert.equal(seen('/reseller/create', callId), 0);
    assert.equal(seen('/reseller/destroy', callId), 0);
    assert.equal(seen('/reseller/newcall', callId), 0);
  });

  it('a customer cannot make itself a trusted event source, nor open networks for itself', async () => {
    for (const data of [{ trusted_event_source: true }, { allowed_networks: ['10.0.0.0/8'] }]) {
      const reply = await s.client.request('PATCH', `/v2/accounts/${customer.id}`, { token: customer.token, data });
      assert.equal(reply.status, 403, reply.text);
      const byReseller = await s.client.request('PATCH', `/v2/accounts/${customer.id}`, { token: reseller.token, data });
      assert.equal(byReseller.status, 403, 'nor can its reseller');
    }
    const read = await s.client.request('GET', `/v2/accounts/${customer.id}`, { token: customer.token });
    assert.equal(dataOf<{ trusted_event_source?: boolean }>(read).trusted_event_source, undefined);
  });

  it('a customer cannot post for a sibling’s account', async () => {
    const reply = await postAs(customer.token, buildKazooMessage('CHANNEL_CREATE', { accountId: sibling.id }));
    assert.equal(reply.status, 403, reply.text);
  });

  it('once the master trusts the customer, its events reach the reseller as Kazoo’s do', async () => {
    const trusted = await s.client.request('PATCH', `/v2/accounts/${customer.id}`, {
      token: s.master.token,
      data: { trusted_event_source: true },
    });
    assert.equal(trusted.status, 200, trusted.text);
    const renamed = await s.client.request('PATCH', `/v2/accounts/${customer.id}`, {
      token: customer.token,
      data: { name: 'Customer Ltd' },
    });
    assert.equal(renamed.status, 200, 'other fields stay the customer’s to change');
    assert.equal(dataOf<{ trusted_event_source?: boolean }>(renamed).trusted_event_source, true, 'and the flag is kept');
    const callId = `trusted-${newId()}`;
    assert.equal((await postAs(customer.token, buildKazooMessage('CHANNEL_CREATE', { accountId: customer.id, callId }))).status, 202);
    await until(() => (seen('/reseller/create', callId) > 0 ? true : undefined));
  });

  it('an event under one account with a sibling’s Call-ID and Msg-ID does not suppress the sibling’s real event', async () => {
    const callId = `shared-${newId()}`;
    const msgId = String(Date.now() * 1000);
    const first = buildKazooMessage('CHANNEL_CREATE', { accountId: customer.id, callId, headers: { 'Msg-ID': msgId } });
    assert.equal((await postAs(customer.token, first)).status, 202);
    await until(() => (seen('/reseller/create', callId) > 0 ? true : undefined));
    // The sibling's real event, as Kazoo sends it (the master's ingest is trusted like AMQP).
    const real = buildKazooMessage('CHANNEL_CREATE', { accountId: sibling.id, callId, headers: { 'Msg-ID': msgId } });
    assert.equal((await s.post(real)).status, 202);
    await until(() => (seen('/reseller/create', callId) >= 2 ? true : undefined));
    // Kazoo's default hook posts its payload form-encoded.
    const accounts = receiver.requests
      .filter((r) => r.path === '/reseller/create' && r.body.includes(callId))
      .map((r) => new URLSearchParams(r.body).get('account_id'))
      .sort();
    assert.deepEqual(accounts, [customer.id, sibling.id].sort());
  });
});
