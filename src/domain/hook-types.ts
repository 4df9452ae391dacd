/**
 * The hook types callhook knows, with the metadata Kazoo 4.3's webhooks modules publish for
 * `GET /v2/webhooks` (names, descriptions and modifiers as Kazoo words them), plus callhook's own
 * Atende-style `call.*` types. Which types are offered (and bound on AMQP) is configuration
 * (CALLHOOK_HOOK_TYPES); a type that is not offered is still accepted by the API, modifiers
 * checked, so hooks migrated from Kazoo can be stored and edited, but no Kazoo event fires it.
 */
import type { JsonObject } from './json.js';
import { notificationDefinitions, superAdminNotificationTypes } from './kazoo-notifications.js';
import type { WebhookSettings } from './webhook.js';
import { byCodeUnit } from './code-unit-order.js';

export type HookTypeId = Exclude<WebhookSettings['hook'], 'all'>;

export const hookTypeIds: readonly HookTypeId[] = [
  'call.audio_available',
  'call.finished',
  'call.newcall',
  'channel_answer',
  'channel_bridge',
  'channel_create',
  'channel_destroy',
  'mms',
  'notifications',
  'object',
  'parking',
  'sms',
];

export function isHookTypeId(value: string): value is HookTypeId {
  return (hookTypeIds as readonly string[]).includes(value);
}

/** Kazoo's default `webhooks.object_types` (doc_types.hrl DOC_TYPES). */
export const defaultObjectTypes: readonly string[] = [
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
];

/** kapi_conf.hrl DOC_ACTIONS. */
export const docActions = ['doc_created', 'doc_edited', 'doc_deleted'] as const;

export interface ModifierItem {
  id: string;
  /** Object modifiers carry a friendly name and description per item. */
  friendlyName?: string;
  description?: string;
}

export interface HookModifier {
  type: 'array' | 'object';
  description?: string;
  items: readonly ModifierItem[];
}

export interface HookType {
  id: HookTypeId;
  name: string;
  description: string;
  modifiers?: Readonly<Record<string, HookModifier>>;
}

const notificationItems: readonly ModifierItem[] = [
  { id: 'all', friendlyName: 'All', description: 'This event is triggered for any notification events' },
  ...notificationDefinitions.map((d) => ({ id: d.name, friendlyName: d.friendlyName, description: d.description })),
].sort((a, b) => byCodeUnit(a.id, b.id));

function buildTypes(objectTypes: readonly string[]): HookType[] {
  const plain = (id: string): ModifierItem => ({ id });
  return [
    {
      id: 'call.audio_available',
      name: 'Call Audio Available',
      description:
        "Atende Simples style: fires once per recording of a call, when it has stopped and the call is over, with the call's summary and audio_url",
    },
    {
      id: 'call.finished',
      name: 'Call Finished',
      description: "Atende Simples style: fires once per call when it and all its legs have hung up, with the whole call's outcome",
    },
    { id: 'call.newcall', name: 'New Call', description: "Atende Simples style: fires once per call when the caller's leg is created" },
    {
      id: 'channel_answer',
      name: 'Channel Answer',
      description:
        'This webhook is triggered when a channel establishes two-way audio, such as a voicemail box or the called party answering',
    },
    {
      id: 'channel_bridge',
      name: 'Channel Bridge',
      description: 'This webhook is triggered when two channels are bridged together, such as two users/devices connected together',
    },
    { id: 'channel_create', name: 'Channel Create', description: 'This webhook is triggered when a new channel is created' },
    {
      id: 'channel_destroy',
      name: 'Channel Destroy',
      description: 'This webhook is triggered when a channel is destroyed, usually as a result of a hangup',
    },
    { id: 'mms', name: 'MMS', description: 'Receive notifications when mms is received' },
    {
      id: 'notifications',
      name: 'Notifications Webhook',
      description: 'Fire a webhook when a notification event is triggered in Kazoo',
      modifiers: { type: { type: 'object', items: notificationItems } },
    },
    {
      id: 'object',
      name: 'Object',
      description: 'Receive notifications when objects (like JSON document objects) in Kazoo are changed',
      // `all` is Kazoo master's (5.x) addition; callhook accepts it, so it offers it too.
      modifiers: {
        type: { type: 'array', description: 'A list of object types to handle', items: ['all', ...objectTypes].map(plain) },
        action: { type: 'array', description: 'A list of object actions to handle', items: ['all', ...docActions].map(plain) },
      },
    },
    { id: 'parking', name: 'Call Parking', description: 'Events when calls get parked/retrieved' },
    { id: 'sms', name: 'SMS', description: 'Receive notifications when sms is received' },
  ];
}

export interface HookCatalogOptions {
  /** `webhooks.object_types`: what `object` hooks may ask for (and what is bound). */
  objectTypes?: readonly string[];
  /** The types offered and fed from AMQP; all when not given. */
  enabled?: readonly string[];
}

export class HookCatalog {
  readonly types: readonly HookType[];
  readonly objectTypes: readonly string[];
  private readonly enabled: ReadonlySet<string>;

  constructor(options: HookCatalogOptions = {}) {
    this.objectTypes = options.objectTypes ?? defaultObjectTypes;
    this.types = buildTypes(this.objectTypes);
    this.enabled = new Set(options.enabled ?? hookTypeIds);
  }

  find(id: string): HookType | undefined {
    return this.types.find((type) => type.id === id);
  }

  /** Offered by GET /v2/webhooks and fed from Kazoo's exchanges. */
  isEnabled(id: string): boolean {
    return this.enabled.has(id);
  }

  /**
   * `GET /v2/webhooks`: the enabled types in Kazoo's view order (friendly name, descending).
   * Notification types only superduper admins may see are left out for everyone else, as
   * cb_webhooks does.
   */
  listing(options: { superAdmin: boolean }): JsonObject[] {
    return this.types
      .filter((type) => this.enabled.has(type.id))
      .sort((a, b) => b.name.localeCompare(a.name))
      .map((type) => presentHookType(type, options.superAdmin));
  }
}

/** Kazoo's wire shape of one type: array modifiers list values, object modifiers map names to texts. */
export function presentHookType(type: HookType, superAdmin = true): JsonObject {
  const out: JsonObject = { id: type.id, name: type.name, description: type.description };
  if (type.modifiers === undefined) return out;
  const modifiers: JsonObject = {};
  for (const [key, modifier] of Object.entries(type.modifiers)) {
    const shown: JsonObject = { type: modifier.type };
    if (modifier.description !== undefined) shown['description'] = modifier.description;
    if (modifier.type === 'array') {
      shown['items'] = modifier.items.map((item) => item.id);
    } else {
      const items: JsonObject = {};
      for (const item of modifier.items) {
        if (!superAdmin && type.id === 'notifications' && superAdminNotificationTypes.has(item.id)) continue;
        items[item.id] = { friendly_name: item.friendlyName ?? item.id, description: item.description ?? '' };
      }
      shown['items'] = items;
    }
    modifiers[key] = shown;
  }
  out['modifiers'] = modifiers;
  return out;
}
