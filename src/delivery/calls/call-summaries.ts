/**
 * Atende-Simples-style call events built from Kazoo's channel events: `call.newcall` when the
 * caller's leg is created, `call.finished` once the call and all its legs have hung up (after a
 * settle time for late leg events), `call.audio_available` per recording once the call is over.
 *
 * Every instance appends the events it receives to the call's record in the store; the call is
 * folded from all of them, so events of one call may reach different instances, out of order or
 * twice. Each summary is stored in the outbox under an id derived from the call and the hook, so
 * however often it is produced, each hook gets it once.
 */
import type { Logger } from 'pino';
import { toCallEvent, type CallEvent } from '../../domain/call-event.js';
import { foldCall, recordingKeyOf, type CallState, type Recording } from '../../domain/calls/call-state.js';
import { callKeyOf } from '../../domain/calls/grouping.js';
import { deliveryId } from '../../domain/delivery-id.js';
import { accountsInScope, scopedCallKey, scopeOfCallKey, type EventScope } from '../../domain/event-scope.js';
import { selectHooks } from '../../domain/hook-match.js';
import { atendePayload, buildCallObject, type AtendeEventCode } from '../../domain/payloads/atende.js';
import type { Webhook } from '../../domain/webhook.js';
import { PollLoop } from '../../lib/poll-loop.js';
import { OncePer } from '../../lib/once-per.js';
import type { CallLimits, CallRecord, Store, StoredCallEvent } from '../../storage/store.js';
import type { AccountDirectory, AccountFacts } from '../account-directory.js';
import type { DeliveryPlanner } from '../outbox/outbox.js';

export interface CallSummaryOptions {
  owner: string;
  leaseMs: number;
  /** How long a call must stay over before call.finished goes out (late leg events). */
  settleMs: number;
  /** How long call state is kept after its last event. */
  stateTtlMs: number;
  /** What one call may hold: a call that never ends (or a flood under one Call-ID) stops growing there. */
  limits: CallLimits;
  pollIntervalMs: number;
  /** Default time zone for accounts without `timezone`. */
  timeZone: string;
  recordingUrlTemplate: string | null;
}

const summaryHooks = ['call.newcall', 'call.finished', 'call.audio_available'] as const;
const checkBatch = 100;

/** Hooks of `candidates` that take `code` (`all` hooks get Kazoo's events only). */
function hooksFor(code: AtendeEventCode, account: AccountFacts, candidates: readonly Webhook[]): Webhook[] {
  return selectHooks({ hookName: code, eventAccountId: account.id, ancestorIds: account.tree, hooks: candidates, allHooks: false });
}

function parsed(events: readonly StoredCallEvent[]): CallEvent[] {
  return events.map(({ body }) => toCallEvent(body)).filter((event): event is CallEvent => !('error' in event));
}

/** Events that can start a call, end it or carry a recording; the others only matter to the final fold. */
function changesOutcome(event: CallEvent): boolean {
  return event.name === 'CHANNEL_CREATE' || event.name === 'CHANNEL_DESTROY' || event.name === 'RECORD_STOP';
}

export class CallSummaries {
  private readonly loop: PollLoop;
  /** A full call is warned about once (per instance), not per event. */
  private readonly fullCalls = new OncePer(24 * 3_600_000);

  constructor(
    private readonly store: Store,
    private readonly accounts: AccountDirectory,
    private readonly outbox: DeliveryPlanner,
    private readonly options: CallSummaryOptions,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(async () => (await this.checkDue()) === checkBatch, options.pollIntervalMs, log, 'call summary check');
  }

