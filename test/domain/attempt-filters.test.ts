import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../src/errors.js';
import { maxAttemptFilters, parseAttemptFilters } from '../../src/domain/attempt-filters.js';

function refusal(query: Record<string, string | string[]>): string {
  try {
    parseAttemptFilters(query);
  } catch (error) {
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.code, 'invalid_filter');
    return (error.details as { message: string }).message;
  }
  throw new Error('accepted');
}

describe('attempt filters', () => {
  it('reads filter_ and filter_not_ on known fields and ignores other parameters', () => {
    assert.deepEqual(parseAttemptFilters({ filter_result: 'failure', filter_not_hook_event: 'ping', page_size: '5', _: '123' }), [
      { field: 'result', value: 'failure', negate: false },
      { field: 'hook_event', value: 'ping', negate: true },
    ]);
  });

  it('refuses unknown fields, repeats, long values, key tests and too many filters', () => {
    assert.match(refusal({ filter_req_body: 'x' }), /cannot be filtered on "req_body"/);
    assert.match(refusal({ filter_result: ['success', 'failure'] }), /more than once/);
    assert.match(refusal({ filter_result: 'x'.repeat(257) }), /longer than 256/);
    assert.match(refusal({ has_key: 'client_error' }), /not supported/);
    const many = Object.fromEntries(
      ['hook_id', 'hook_event', 'result', 'reason', 'method', 'resp_status_code', 'delivery_id', 'event_id', 'client_error'].flatMap(
        (f) => [
          [`filter_${f}`, 'a'],
          [`filter_not_${f}`, 'b'],
        ],
      ),
    );
    assert.match(refusal(many), new RegExp(`at most ${maxAttemptFilters}`));
  });
});
