import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent } from '../../src/domain/call-event.js';
import { passesModifiers, selectHooks } from '../../src/domain/hook-match.js';
import type { Webhook } from '../../src/domain/webhook.js';
import { buildCallEvent, buildWebhook, newHexId } from '../support/factories.js';

const root = newHexId();
const reseller = newHexId();
const account = newHexId();
const sibling = newHexId();
const tree = [root, reseller];

function select(event: CallEvent, hooks: readonly Webhook[], hookName = 'channel_create'): Webhook[] {
  return selectHooks({ internalLeg: event.isLoopback, hookName, eventAccountId: account, ancestorIds: tree, hooks });
}

describe('selectHooks', () => {
  const event = buildCallEvent('CHANNEL_CREATE', { accountId: account });

  it("fires the account's hooks for the event or for all, in any case", () => {
    const create = buildWebhook(account);
    const all = buildWebhook(account, { hook: 'all' });
    const answer = buildWebhook(account, { hook: 'channel_answer' });
    const object = buildWebhook(account, { hook: 'object' });
    assert.deepEqual(select(event, [create, all, answer, object]), [create, all]);
  });

  it('never fires disabled hooks', () => {
    const disabled = buildWebhook(account, { enabled: false });
    const inheritedDisabled = buildWebhook(reseller, { enabled: false, include_subaccounts: true });
    assert.deepEqual(select(event, [disabled, inheritedDisabled]), []);
  });

  it("adds ancestors' hooks only when they include subaccounts; own hooks first, then tree order", () => {
    const own = buildWebhook(account);
    const fromRoot = buildWebhook(root, { include_subaccounts: true });
    const fromReseller = buildWebhook(reseller, { hook: 'all', include_subaccounts: true });
    const notInherited = buildWebhook(reseller);
    const explicitNo = buildWebhook(root, { include_subaccounts: false });
    const fromSibling = buildWebhook(sibling, { include_subaccounts: true });
    assert.deepEqual(select(event, [fromReseller, notInherited, explicitNo, fromSibling, fromRoot, own]), [own, fromRoot, fromReseller]);
  });

  it('does not repeat own hooks when the tree lists the account itself', () => {
    const own = buildWebhook(account, { include_subaccounts: true });
    const hooks = selectHooks({
      hookName: 'channel_create',
      eventAccountId: account,
      ancestorIds: [root, account, root],
      hooks: [own],
    });
    assert.deepEqual(hooks, [own]);
  });

  it('skips loopback legs for hooks that exclude internal legs', () => {
    const include = buildWebhook(account, { include_internal_legs: true });
    const exclude = buildWebhook(account, { include_internal_legs: false });
    const flagged = buildCallEvent('CHANNEL_CREATE', { accountId: account, headers: { 'Channel-Is-Loopback': true } });
    const named = buildCallEvent('CHANNEL_CREATE', { accountId: account, headers: { 'Channel-Name': 'loopback/1002-a' } });
    assert.deepEqual(select(flagged, [include, exclude]), [include]);
    assert.deepEqual(select(named, [include, exclude]), [include]);
    assert.deepEqual(select(event, [include, exclude]), [include, exclude]);
  });

  it('applies modifiers when given the event payload', () => {
    const inbound = buildWebhook(account, { modifiers: { call_direction: 'inbound' } });
    const outbound = buildWebhook(account, { modifiers: { call_direction: 'outbound' } });
    const hooks = selectHooks({
      hookName: 'channel_create',
      eventAccountId: account,
      ancestorIds: tree,
      hooks: [inbound, outbound],
      payload: { call_direction: 'inbound' },
    });
    assert.deepEqual(hooks, [inbound]);
    assert.deepEqual(select(event, [inbound, outbound]), [inbound, outbound]);
  });
});

describe('passesModifiers', () => {
  const payload = { call_direction: 'inbound', hook_event: 'channel_create', count: 2, flag: false, obj: { a: 1, b: [1, 2] } };
  const passes = (modifiers: unknown): boolean => passesModifiers({ modifiers: modifiers as never }, payload);

  it('passes without modifiers, or with a modifiers value that is not an object', () => {
    assert.equal(passesModifiers({}, payload), true);
    assert.equal(passes(['call_direction']), true);
    assert.equal(passes('inbound'), true);
    assert.equal(passes({}), true);
  });

  it('passes when the payload lacks the key', () => {
    assert.equal(passes({ type: 'user', action: ['doc_created'] }), true);
  });

  it('requires an equal value, by JSON value', () => {
    assert.equal(passes({ call_direction: 'inbound' }), true);
    assert.equal(passes({ call_direction: 'outbound' }), false);
    assert.equal(passes({ count: 2, flag: false }), true);
    assert.equal(passes({ count: '2' }), false);
    assert.equal(passes({ obj: { b: [1, 2], a: 1 } }), true);
    assert.equal(passes({ obj: { a: 1 } }), false);
  });

  it('requires membership when the modifier is a list; an empty list allows anything', () => {
    assert.equal(passes({ call_direction: ['outbound', 'inbound'] }), true);
    assert.equal(passes({ call_direction: ['outbound'] }), false);
    assert.equal(passes({ call_direction: [] }), true);
  });

  it('needs every modifier to pass', () => {
    assert.equal(passes({ call_direction: 'inbound', hook_event: ['channel_answer'] }), false);
  });
});
