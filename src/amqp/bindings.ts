/**
 * What callhook's one queue is bound to, derived from the hook types it offers (CALLHOOK_HOOK_TYPES)
 * and the object types `object` hooks may ask for (CALLHOOK_OBJECT_TYPES). Kazoo's webhooks app
 * binds more broadly (`#` on `configuration`, for instance) and throws away what no hook wants;
 * callhook binds what an enabled type can fire, so the broker never routes the rest to it:
 *
 *   callevt        call.CHANNEL_* (channel_* and call.*), RECORD_STOP and DTMF (call.*), PARK_* (parking)
 *   configuration  `*.*.<type>.*` per object type (object), `*.accounts.account.*` (integrated mode)
 *   notifications  one key per Kazoo notification definition (notifications)
 *   im             sms.inbound.offnet.* (sms), mms.inbound.offnet.* (mms)
 */
import { notificationDefinitions } from '../domain/kazoo-notifications.js';
import type { ExchangeBindings } from './topology.js';

export const EXCHANGES = { callevt: 'callevt', configuration: 'configuration', notifications: 'notifications', im: 'im' } as const;

const channelKeys = ['call.CHANNEL_CREATE.*', 'call.CHANNEL_ANSWER.*', 'call.CHANNEL_BRIDGE.*', 'call.CHANNEL_DESTROY.*'];
const channelKeyOf: Readonly<Record<string, string>> = {
  channel_create: 'call.CHANNEL_CREATE.*',
  channel_answer: 'call.CHANNEL_ANSWER.*',
  channel_bridge: 'call.CHANNEL_BRIDGE.*',
  channel_destroy: 'call.CHANNEL_DESTROY.*',
};
/** A call's legs, recordings and key presses: what call.* summaries are folded from. */
const callSummaryKeys = [...channelKeys, 'call.RECORD_STOP.*', 'call.DTMF.*'];
const parkingKeys = ['call.PARK_PARKED.*', 'call.PARK_RETRIEVED.*', 'call.PARK_ABANDONED.*'];

/** `doc_<action>.<db>.<type>.<id>`: the account documents whose changes keep the mirror current. */
export const accountChangeKey = '*.accounts.account.*';

export interface BindingOptions {
  hookTypes: readonly string[];
  objectTypes: readonly string[];
  /** Integrated mode: account document changes update the account mirror. */
  accountChanges: boolean;
}

export function kazooBindings(options: BindingOptions): ExchangeBindings[] {
  const enabled = new Set(options.hookTypes);
  const callevt = new Set<string>();
  for (const [type, key] of Object.entries(channelKeyOf)) if (enabled.has(type)) callevt.add(key);
  if (['call.newcall', 'call.finished', 'call.audio_available'].some((type) => enabled.has(type))) {
    for (const key of callSummaryKeys) callevt.add(key);
  }
  if (enabled.has('parking')) for (const key of parkingKeys) callevt.add(key);

  const configuration = new Set<string>();
  if (enabled.has('object')) for (const type of options.objectTypes) configuration.add(`*.*.${type}.*`);
  if (options.accountChanges) configuration.add(accountChangeKey);

  const notifications = enabled.has('notifications') ? notificationDefinitions.map((d) => d.routingKey) : [];

  const im: string[] = [];
  if (enabled.has('sms')) im.push('sms.inbound.offnet.*');
  if (enabled.has('mms')) im.push('mms.inbound.offnet.*');

  const all: ExchangeBindings[] = [
    { exchange: EXCHANGES.callevt, keys: [...callevt] },
    { exchange: EXCHANGES.configuration, keys: [...configuration] },
    { exchange: EXCHANGES.notifications, keys: [...new Set(notifications)] },
    { exchange: EXCHANGES.im, keys: im },
  ];
  return all.filter((binding) => binding.keys.length > 0);
}
