/**
 * Crossbar's query-string filters over documents, ANDed: `filter_{path}=v` (value at the dotted
 * path, as text, equals v), `filter_not_{path}=v`, `has_key=path`, `key_missing=path`.
 * Other parameters are ignored, as Crossbar ignores unknown ones (Monster's `_` cache buster).
 */
import { getPath, isJsonObject, type JsonObject, type JsonValue } from './json.js';

export type DocFilter = (doc: JsonObject) => boolean;

function asText(value: JsonValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isJsonObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

function values(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

export function parseFilters(query: Record<string, string | string[] | undefined>): DocFilter[] {
  const filters: DocFilter[] = [];
  for (const [name, raw] of Object.entries(query)) {
    for (const value of values(raw)) {
      if (name.startsWith('filter_not_')) {
        const path = name.slice('filter_not_'.length);
        filters.push((doc) => asText(getPath(doc, path)) !== value);
      } else if (name.startsWith('filter_')) {
        const path = name.slice('filter_'.length);
        filters.push((doc) => asText(getPath(doc, path)) === value);
      } else if (name === 'has_key') {
        filters.push((doc) => getPath(doc, value) !== undefined);
      } else if (name === 'key_missing') {
        filters.push((doc) => getPath(doc, value) === undefined);
      }
    }
  }
  return filters;
}

export function matchesAll(doc: JsonObject, filters: readonly DocFilter[]): boolean {
  return filters.every((filter) => filter(doc));
}
