/**
 * Reading numbers out of the query string. Every numeric parameter has a range, and a value
 * outside it (or not a whole number written in digits: `1e20`, `1.5`, `0x10`, `NaN`) is a 400 in
 * Crossbar's validation shape naming the parameter, with the messages ajv errors get, so nothing
 * a client writes in a URL reaches a store or a Date as a number it cannot hold.
 */
import { GREGORIAN_OFFSET_SECONDS, unixMsToGregorian } from '../domain/call-event.js';
import { ValidationError } from '../errors.js';

export type Query = Record<string, string | string[] | undefined>;

export interface Range {
  minimum: number;
  maximum: number;
}

/** Attempt windows: Gregorian seconds from 1970-01-01 to the last second of the year 9999. */
export const gregorianRange: Range = {
  minimum: GREGORIAN_OFFSET_SECONDS,
  maximum: unixMsToGregorian(Date.UTC(9999, 11, 31, 23, 59, 59)),
};

/** Crossbar reads the first of repeated parameters (`?page_size=1&page_size=2` is 1). */
export function firstParam(query: Query, name: string): string | undefined {
  const raw = query[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

// Linear: one optional sign, then digits; nothing can backtrack.
const wholeNumber = /^-?\d+$/;

/** The parameter as a whole number within `range`, undefined when absent; a 400 otherwise. */
export function integerParam(query: Query, name: string, range: Range): number | undefined {
  const text = firstParam(query, name);
  if (text === undefined) return undefined;
  if (!wholeNumber.test(text)) {
    throw ValidationError.single(name, 'type', { message: 'Value did not match type(s): integer', target: 'integer', value: text });
  }
  const value = Number(text);
  if (value < range.minimum) {
    throw ValidationError.single(name, 'minimum', {
      message: `Value must be at least ${range.minimum}`,
      target: range.minimum,
      value: text,
    });
  }
  if (value > range.maximum) {
    throw ValidationError.single(name, 'maximum', {
      message: `Value must be at most ${range.maximum}`,
      target: range.maximum,
      value: text,
    });
  }
  return value;
}
