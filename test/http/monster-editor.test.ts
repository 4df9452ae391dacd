/**
 * Monster UI's webhooks editor against callhook: it builds its hook dropdown and modifier selects
 * from GET /v2/webhooks, fills them from the stored hook, and saves the form alone with POST (see
 * the clients spec, 2.3 and 2.5). A hook whose type or modifier values the listing lacks comes back
 * as something else; these tests replay the editor for hooks migrated from Kazoo.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { dataOf, type Client } from '../support/client.js';
import { masterApiKey, useTestApp } from '../support/app.js';

interface Modifier {
  type: 'array' | 'object';
  items: string[] | Record<string, unknown>;
}
interface Available {
  id: string;
  modifiers?: Record<string, Modifier>;
}
type Hook = Record<string, unknown> & { id: string; hook: string; custom_data?: Record<string, string> };

/** What the editor's form holds after opening `hook` with `available` as its options, then renaming it. */
function editorForm(available: Available[], hook: Hook, newName: string): Record<string, unknown> {
  // The select offers the available ids plus a synthetic `all`; a value it lacks selects the first.
  const options = [...available.map((a) => a.id), 'all'];
  const selected = options.includes(hook.hook) ? hook.hook : (options[0] ?? '');
  const custom = hook.custom_data ?? {};
  const modifierValues: Record<string, string> = {};
  const topLevel: Record<string, string> = {};
  for (const type of available) {
    for (const [key, modifier] of Object.entries(type.modifiers ?? {})) {
      const values = Array.isArray(modifier.items) ? modifier.items : Object.keys(modifier.items);
      const value = values.includes(custom[key] ?? '') ? (custom[key] ?? '') : (values[0] ?? '');
      topLevel[key] = value; // every select is in the form: the last one in DOM order wins
      if (type.id === selected) modifierValues[key] = value;
    }
  }
  const rows = Object.fromEntries(Object.entries(custom).filter(([key]) => !(key in modifierValues)));
  return {
    name: newName,
    hook: selected,
    include_subaccounts: hook['include_subaccounts'] === true,
    http_verb: hook['http_verb'],
    retries: String(hook['retries']),
    uri: hook['uri'],
    ...(hook['http_verb'] === 'get' ? {} : { format: hook['format'] }),
    ...topLevel,
    custom_data: { ...modifierValues, ...rows },
    custom_request_headers: {},
    ui_metadata: { version: '4.3.31', ui: 'monster-ui', origin: 'webhooks' },
  };
}

describe('Monster UI’s editor on hooks migrated from Kazoo', () => {
  let client: Client;
  let token: string;
  let accountId: string;
  const ctx = useTestApp();
  before(async () => {
    client = ctx.client;
    const master = await client.login(masterApiKey);
    token = master.token;
    accountId = (await client.createAccount(token, master.accountId, 'Migrated')).id;
  });

  async function openRenameSave(migrated: Record<string, unknown>): Promise<{ before: Hook; after: Hook; form: Record<string, unknown> }> {
    const created = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, { token, data: migrated });
    assert.equal(created.status, 201, created.text);
    const id = dataOf<Hook>(created).id;
    // The editor opens: both requests in parallel, as Monster does.
    const [list, read] = await Promise.all([
      client.request('GET', `/v2/webhooks?_=${Date.now()}`),
      client.request('GET', `/v2/accounts/${accountId}/webhooks/${id}?_=${Date.now()}`, { token }),
    ]);
    const before = dataOf<Hook>(read);
    const form = editorForm(dataOf<Available[]>(list), before, `${String(migrated['name'])} (renamed)`);
    const saved = await client.request('POST', `/v2/accounts/${accountId}/webhooks/${id}`, { token, data: form });
    assert.equal(saved.status, 200, saved.text);
    const after = dataOf<Hook>(await client.request('GET', `/v2/accounts/${accountId}/webhooks/${id}`, { token }));
    return { before, after, form };
  }

  it('keeps an object hook’s type and its type/action modifiers when it is only renamed', async () => {
    const { after, form } = await openRenameSave({
      name: 'CRM users',
      uri: 'https://crm.example.com/kazoo/objects',
      hook: 'object',
      http_verb: 'post',
      format: 'json',
      retries: 2,
      custom_data: { type: 'user', action: 'doc_edited', crm: '42' },
    });
    assert.equal(form['hook'], 'object', 'the editor found object among the hook types');
    assert.equal(after['name'], 'CRM users (renamed)');
    assert.equal(after.hook, 'object');
    assert.deepEqual(after.custom_data, { type: 'user', action: 'doc_edited', crm: '42' });
    assert.equal(after['retries'], 2, 'Monster’s string retries are coerced');
    assert.deepEqual(after['custom_request_headers'], {});
  });

  it('keeps Kazoo master’s `all` modifier values and the other migrated types too', async () => {
    const all = await openRenameSave({
      name: 'everything',
      uri: 'https://crm.example.com/kazoo/all',
      hook: 'object',
      http_verb: 'get',
      retries: 1,
      custom_data: { type: 'all', action: 'all' },
    });
    assert.deepEqual([all.after.hook, all.after.custom_data], ['object', { type: 'all', action: 'all' }]);
    for (const [hook, custom] of [
      ['notifications', { type: 'voicemail_new' }],
      ['parking', undefined],
      ['sms', { source: 'kazoo' }],
      ['mms', undefined],
    ] as const) {
      const { after } = await openRenameSave({
        name: hook,
        uri: `https://crm.example.com/kazoo/${hook}`,
        hook,
        http_verb: 'post',
        retries: 3,
        ...(custom ? { custom_data: custom } : {}),
      });
      assert.equal(after.hook, hook);
      assert.deepEqual(after.custom_data ?? {}, custom ?? {}, hook);
    }
  });
});
