/**
 * Row 6 of the tenant-safety table: a customer building an 800-deep chain of sub-accounts, or an
 * endless number of them (each with its own hook allowance). The tree has a depth limit
 * (CALLHOOK_MAX_ACCOUNT_DEPTH) and a size limit per customer tree (CALLHOOK_MAX_DESCENDANTS),
 * both answered with Crossbar's 400 envelope; the master's own top-level accounts are not counted
 * against any customer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { masterApiKey, useTestApp } from '../support/app.js';
import { dataOf } from '../support/client.js';

describe('abuse: account tree limits', () => {
  const ctx = useTestApp({ maxAccountDepth: 8, maxDescendants: 12 });

  const createUnder = async (token: string, parentId: string, name: string) =>
    ctx.client.request('PUT', `/v2/accounts/${parentId}`, { token, data: { name } });

  it('stops a chain of sub-accounts at the depth limit, with a 400 that names the setting', async () => {
    const master = await ctx.client.login(masterApiKey);
    const top = await ctx.client.createAccount(master.token, master.accountId, 'Chain');
    let parent = top.id;
    // Depth 1 is the top account; seven more levels fit under it.
    for (let depth = 2; depth <= 8; depth += 1) {
      const reply = await createUnder(top.token, parent, `level ${depth}`);
      assert.equal(reply.status, 201, reply.text);
      parent = dataOf<{ id: string }>(reply).id;
    }
    const tooDeep = await createUnder(top.token, parent, 'level 9');
    assert.equal(tooDeep.status, 400);
    assert.equal(tooDeep.body['status'], 'error');
    assert.equal(tooDeep.body['message'], 'account tree too deep');
    assert.match(String(dataOf<{ message: string }>(tooDeep).message), /CALLHOOK_MAX_ACCOUNT_DEPTH/);
    const fromMaster = await createUnder(master.token, parent, 'level 9');
    assert.equal(fromMaster.status, 400, 'the master is held to the depth too');

    // The deepest account still signs in at once: no walk up the tree grows without bound.
    const login = await ctx.client.request('PUT', '/v2/api_auth', { data: { api_key: top.apiKey } });
    assert.equal(login.status, 201);
  });

  it('stops one customer’s tree at its size limit, wherever in the tree it grows', async () => {
    const master = await ctx.client.login(masterApiKey);
    const customer = await ctx.client.createAccount(master.token, master.accountId, 'Wide');
    const created: string[] = [];
    // The customer itself counts: eleven more make the twelve allowed.
    for (let n = 0; n < 11; n += 1) {
      const parent = n < 5 ? customer.id : (created[0] ?? customer.id);
      const reply = await createUnder(customer.token, parent, `sub ${n}`);
      assert.equal(reply.status, 201, reply.text);
      created.push(dataOf<{ id: string }>(reply).id);
    }
    for (const parent of [customer.id, created[0] ?? '', created[10] ?? '']) {
      const full = await createUnder(customer.token, parent, 'one too many');
      assert.equal(full.status, 400);
      assert.equal(full.body['message'], 'account tree too large');
      assert.match(String(dataOf<{ message: string }>(full).message), /CALLHOOK_MAX_DESCENDANTS/);
    }
    // Another customer's tree is its own, and the master still creates top-level accounts.
    const other = await ctx.client.createAccount(master.token, master.accountId, 'Other');
    assert.equal((await createUnder(other.token, other.id, 'fine')).status, 201);

    // Deleting makes room again.
    const removed = await ctx.client.request('DELETE', `/v2/accounts/${created[10] ?? ''}`, { token: customer.token });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await createUnder(customer.token, customer.id, 'room again')).status, 201);
  });
});
