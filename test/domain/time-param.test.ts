import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GREGORIAN_OFFSET_SECONDS } from '../../src/domain/call-event.js';
import { parseTimeParam } from '../../src/domain/time-param.js';

function ms(text: string): number | string {
  const parsed = parseTimeParam(text);
  return parsed.ok ? parsed.ms : parsed.problem;
}

describe('time parameters', () => {
  it('takes Gregorian seconds, as Crossbar does, to the second', () => {
    const unixSeconds = Date.UTC(2026, 0, 30, 14, 5) / 1000;
    assert.deepEqual(parseTimeParam(String(unixSeconds + GREGORIAN_OFFSET_SECONDS)), {
      ok: true,
      ms: unixSeconds * 1000,
      precision: 'second',
    });
  });

  it('takes ISO 8601 dates and times with a zone, to the precision written', () => {
    assert.equal(ms('2026-01-30'), Date.UTC(2026, 0, 30));
    assert.equal(ms('2026-01-30T14:05Z'), Date.UTC(2026, 0, 30, 14, 5));
    assert.equal(ms('2026-01-30T14:05:07-03:00'), Date.UTC(2026, 0, 30, 17, 5, 7));
    assert.equal(ms('2026-01-30T14:05:07+0530'), Date.UTC(2026, 0, 30, 8, 35, 7));
    assert.deepEqual(parseTimeParam('2026-01-30T14:05:07.250Z'), {
      ok: true,
      ms: Date.UTC(2026, 0, 30, 14, 5, 7, 250),
      precision: 'millisecond',
    });
  });

  it('refuses a time without a zone, impossible dates, other formats and far-off years', () => {
    assert.match(String(ms('2026-01-30T14:05:00')), /no zone/);
    assert.match(String(ms('2026-02-30')), /not a valid date/);
    assert.match(String(ms('2026-02-29T10:00Z')), /not a valid date/);
    assert.equal(ms('2028-02-29T10:00Z'), Date.UTC(2028, 1, 29, 10));
    assert.match(String(ms('2026-01-30T25:00Z')), /not a valid/);
    assert.match(String(ms('yesterday')), /not a time/);
    assert.match(String(ms('1769781900')), /out of range/, 'Unix seconds are not Gregorian seconds');
    assert.match(String(ms('1969-12-31')), /out of range/);
    assert.match(String(ms('')), /not a time/);
  });
});