  /** Records the event if the account (or an ancestor) has call.* hooks; returns deliveries stored. */
  async track(
    event: CallEvent,
    key: string,
    account: AccountFacts,
    candidates: readonly Webhook[],
    receivedAt: Date,
    scope: EventScope,
  ): Promise<number> {
    // Most events meet no call.* hook at all: skip the matching then.
    if (event.isLoopback || !candidates.some((hook) => hook.settings.hook.startsWith('call.'))) return 0;
    const wanted = summaryHooks.some((code) => hooksFor(code, account, candidates).length > 0);
    if (!wanted) return 0;
    const callKey = scopedCallKey(callKeyOf(event), scope);
    const appended = await this.store.appendCallEvent(
      account.id,
      callKey,
      { key, body: event.raw, receivedAt },
      new Date(receivedAt.getTime() + this.options.stateTtlMs),
      this.options.limits,
    );
    if (appended === 'full' && this.fullCalls.due(`${account.id}|${callKey}`)) {
      this.log.warn(
        { account_id: account.id, call_key: callKey, event: event.name, ...this.options.limits },
        'call holds as many events as it may (CALLHOOK_MAX_CALL_EVENTS / CALLHOOK_MAX_CALL_BYTES): later events of it still reach channel hooks, its summary is built from those kept',
      );
    }
    if (appended !== 'added' || !changesOutcome(event)) return 0;
    const state = foldCall(parsed(await this.store.listCallEvents(account.id, callKey)));
    let stored = 0;
    if (event.name === 'CHANNEL_CREATE' && event.callDirection === 'inbound' && state.aLeg?.callId === event.callId) {
      // What is known as the call starts, whatever other events of it were processed first.
      stored += await this.emit('call.newcall', account, candidates, callKey, foldCall([event]), receivedAt);
    }
    if (state.complete) await this.store.scheduleCallCheck(account.id, callKey, new Date(Date.now() + this.options.settleMs));
    if (event.name === 'RECORD_STOP') {
      // Appended first, then checked: if the call was judged over before our append, the
      // finisher may have missed this recording, so it is announced here.
      const call = await this.store.getCall(account.id, callKey);
      const recording = state.recordings.find((r) => r.key === recordingKeyOf(event));
      if (call !== null && call.finishedAt !== null && recording !== undefined) {
        stored += await this.emit('call.audio_available', account, candidates, callKey, state, receivedAt, recording);
      }
    }
    return stored;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Claims calls whose completion check is due, sends the summaries of those that are over; returns how many it claimed. */
  async checkDue(): Promise<number> {
    const now = new Date();
    const claimed = await this.store.claimDueCalls(this.options.owner, now, new Date(now.getTime() + this.options.leaseMs), checkBatch);
    for (const call of claimed) {
      try {
        await this.finish(call, now);
      } catch (error) {
        // Its lease runs out and the check is claimed again.
        this.log.error({ err: error, account_id: call.accountId, call_key: call.callKey }, 'could not summarise a call');
      }
    }
    return claimed.length;
  }

  private async finish(call: CallRecord, claimedAt: Date): Promise<void> {
    const { accountId, callKey } = call;
    const owner = this.options.owner;
    const before = foldCall(parsed(await this.store.listCallEvents(accountId, callKey)));
    if (!before.complete) {
      await this.store.releaseCall(accountId, callKey, owner, false, claimedAt);
      return;
    }
    const finished = await this.store.markCallFinished(accountId, callKey, owner, new Date());
    if (finished === null) return;
    // Read again after marking it finished: a recording appended after this read is announced
    // by whoever appended it (it will see finishedAt).
    const state = foldCall(parsed(await this.store.listCallEvents(accountId, callKey)));
    const account = await this.accounts.lookup(accountId);
    if (account !== null) {
      const inScope = accountsInScope(accountId, account.tree, scopeOfCallKey(callKey));
      const candidates = await this.store.listEnabledWebhooks(inScope, { includeAutoDisabled: true });
      const at = finished.finishedAt ?? new Date();
      await this.emit('call.finished', account, candidates, callKey, state, at);
      for (const recording of state.recordings) {
        await this.emit('call.audio_available', account, candidates, callKey, state, at, recording);
      }
    }
    await this.store.releaseCall(accountId, callKey, owner, true, claimedAt);
  }

  private async emit(
    code: AtendeEventCode,
    account: AccountFacts,
    candidates: readonly Webhook[],
    callKey: string,
    state: CallState,
    eventAt: Date,
    recording?: Recording,
  ): Promise<number> {
    const hooks = hooksFor(code, account, candidates);
    if (hooks.length === 0) return 0;
    const object = buildCallObject(state, {
      accountId: account.id,
      timeZone: account.timezone ?? this.options.timeZone,
      businessHours: account.businessHours,
      recordingUrlTemplate: this.options.recordingUrlTemplate,
      ...(recording !== undefined ? { recording } : {}),
    });
    const eventKey = `${code}|${account.id}|${callKey}${recording !== undefined ? `|${recording.key}` : ''}`;
    return this.outbox.enqueue(hooks, (hook) => ({
      id: deliveryId(eventKey, hook.id),
      hook,
      hookEvent: code,
      payload: atendePayload(code, hook, object),
      eventAt,
    }));
  }
}
