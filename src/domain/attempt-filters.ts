/**
 * Crossbar's `filter_{key}=v` / `filter_not_{key}=v` on the attempts log. Unlike listings of a
 * few hooks, the log is paged in the store, so filters are conditions the store applies, on a
 * fixed set of text fields (the ones worth filtering on). A filter on any other key, a repeated
 * one, or more than `maxAttemptFilters` are a 400 rather than silently ignored.
 */
import { BadRequestError } from '../errors.js';

export const attemptFilterFields = [
  'hook_id',
  'hook_event',
  'result',
  'reason',
  'method',
  'resp_status_code',
  'delivery_id',
  'event_id',
  'client_error',
] as const;

export type AttemptFilterField = (typeof attemptFilterFields)[number];

export interface AttemptCondition {
  field: AttemptFilterField;
  value: string;
  /** `filter_not_`: the field is missing or differs. */
  negate: boolean;
}

export const maxAttemptFilters = 10;
export const maxAttemptFilterValueLength = 256;

const known = new Set<string>(attemptFilterFields);

function refuse(parameter: string, message: string): BadRequestError {
  return new BadRequestError('invalid_filter', { parameter, message, filterable: [...attemptFilterFields] });
}

export function parseAttemptFilters(query: Record<string, string | string[] | undefined>): AttemptCondition[] {
  const conditions: AttemptCondition[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (name === 'has_key' || name === 'key_missing') throw refuse(name, `${name} is not supported on attempts`);
    if (!name.startsWith('filter_') || raw === undefined) continue;
    const negate = name.startsWith('filter_not_');
    const field = name.slice(negate ? 'filter_not_'.length : 'filter_'.length);
    if (!known.has(field)) throw refuse(name, `attempts cannot be filtered on ${JSON.stringify(field)}`);
    if (Array.isArray(raw)) throw refuse(name, `${name} is given more than once`);
    if (raw.length > maxAttemptFilterValueLength) throw refuse(name, `longer than ${maxAttemptFilterValueLength} characters`);
    conditions.push({ field: field as AttemptFilterField, value: raw, negate });
  }
  if (conditions.length > maxAttemptFilters) throw refuse('filter_*', `at most ${maxAttemptFilters} filters`);
  return conditions;
}
