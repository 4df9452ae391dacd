/** JSON values as they come off the wire and go into the store. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a dotted path (`custom_data.type`) out of a JSON object. */
export function getPath(doc: JsonObject, dottedPath: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const key of dottedPath.split('.')) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * About how many characters `value` takes as JSON, without building the text: a cheap bound for
 * deciding whether a payload may be encoded at all. Strings count their length plus quotes.
 */
export function approximateJsonLength(value: JsonValue | undefined): number {
  if (value === undefined || value === null) return 4;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object') return 16;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) total += approximateJsonLength(item) + 1;
    return total;
  }
  for (const [key, item] of Object.entries(value)) total += key.length + 4 + approximateJsonLength(item);
  return total;
}
