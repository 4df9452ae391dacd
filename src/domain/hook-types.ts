/**
 * The hook types callhook knows. `available` ones fire and are listed by GET /v2/webhooks.
 * The others are Kazoo types with no event source in callhook (document changes, parking, SMS):
 * the API accepts and stores them, modifiers included, so hooks migrated from Kazoo
 * keep working through the API, but they are not offered to users because they never fire.
 */
import type { JsonObject } from './json.js';

export interface HookModifier {
  type: 'array' | 'object';
  description: string;
  /** Allowed values (array modifiers) or allowed keys (object modifiers). */
  items: readonly string[];
}

export interface HookType {
  id: string;
  name: string;
  description: string;
  available: boolean;
  modifiers?: Readonly<Record<string, HookModifier>>;
}

/** Kazoo's default `object_types`. */
export const objectTypes = [
  'account',
  'callflow',
  'device',
  'faxbox',
  'media',
  'user',
  'vmbox',
  'fax',
  'mailbox_message',
  'call_recording',
] as const;

/** Kazoo 4.3's notification names (teletype), accepted for `notifications` hooks. */
export const notificationTypes = [
  'account_zone_change',
  'bill_reminder',
  'cnam_request',
  'customer_update',
  'denied_emergency_bridge',
  'deregister',
  'first_occurrence',
  'inbound_fax',
  'inbound_fax_error',
  'low_balance',
  'missed_call',
  'new_account',
  'new_user',
  'outbound_fax',
  'outbound_fax_error',
  'outbound_smtp_fax_error',
  'password_recovery',
  'port_cancel',
  'port_comment',
  'port_pending',
  'port_rejected',
  'port_request',
  'port_scheduled',
  'port_unconfirmed',
  'ported',
  'register',
  'service_added',
  'system_alert',
  'topup',
  'transaction',
  'voicemail_full',
  'voicemail_new',
  'voicemail_saved',
  'webhook',
  'webhook_disabled',
  'cf_notification',
] as const;

export const hookTypes: readonly HookType[] = [
  {
    id: 'call.audio_available',
    name: 'Call Audio Available',
    description:
      "Atende Simples style: fires once per recording of a call, when it has stopped and the call is over, with the call's summary and audio_url",
    available: true,
  },
  {
    id: 'call.finished',
    name: 'Call Finished',
    description: "Atende Simples style: fires once per call when it and all its legs have hung up, with the whole call's outcome",
    available: true,
  },
  {
    id: 'call.newcall',
    name: 'New Call',
    description: "Atende Simples style: fires once per call when the caller's leg is created",
    available: true,
  },
  {
    id: 'channel_answer',
    name: 'Channel Answer',
    description: 'Fires when a channel establishes two-way audio, such as a voicemail box or the called party answering',
    available: true,
  },
  {
    id: 'channel_bridge',
    name: 'Channel Bridge',
    description: 'Fires when two channels are bridged together, such as two users or devices connected to each other',
    available: true,
  },
  {
    id: 'channel_create',
    name: 'Channel Create',
    description: 'Fires when a new channel is created',
    available: true,
  },
  {
    id: 'channel_destroy',
    name: 'Channel Destroy',
    description: 'Fires when a channel is destroyed, usually as the result of a hangup',
    available: true,
  },
  { id: 'mms', name: 'MMS', description: 'Kazoo MMS events (no source in callhook)', available: false },
  {
    id: 'notifications',
    name: 'Notifications Webhook',
    description: 'Fires when a notification event is triggered (callhook raises webhook_disabled when it turns a failing hook off)',
    available: true,
    modifiers: {
      type: { type: 'object', description: 'The notification that fires the hook', items: [...notificationTypes, 'all'] },
    },
  },
  {
    id: 'object',
    name: 'Object',
    description: 'Kazoo document changes (no source in callhook)',
    available: false,
    modifiers: {
      type: { type: 'array', description: 'The type of object', items: ['all', ...objectTypes] },
      action: {
        type: 'array',
        description: 'The action on the object',
        items: ['all', 'doc_created', 'doc_edited', 'doc_deleted'],
      },
    },
  },
  { id: 'parking', name: 'Call Parking', description: 'Kazoo call parking events (no source in callhook)', available: false },
  { id: 'sms', name: 'SMS', description: 'Kazoo SMS events (no source in callhook)', available: false },
];

export function findHookType(id: string): HookType | undefined {
  return hookTypes.find((type) => type.id === id);
}

/** Title-cases a notification id for Monster UI's select (`voicemail_new` → `Voicemail New`). */
function friendly(id: string): string {
  return id
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The `GET /v2/webhooks` item for one type, modifiers in Kazoo's wire shape. */
export function presentHookType(type: HookType): JsonObject {
  const out: JsonObject = { id: type.id, name: type.name, description: type.description };
  if (type.modifiers === undefined) return out;
  const modifiers: JsonObject = {};
  for (const [key, modifier] of Object.entries(type.modifiers)) {
    if (modifier.type === 'array') {
      modifiers[key] = { type: 'array', description: modifier.description, items: [...modifier.items] };
    } else {
      const items: JsonObject = {};
      for (const item of modifier.items) items[item] = { friendly_name: friendly(item), description: friendly(item) };
      modifiers[key] = { type: 'object', description: modifier.description, items };
    }
  }
  out['modifiers'] = modifiers;
  return out;
}
