/**
 * Kazoo's key normalisation (`kz_json:normalize`, `normalize_jobj/3`), which the parking and
 * notifications modules apply to AMQP messages before sending them: every key lower-cased with
 * `-` → `_`, recursively (objects inside lists too), `null` values dropped, key order kept. When two
 * keys normalise to the same name the later value wins, in the earlier key's place (kz_json's
 * set_value replaces in place). Kazoo lower-cases byte by byte, which mangles UTF-8 keys (it
 * treats lead bytes as Latin-1 capitals); callhook lower-cases ASCII only and leaves other
 * characters as they are.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

export function normalizeKey(key: string): string {
  return key.replace(/[A-Z-]/g, (ch) => (ch === '-' ? '_' : ch.toLowerCase()));
}

function normalizeValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(normalizeValue);
  return isJsonObject(value) ? normalize(value) : value;
}

export function normalize(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === null) continue;
    out[normalizeKey(key)] = normalizeValue(value);
  }
  return out;
}

/** `kz_json:normalize_jobj(JObj, RemoveKeys, [])`: the top-level keys removed, then normalised. */
export function normalizeWithout(doc: JsonObject, removeKeys: readonly string[]): JsonObject {
  const removed = new Set(removeKeys);
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (!removed.has(key)) kept[key] = value;
  return normalize(kept);
}
