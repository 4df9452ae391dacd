/**
 * Whose hooks an event may fire. Events from Kazoo (AMQP), the master's token, or an account the
 * master marked `trusted_event_source` are trusted: they fire the event account's hooks and its
 * ancestors' include_subaccounts hooks, as Kazoo's webhooks app does. An event another account
 * posts to POST /v2/events is only that account's word: it fires hooks of the poster and of
 * accounts below it, never an ancestor's, so a customer cannot put made-up calls (say
 * `billing_seconds: 999999`) in front of its reseller as if the PBX had sent them.
 */

export type EventScope = { kind: 'trusted' } | { kind: 'posted'; by: string };

export const trustedScope: EventScope = { kind: 'trusted' };

/**
 * The accounts whose hooks may fire for an event of `accountId` (ancestors `tree`, root first):
 * the account first, then ancestors from the nearest. A poster must be the account or one of its
 * ancestors (the route authorises that); any other poster gets no account at all.
 */
export function accountsInScope(accountId: string, tree: readonly string[], scope: EventScope): string[] {
  const upwards = [...tree].reverse();
  if (scope.kind === 'trusted') return [accountId, ...upwards];
  if (scope.by === accountId) return [accountId];
  const reach = upwards.indexOf(scope.by);
  return reach === -1 ? [] : [accountId, ...upwards.slice(0, reach + 1)];
}

/**
 * Call state is kept apart per scope: posted events never fold into the call Kazoo reports (and
 * so into summaries an ancestor's hook receives), nor the other way round.
 */
export function scopedCallKey(callKey: string, scope: EventScope): string {
  return scope.kind === 'trusted' ? callKey : `posted/${scope.by}/${callKey}`;
}

export function scopeOfCallKey(stateKey: string): EventScope {
  const match = /^posted\/([^/]+)\//.exec(stateKey);
  return match?.[1] === undefined ? trustedScope : { kind: 'posted', by: match[1] };
}

/** Posted events are named apart from Kazoo's, so a posted copy never stands in for the real one. */
export function scopedEventKey(key: string, scope: EventScope): string {
  return scope.kind === 'trusted' ? key : `posted/${scope.by}/${key}`;
}
