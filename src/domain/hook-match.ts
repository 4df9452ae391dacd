/**
 * Which webhooks an event fires (`webhooks_util:find_webhooks` and the channel filters), pure:
 * the caller supplies the account's ancestors and the candidate hooks.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { modifiersOf, type WebhookSettings } from './webhook.js';

export interface HookCandidate {
  accountId: string;
  settings: Pick<WebhookSettings, 'hook' | 'enabled' | 'include_subaccounts' | 'include_internal_legs' | 'modifiers'>;
  /** Set when callhook disabled the hook itself: such a hook still takes events, to keep them. */
  disabledReason?: string | null;
}

export interface SelectHooksArgs<H extends HookCandidate> {
  /** The event comes from an internal (loopback) leg, which hooks may opt out of. */
  internalLeg?: boolean;
  /** The hook type the event fires, e.g. `channel_create`. */
  hookName: string;
  eventAccountId: string;
  /** The account's tree (root first), as stored on the account; the account itself is ignored. */
  ancestorIds: readonly string[];
  hooks: readonly H[];
  /**
   * The event payload before any custom data; when given, each hook's `modifiers` filter is
   * applied too. Leave it out only when checking modifiers separately with `passesModifiers`.
   */
  payload?: JsonObject;
  /** Whether `all` hooks take the event (Kazoo's own events: yes, the default). */
  allHooks?: boolean;
}

function firesFor(settings: HookCandidate['settings'], hookName: string, allHooks: boolean): boolean {
  return settings.hook === hookName || (allHooks && settings.hook === 'all');
}

/**
 * The event account's own hooks first, then each ancestor's hooks that include subaccounts, in
 * tree order (Kazoo's order too; it fires them one by one, callhook queues them in that order).
 * A hook callhook disabled itself is selected too: its deliveries are kept, not sent, until it is
 * back (the outbox holds them); one the user disabled is not.
 */
export function selectHooks<H extends HookCandidate>(args: SelectHooksArgs<H>): H[] {
  const { internalLeg = false, hookName, eventAccountId, hooks, payload, allHooks = true } = args;
  const ancestors = args.ancestorIds.filter((id) => id !== eventAccountId);
  const selected: H[] = [];
  const consider = (accountId: string, inherited: boolean): void => {
    for (const hook of hooks) {
      if (hook.accountId !== accountId) continue;
      const { settings } = hook;
      if (inherited && settings.include_subaccounts !== true) continue;
      const takesEvents = settings.enabled || (hook.disabledReason !== undefined && hook.disabledReason !== null);
      if (!takesEvents || !firesFor(settings, hookName, allHooks)) continue;
      if (internalLeg && !settings.include_internal_legs) continue;
      if (payload !== undefined && !passesModifiers(settings, payload)) continue;
      selected.push(hook);
    }
  };
  consider(eventAccountId, false);
  for (const ancestorId of new Set(ancestors)) consider(ancestorId, true);
  return selected;
}

/** JSON equality by value (objects key by key, order ignored), as Erlang compares decoded terms. */
function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i] ?? null));
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key] ?? null, b[key] ?? null));
}

/**
 * Kazoo's undocumented `modifiers` filter (`webhooks_util:maybe_fire_hook`): for every `K: V`
 * in `doc.modifiers`, the payload's top-level `K` must be absent, equal to `V`, or, when `V` is a
 * list, one of its members (an empty list allows anything). A non-object `modifiers` is ignored.
 */
export function passesModifiers(settings: Pick<WebhookSettings, 'modifiers'>, payload: JsonObject): boolean {
  const modifiers = modifiersOf(settings);
  if (modifiers === undefined) return true;
  return Object.entries(modifiers).every(([key, allowed]) => {
    if (!Object.hasOwn(payload, key)) return true;
    const actual = payload[key] ?? null;
    if (Array.isArray(allowed)) return allowed.length === 0 || allowed.some((item) => sameJson(item, actual));
    return sameJson(allowed, actual);
  });
}
