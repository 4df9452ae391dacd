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
import { toCallEvent, type CallEvent } from '../domain/call-event.js';
import { foldCall, recordingKeyOf, type CallState, type Recording } from '../domain/calls/call-state.js';
import { callKeyOf } from '../domain/calls/grouping.js';
import { deliveryId } from '../domain/delivery-id.js';
import { selectHooks } from '../domain/hook-match.js';
import { atendePayload, buildCallObject, type AtendeEventCode } from '../domain/payloads/atende.js';
import type { CallRecord, Store, WebhookRecord } from '../storage/store.js';
import type { AccountDirectory, AccountFacts } from './account-directory.js';
import type { Outbox, Planned } from './outbox.js';

export interface CallSummaryOptions {
  owner: string;
  leaseMs: number;
  /** How long a call must stay over before call.finished goes out (late leg events). */
  settleMs: number;
  /** How long call state is kept after its last event. */
  stateTtlMs: number;
  pollIntervalMs: number;
  /** Default time zone for accounts without `timezone`. */
  timeZone: string;
  recordingUrlTemplate: string | null;
}

const summaryHooks = ['call.newcall', 'call.finished', 'call.audio_available'] as const;

/** Hooks of `candidates` that take `code`: named for it exactly (`all` hooks get Kazoo events only). */
function hooksFor(code: AtendeEventCode, account: AccountFacts, candidates: readonly WebhookRecord[]): WebhookRecord[] {
  return selectHooks({ hookName: code, eventAccountId: account.id, ancestorIds: account.tree, hooks: candidates }).filter(
    (hook) => String(hook.doc['hook']).toLowerCase() === code,
  );
}

function parsed(bodies: ReadonlyArray<{ body: Parameters<typeof toCallEvent>[0] }>): CallEvent[] {
  return bodies.map(({ body }) => toCallEvent(body)).filter((event): event is CallEvent => !('error' in event));
}

export class CallSummaries {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastSweep = 0;

  constructor(
    private readonly store: Store,
    private readonly accounts: AccountDirectory,
    private readonly outbox: Outbox,
    private readonly options: CallSummaryOptions,
    private readonly log: Logger,
  ) {}

  /** Records the event if the account (or an ancestor) has call.* hooks; returns deliveries stored. */
  async track(
    event: CallEvent,
    key: string,
    account: AccountFacts,
    candidates: readonly WebhookRecord[],
    receivedAt: Date,
  ): Promise<number> {
    if (event.isLoopback) return 0;
    const wanted = summaryHooks.some((code) => hooksFor(code, account, candidates).length > 0);
    if (!wanted) return 0;
    const callKey = callKeyOf(event);
    const fresh = await this.store.appendCallEvent(
      account.id,
      callKey,
      { key, body: event.raw, receivedAt },
      new Date(receivedAt.getTime() + this.options.stateTtlMs),
    );
    if (!fresh) return 0;
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
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.options.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.checkDue();
      if (Date.now() - this.lastSweep > 300_000) {
        this.lastSweep = Date.now();
        let removed = 0;
        for (let n = -1; n !== 0; removed += n) n = await this.store.deleteExpiredCalls(new Date(), 500);
        if (removed > 0) this.log.info({ calls: removed }, 'expired call state removed');
      }
    } catch (error) {
      this.log.error({ err: error }, 'call summary check failed; will try again');
    }
  }

  /** Claims calls whose completion check is due and sends the summaries of those that are over. */
  async checkDue(): Promise<number> {
    const now = new Date();
    const claimed = await this.store.claimDueCalls(this.options.owner, now, new Date(now.getTime() + this.options.leaseMs), 100);
    let stored = 0;
    for (const call of claimed) {
      try {
        stored += await this.finish(call, now);
      } catch (error) {
        // Its lease runs out and the check is claimed again.
        this.log.error({ err: error, account_id: call.accountId, call_key: call.callKey }, 'could not summarise a call');
      }
    }
    return stored;
  }

  private async finish(call: CallRecord, claimedAt: Date): Promise<number> {
    const { accountId, callKey } = call;
    const owner = this.options.owner;
    const before = foldCall(parsed(await this.store.listCallEvents(accountId, callKey)));
    if (!before.complete) {
      await this.store.releaseCall(accountId, callKey, owner, false, claimedAt);
      return 0;
    }
    const finished = await this.store.markCallFinished(accountId, callKey, owner, new Date());
    if (finished === null) return 0;
    // Read again after marking it finished: a recording appended after this read is announced
    // by whoever appended it (it will see finishedAt).
    const state = foldCall(parsed(await this.store.listCallEvents(accountId, callKey)));
    const account = await this.accounts.lookup(accountId);
    let stored = 0;
    if (account !== null) {
      const candidates = await this.store.listEnabledWebhooks([accountId, ...account.tree]);
      const at = finished.finishedAt ?? new Date();
      stored += await this.emit('call.finished', account, candidates, callKey, state, at);
      for (const recording of state.recordings) {
        stored += await this.emit('call.audio_available', account, candidates, callKey, state, at, recording);
      }
    }
    await this.store.releaseCall(accountId, callKey, owner, true, claimedAt);
    return stored;
  }

  private async emit(
    code: AtendeEventCode,
    account: AccountFacts,
    candidates: readonly WebhookRecord[],
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
    const planned: Planned[] = hooks.map((hook) => ({
      id: deliveryId(eventKey, hook.id),
      hook,
      hookEvent: code,
      payload: atendePayload(code, hook, object),
      eventAt,
    }));
    return this.outbox.enqueue(planned);
  }
}
