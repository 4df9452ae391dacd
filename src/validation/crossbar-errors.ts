/**
 * The single translation from ajv's errors to Crossbar's validation-error body:
 * `{ "<dotted.path>": { "<keyword>": { "message": …, "target"?: …, "value"?: … } } }`.
 * Messages are Kazoo's (kz_json_schema), so clients matching on them keep working.
 */
import type { ErrorObject } from 'ajv';
import type { ValidationDetails } from '../errors.js';

/** A literal dot inside a key is written %2E, as Kazoo does, so paths stay unambiguous. */
function pathFromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~').replace(/\./g, '%2E'));
}

type Detail = Record<string, unknown>;

const describe: Record<string, (error: ErrorObject) => Detail> = {
  required: (e) => ({ message: 'Field is required but missing', value: e.params['missingProperty'] }),
  enum: (e) => ({
    message: 'Value not found in enumerated list of values',
    target: e.params['allowedValues'],
    value: e.data,
  }),
  type: (e) => ({
    message: `Value did not match type(s): ${String(e.params['type'])}`,
    target: e.params['type'],
    value: e.data,
  }),
  minimum: (e) => ({ message: `Value must be at least ${String(e.params['limit'])}`, target: e.params['limit'], value: e.data }),
  maximum: (e) => ({ message: `Value must be at most ${String(e.params['limit'])}`, target: e.params['limit'], value: e.data }),
  minLength: (e) => ({
    message: `String must be at least ${String(e.params['limit'])} characters`,
    target: e.params['limit'],
    value: e.data,
  }),
  maxLength: (e) => ({
    message: `String must not be more than ${String(e.params['limit'])} characters`,
    target: e.params['limit'],
    value: e.data,
  }),
  pattern: (e) => ({
    message: `Failed to match pattern '${String(e.params['pattern'])}'`,
    target: e.params['pattern'],
    value: e.data,
  }),
  minItems: (e) => ({ message: `The list needs at least ${String(e.params['limit'])} items`, target: e.params['limit'] }),
  maxItems: (e) => ({ message: `The list is more than ${String(e.params['limit'])} items`, target: e.params['limit'] }),
};

function keyOf(error: ErrorObject): string {
  const parts = pathFromPointer(error.instancePath);
  if (error.keyword === 'required') parts.push(String(error.params['missingProperty']).replace(/\./g, '%2E'));
  // propertyNames errors carry the offending key, not a path to a value.
  if (typeof error.propertyName === 'string') parts.push(error.propertyName.replace(/\./g, '%2E'));
  return parts.join('.');
}

export function toValidationDetails(errors: readonly ErrorObject[]): ValidationDetails {
  const details: ValidationDetails = {};
  for (const error of errors) {
    if (error.keyword === 'propertyNames') continue; // its inner error names the key
    const key = keyOf(error);
    const describer = describe[error.keyword] ?? ((e: ErrorObject): Detail => ({ message: e.message ?? 'invalid' }));
    const detail = describer(error);
    if (typeof error.propertyName === 'string') detail['value'] = error.propertyName;
    details[key] = { ...(details[key] ?? {}), [error.keyword]: detail };
  }
  return details;
}

/** Merges several detail objects (schema errors plus domain checks) into one body. */
export function mergeDetails(...parts: ValidationDetails[]): ValidationDetails {
  const out: ValidationDetails = {};
  for (const part of parts) {
    for (const [key, byKeyword] of Object.entries(part)) out[key] = { ...(out[key] ?? {}), ...byKeyword };
  }
  return out;
}
