/**
 * Channel events → the body Kazoo 4.3's webhooks app sends (`webhooks_channel_util:format_event`,
 * then `webhooks_util:fire_hook`). Key order follows Kazoo's proplists because it shows in JSON
 * bodies and in form encoding. Two steps, as in Kazoo: the event payload (what `modifiers` are
 * checked against), then per hook its custom data and the cluster id.
 *
 * JavaScript objects list integer-like keys ("42") before all others whatever the insertion
 * order, so a custom_data or CCV key such as "42" comes first; Kazoo would keep it in place.
 */
import { ccv, customChannelVars, isTrue, type ChannelEvent, type ChannelEventName } from '../call-event.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

export type KazooHookName = 'channel_create' | 'channel_answer' | 'channel_bridge' | 'channel_destroy';

const hookNames: Readonly<Record<ChannelEventName, KazooHookName>> = {
  CHANNEL_CREATE: 'channel_create',
  CHANNEL_ANSWER: 'channel_answer',
  CHANNEL_BRIDGE: 'channel_bridge',
  CHANNEL_DESTROY: 'channel_destroy',
};

/** The `hook` value of the webhooks this event fires (also the payload's `hook_event`). */
export function kazooHookName(event: ChannelEvent): KazooHookName {
  return hookNames[event.name];
}

/** The name Kazoo uses internally for channel hooks, and writes as `hook_event` in attempt logs. */
export function attemptLogEventName(event: ChannelEvent): ChannelEventName {
  return event.name;
}

/**
 * `kapps_call_command_types.hrl` DEFAULT_CCV_KEYS. 4.3's webhooks app reads
 * `system_config/call_command.reserved_ccv_keys` without a default and omits `custom_channel_vars`
 * entirely while it is unset; other Kazoo apps (cf_set_variables, quickcall) read it with this
 * default, which kapps_config then writes back, so a working cluster usually has this list. We
 * use it when no list is configured: an operator expects the CCVs minus Kazoo's private ones.
 */
export const DEFAULT_RESERVED_CCV_KEYS: readonly string[] = [
  'Account-ID',
  'Account-Name',
  'Account-Realm',
  'Authorizing-ID',
  'Authorizing-Type',
  'Auto-Answer',
  'Call-Forward',
  'Call-Interaction-ID',
  'Ecallmgr-Node',
  'Call-Waiting-Disabled',
  'Confirm-Cancel-Timeout',
  'Confirm-File',
  'Confirm-Key',
  'Fax-Enabled',
  'Fetch-ID',
  'Loopback-Bowout',
  'Media-Encryption-Enforce-Security',
  'Media-Webrtc',
  'Owner-ID',
  'Presence-ID',
  'RTCP-MUX',
  'Realm',
  'Require-Ignore-Early-Media',
  'Retain-CID',
  'SIP-Invite-Domain',
  'Simplify-Loopback',
  'Username',
];

export interface KazooEventContext {
  /** The account the event was resolved to, when the CCVs do not carry `Account-ID`. */
  accountId?: string;
  resellerId?: string;
  /** `call_command.reserved_ccv_keys`; undefined → DEFAULT_RESERVED_CCV_KEYS. */
  reservedCcvKeys?: readonly string[] | undefined;
}

export interface KazooPayloadContext extends KazooEventContext {
  clusterId: string;
  customData: Readonly<Record<string, string>>;
}

