/**
 * Schemas compiled once with ajv, and Crossbar's lenient coercion: when an integer, number or
 * boolean property fails its type check with a string value that reads as that type ("3", "true"),
 * the value is converted in place and the document validated again. Strings are never produced
 * from other types, so `"name": 5` stays an error, as in Kazoo.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ValidationDetails } from '../errors.js';
import type { JsonObject } from '../domain/json.js';
import { loadSchema } from '../schemas.js';
import { toValidationDetails } from './crossbar-errors.js';

export type SchemaName = 'webhooks' | 'accounts' | 'api-auth' | 'kazoo-call-event';

export interface ValidationResult {
  ok: boolean;
  details: ValidationDetails;
}

function coerce(value: unknown, type: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: false };
  const types = Array.isArray(type) ? type : [type];
  const text = value.trim();
  if ((types.includes('integer') && /^-?\d+$/.test(text)) || (types.includes('number') && text !== '' && Number.isFinite(Number(text)))) {
    return { ok: true, value: Number(text) };
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return { ok: true, value: text === 'true' };
  return { ok: false };
}

/** Sets the value at a JSON pointer inside `root`; false when the pointer does not resolve. */
function setAtPointer(root: unknown, pointer: string, value: unknown): boolean {
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  if (last === undefined || pointer === '') return false;
  let node: unknown = root;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node !== 'object' || node === null) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

export class Validator {
  private readonly compiled = new Map<SchemaName, ValidateFunction>();

  constructor(names: readonly SchemaName[] = ['webhooks', 'accounts', 'api-auth', 'kazoo-call-event']) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
    for (const name of names) this.compiled.set(name, ajv.compile(loadSchema(name)));
  }

  /** Validates `doc` in place (defaults written, coercible strings converted). */
  validate(name: SchemaName, doc: JsonObject): ValidationResult {
    const validate = this.compiled.get(name);
    if (validate === undefined) throw new Error(`schema ${name} was not compiled`);
    let errors: ErrorObject[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      if (validate(doc)) return { ok: true, details: {} };
      errors = [...(validate.errors ?? [])];
      let changed = false;
      for (const error of errors) {
        if (error.keyword !== 'type') continue;
        const converted = coerce(error.data, error.params['type']);
        if (converted.ok && setAtPointer(doc, error.instancePath, converted.value)) changed = true;
      }
      if (!changed) break;
    }
    return { ok: false, details: toValidationDetails(errors) };
  }

  schema(name: SchemaName): Record<string, unknown> {
    return loadSchema(name);
  }
}
