/**
 * Crossbar paging: `page_size` (default from config), opaque `start_key` / `next_start_key`,
 * `paginate=false` for everything. Keys come from the one cursor codec (domain/page-cursor.ts), so a
 * key no listing could have issued is a 400 everywhere.
 */
import { decodeIdCursor, encodeIdCursor } from '../domain/page-cursor.js';
import type { PageRequest } from '../storage/store.js';
import type { PageFields } from './envelope.js';

export interface PagingQuery {
  paginate: boolean;
  request: PageRequest;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function readPaging(query: Record<string, string | string[] | undefined>, defaultPageSize: number): PagingQuery {
  if (first(query['paginate']) === 'false') return { paginate: false, request: {} };
  const size = Number(first(query['page_size']));
  const startKey = first(query['start_key']);
  return {
    paginate: true,
    request: {
      limit: Number.isInteger(size) && size > 0 ? size : defaultPageSize,
      ...(startKey !== undefined && startKey !== '' ? { startKey } : {}),
    },
  };
}

export function pageFields(paging: PagingQuery, itemCount: number, nextStartKey: string | undefined): PageFields | undefined {
  if (!paging.paginate) return undefined;
  return {
    pageSize: itemCount,
    ...(paging.request.startKey !== undefined ? { startKey: paging.request.startKey } : {}),
    ...(nextStartKey !== undefined ? { nextStartKey } : {}),
  };
}

/**
 * Pages through an in-memory list sorted by key in the direction given (small lists: an account's
 * hooks). Resuming starts at the first key at or past the start key, so a page boundary survives
 * the deletion of the item it pointed at.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  descending: boolean,
): { items: T[]; nextStartKey?: string } {
  let start = 0;
  if (request.startKey !== undefined) {
    const key = decodeIdCursor(request.startKey);
    const index = items.findIndex((item) => (descending ? keyOf(item) <= key : keyOf(item) >= key));
    start = index === -1 ? items.length : index;
  }
  if (request.limit === undefined) return { items: items.slice(start) };
  const page = items.slice(start, start + request.limit);
  const next = items[start + request.limit];
  return next === undefined ? { items: page } : { items: page, nextStartKey: encodeIdCursor(keyOf(next)) };
}