/** Kazoo's `kz_json:from_list`: undefined values are dropped, everything else kept in order. */
function fromEntries(entries: ReadonlyArray<readonly [string, JsonValue | undefined]>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

/** The reserved keys as a set, made once per list (the list is the configuration's, fixed). */
const reservedSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function reservedSet(reserved: readonly string[]): ReadonlySet<string> {
  let set = reservedSets.get(reserved);
  if (set === undefined) {
    set = new Set(reserved);
    reservedSets.set(reserved, set);
  }
  return set;
}

/** CCVs minus the reserved keys, keys in their Title-Case form, original order. */
function visibleCcvs(event: ChannelEvent, accountId: string | undefined, reserved: readonly string[]): JsonObject {
  // Kazoo writes the resolved account id into the CCVs before formatting (set in place or appended).
  const ccvs: JsonObject = { ...(customChannelVars(event.raw) ?? {}) };
  if (accountId !== undefined) ccvs['Account-ID'] = accountId;
  const hidden = reservedSet(reserved);
  const visible: JsonObject = {};
  for (const key in ccvs) if (!hidden.has(key)) visible[key] = ccvs[key] as JsonValue;
  return visible;
}

function eventSpecific(event: ChannelEvent): Array<readonly [string, JsonValue | undefined]> {
  const raw = event.raw;
  switch (event.name) {
    case 'CHANNEL_CREATE':
    case 'CHANNEL_ANSWER':
      return [];
    case 'CHANNEL_BRIDGE':
      return [
        ['original_number', ccv(raw, 'Original-Number')],
        ['other_leg_destination_number', event.otherLegDestinationNumber],
      ];
    case 'CHANNEL_DESTROY':
      return [
        ['hangup_cause', event.hangupCause],
        ['hangup_code', event.hangupCode],
        ['duration_seconds', event.durationSeconds],
        ['ringing_seconds', event.ringingSeconds],
        ['billing_seconds', event.billingSeconds],
      ];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The event payload (`base_hook_event` + per-event keys), before any hook's custom data. */
export function buildKazooEvent(event: ChannelEvent, context: KazooEventContext): JsonObject {
  const raw = event.raw;
  const accountId = event.accountId ?? context.accountId;
  const wasGlobal = isTrue(ccv(raw, 'Global-Resource'));
  const callForward = ccv(raw, 'Call-Forward');
  const cavs = raw['Custom-Application-Vars'];
  return fromEntries([
    ['account_id', accountId],
    ['authorizing_id', ccv(raw, 'Authorizing-ID')],
    ['authorizing_type', ccv(raw, 'Authorizing-Type')],
    // Plain header reads in Kazoo: forwarded with whatever JSON type they arrived in.
    ['call_direction', raw['Call-Direction']],
    ['call_forwarded', callForward === undefined ? undefined : isTrue(callForward)],
    ['call_id', event.callId],
    ['callee_id_name', raw['Callee-ID-Name']],
    ['callee_id_number', raw['Callee-ID-Number']],
    ['caller_id_name', raw['Caller-ID-Name']],
    ['caller_id_number', raw['Caller-ID-Number']],
    ['custom_channel_vars', visibleCcvs(event, accountId, context.reservedCcvKeys ?? DEFAULT_RESERVED_CCV_KEYS)],
    ['custom_application_vars', isJsonObject(cavs) ? cavs : undefined],
    ['emergency_resource_used', isTrue(ccv(raw, 'Emergency-Resource'))],
    ['from', raw['From']],
    ['inception', raw['Inception']],
    ['local_resource_id', wasGlobal ? undefined : ccv(raw, 'Resource-ID')],
    ['local_resource_used', !wasGlobal],
    // Kazoo only looks at Channel-Is-Loopback here; we use the same test as the include_internal_legs filter.
    ['is_internal_leg', event.isLoopback],
    ['other_leg_call_id', event.otherLegCallId],
    ['owner_id', ccv(raw, 'Owner-ID')],
    ['request', raw['Request']],
    ['reseller_id', context.resellerId],
    ['timestamp', event.timestamp],
    ['to', raw['To']],
    ['hook_event', kazooHookName(event)],
    ...eventSpecific(event),
  ]);
}

/**
 * A hook's custom data on top of the event payload, then `cluster_id`. Like Kazoo's
 * `kz_json:merge_jobjs` (a right fold of set_value): a key the payload already has is overwritten
 * in place, new keys are appended in reverse custom_data order. `cluster_id` always ends up last
 * (Kazoo leaves it where a custom `cluster_id` put it).
 */
export function withHookData(payload: JsonObject, customData: Readonly<Record<string, string>>, clusterId: string): JsonObject {
  const out: JsonObject = { ...payload };
  for (const [key, value] of Object.entries(customData).reverse()) out[key] = value;
  delete out['cluster_id'];
  out['cluster_id'] = clusterId;
  return out;
}

/**
 * withHookData for each hook of one event: hooks with no custom data of their own all get one
 * payload object, built once (and serialized once by the outbox). Twenty CRMs subscribed to the
 * same account's calls should not mean twenty copies of each event in memory. Payloads are never
 * changed once built, so sharing one is safe.
 */
export function hookPayloads(base: JsonObject, clusterId: string): (customData: Readonly<Record<string, string>>) => JsonObject {
  let plain: JsonObject | undefined;
  return (customData) => {
    if (Object.keys(customData).length > 0) return withHookData(base, customData, clusterId);
    plain ??= withHookData(base, customData, clusterId);
    return plain;
  };
}

export function buildKazooPayload(event: ChannelEvent, context: KazooPayloadContext): JsonObject {
  return withHookData(buildKazooEvent(event, context), context.customData, context.clusterId);
}
