/**
 * What the API does to a webhook body before and after schema validation (pure). Kazoo drops
 * private (`pvt_*`) and underscore keys; `id` and `disable_reason` are server-owned and are not
 * stored in the document, though clients (Monster UI, the PHP SDK) echo them back on update.
 */
import type { ValidationDetails } from '../errors.js';
import type { HookCatalog } from './hook-types.js';
import { isJsonObject, type JsonObject } from './json.js';

const serverOwned = new Set(['id', 'disable_reason']);

export function sanitizeInput(data: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('_') || key.startsWith('pvt_') || serverOwned.has(key)) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Kazoo's modifier check: an `object` hook must say which object type and action it wants in
 * `custom_data`, a `notifications` hook which notification. Keyed `custom_data.<modifier>` as in
 * Kazoo master (4.3 used the bare modifier name, which pointed at the wrong field).
 */
export function modifierProblems(doc: JsonObject, catalog: HookCatalog): ValidationDetails {
  const hook = doc['hook'];
  if (typeof hook !== 'string' || hook === 'all') return {};
  const type = catalog.find(hook);
  if (type?.modifiers === undefined) return {};
  const custom = isJsonObject(doc['custom_data']) ? doc['custom_data'] : {};
  const problems: ValidationDetails = {};
  for (const [key, modifier] of Object.entries(type.modifiers)) {
    const value = custom[key];
    const path = `custom_data.${key}`;
    if (value === undefined) {
      problems[path] = { required: { message: 'missing required modifier' } };
    } else if (typeof value !== 'string' || !modifier.items.some((item) => item.id === value)) {
      problems[path] = {
        enum: { message: 'value not found in enumerated list of values', cause: value, target: modifier.items.map((item) => item.id) },
      };
    }
  }
  return problems;
}

/**
 * Kazoo caps `retries` at 4; a hook with its own `retry_schedule` may retry once per entry, each
 * wait at least `minDelaySeconds` (a schedule of zeros turned one event into a burst of requests).
 * Reported in the schema's own `maximum`/`minimum` shapes so clients see one kind of error.
 */
export function retriesProblems(doc: JsonObject, minDelaySeconds: number): ValidationDetails {
  const problems: ValidationDetails = {};
  const retries = doc['retries'];
  const schedule = doc['retry_schedule'];
  const limit = Array.isArray(schedule) ? schedule.length : 4;
  if (typeof retries === 'number' && retries > limit) {
    problems['retries'] = { maximum: { message: `Value must be at most ${limit}`, target: limit, value: retries } };
  }
  const tooShort = Array.isArray(schedule)
    ? schedule.find((seconds) => typeof seconds === 'number' && seconds < minDelaySeconds)
    : undefined;
  if (tooShort !== undefined) {
    problems['retry_schedule'] = {
      minimum: { message: `Each wait must be at least ${minDelaySeconds} seconds`, target: minDelaySeconds, value: tooShort },
    };
  }
  return problems;
}
