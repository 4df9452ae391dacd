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
