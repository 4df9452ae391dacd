import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent } from '../../src/domain/call-event.js';
import { businessHoursAt } from '../../src/domain/calls/business-hours.js';
import { foldCall } from '../../src/domain/calls/call-state.js';
import { formatAmount, legCostUnits } from '../../src/domain/calls/rating.js';
import { callStatus } from '../../src/domain/calls/status.js';
import { isoInZone, isTimeZone, wallClock } from '../../src/domain/calls/zoned-time.js';
import { buildCallEvent } from '../support/factories.js';

describe('call summary pieces', () => {
  it('rates a leg with Kazoo’s formula, in units', () => {
    const ccvs = { Rate: '3000', 'Rate-Increment': '6', 'Rate-Minimum': '6', Surcharge: '500' };
    assert.equal(legCostUnits(ccvs, 23), 1700);
    assert.equal(legCostUnits(ccvs, 4), 800, 'under the minimum: minimum charged');
    assert.equal(legCostUnits(ccvs, 0), 0, 'never connected');
    assert.equal(legCostUnits({ ...ccvs, 'Rate-NoCharge-Time': '30' }, 23), 0, 'within the free seconds');
    assert.equal(legCostUnits({ ...ccvs, 'Discount-Percentage': '10' }, 23), 1530);
    assert.equal(legCostUnits({}, 600), 0, 'unrated');
    assert.equal(legCostUnits({ Rate: '1000', 'Rate-Increment': '0' }, 61), 2000, 'increment 0 means 60');
    assert.deepEqual([formatAmount(0), formatAmount(1700), formatAmount(172_800), formatAmount(27_000)], ['0.0', '0.17', '17.28', '2.7']);
  });

  it('writes times in the zone, with milliseconds and the offset of that instant', () => {
    assert.equal(isoInZone(Date.UTC(2011, 0, 1, 3, 11, 0, 5), 'America/Sao_Paulo'), '2011-01-01T01:11:00.005-02:00', 'DST then');
    assert.equal(isoInZone(Date.UTC(2024, 6, 1, 12, 0, 0), 'America/Sao_Paulo'), '2024-07-01T09:00:00.000-03:00');
    assert.equal(isoInZone(Date.UTC(2024, 6, 1, 12, 0, 0), 'Asia/Kolkata'), '2024-07-01T17:30:00.000+05:30');
    assert.equal(isoInZone(Date.UTC(2024, 6, 1, 12, 0, 0), 'UTC'), '2024-07-01T12:00:00.000+00:00');
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });

  it('reads UTC without Intl exactly as Intl reads it (Etc/UTC is the same zone through Intl)', () => {
    assert.equal(isTimeZone('UTC'), true);
    // Every day of the week, month ends, leap days, and instants spread over two centuries.
    const instants = [
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2023, 11, 31, 0, 0, 0),
      Date.UTC(1970, 0, 1),
      Date.UTC(2100, 2, 1, 12),
    ];
    // 2,000 more, scattered over 1970-2169 (a stride coprime to the count, plus odd milliseconds).
    const spread = Array.from({ length: 2_000 }, (_, i) => Math.floor((((i * 7_919) % 2_000) / 2_000) * 6.3e12) + i * 37_003);
    instants.push(...spread);
    for (const ms of instants) {
      assert.deepEqual(wallClock(ms, 'UTC'), wallClock(ms, 'Etc/UTC'), new Date(ms).toISOString());
      assert.equal(isoInZone(ms, 'UTC'), new Date(ms).toISOString().replace('Z', '+00:00'));
    }
  });

  it('judges business hours in the account’s zone; no schedule is null', () => {
    const hours = { mon: ['09:00-12:00', '13:00-18:00'], sun: ['00:00-24:00'] };
    const mondayAt = (h: number, m = 0) => Date.UTC(2024, 0, 1, h + 3, m); // Monday, São Paulo local h:m
    assert.equal(businessHoursAt(hours, mondayAt(9), 'America/Sao_Paulo'), 'worktime');
    assert.equal(businessHoursAt(hours, mondayAt(12, 30), 'America/Sao_Paulo'), 'offtime', 'lunch');
    assert.equal(businessHoursAt(hours, mondayAt(18), 'America/Sao_Paulo'), 'offtime', 'end is exclusive');
    assert.equal(businessHoursAt(hours, Date.UTC(2024, 0, 2, 15), 'America/Sao_Paulo'), 'offtime', 'a day not listed');
    assert.equal(businessHoursAt(hours, Date.UTC(2024, 0, 7, 23, 59), 'UTC'), 'worktime', 'whole day');
    assert.equal(businessHoursAt(undefined, mondayAt(9), 'UTC'), null);
  });

  describe('status from the legs', () => {
    const account = 'acc';
    const leg = (callId: string, direction: string, cause: string, answered = false) => {
      const headers = { 'Call-Direction': direction, 'Hangup-Cause': cause, 'Billing-Seconds': answered ? 10 : 0 };
      const events: CallEvent[] = [
        buildCallEvent('CHANNEL_CREATE', { accountId: account, callId, headers: { 'Call-Direction': direction } }),
      ];
      if (answered) events.push(buildCallEvent('CHANNEL_ANSWER', { accountId: account, callId, headers: { 'Call-Direction': direction } }));
      events.push(buildCallEvent('CHANNEL_DESTROY', { accountId: account, callId, headers }));
      return events;
    };
    const status = (...legs: ReturnType<typeof leg>[]) => callStatus(foldCall(legs.flat()));

    it('answered when a leg it was offered to answered, whatever the hangup', () => {
      assert.deepEqual(status(leg('a', 'inbound', 'NORMAL_CLEARING', true), leg('b', 'outbound', 'NORMAL_CLEARING', true)), {
        status: 'answered',
        details: 'normal_clearing',
      });
    });
    it('an IVR answering the caller is not being connected to someone', () => {
      assert.equal(status(leg('a', 'inbound', 'NORMAL_CLEARING', true)).status, 'missed');
    });
    it('busy only when every offered leg was busy', () => {
      assert.deepEqual(status(leg('a', 'inbound', 'USER_BUSY'), leg('b', 'outbound', 'USER_BUSY')), {
        status: 'busy',
        details: 'user_busy',
      });
      assert.equal(
        status(leg('a', 'inbound', 'NORMAL_CLEARING'), leg('b', 'outbound', 'USER_BUSY'), leg('c', 'outbound', 'NO_ANSWER')).status,
        'missed',
      );
      assert.equal(status(leg('a', 'inbound', 'CALL_REJECTED')).status, 'busy');
    });
    it('failed when the call could not be placed', () => {
      assert.deepEqual(status(leg('a', 'inbound', 'UNALLOCATED_NUMBER')), { status: 'failed', details: 'unallocated_number' });
      assert.deepEqual(status(leg('a', 'inbound', 'NORMAL_TEMPORARY_FAILURE'), leg('b', 'outbound', 'SUBSCRIBER_ABSENT')), {
        status: 'failed',
        details: 'normal_temporary_failure',
      });
    });
    it('is complete only when the caller and every leg hung up', () => {
      const open = foldCall([
        ...leg('a', 'inbound', 'NORMAL_CLEARING'),
        buildCallEvent('CHANNEL_CREATE', { accountId: account, callId: 'b', headers: { 'Call-Direction': 'outbound' } }),
      ]);
      assert.equal(open.complete, false);
      assert.equal(foldCall(leg('a', 'inbound', 'NORMAL_CLEARING')).complete, true);
      assert.equal(foldCall(leg('b', 'outbound', 'NORMAL_CLEARING')).aLeg?.callId, 'b', 'a call Kazoo placed itself: its first leg');
    });
  });
});
