/**
 * Crossbar paging: `page_size` (default from config, at most the configured maximum), opaque
 * `start_key` / `next_start_key`, `paginate=false` for everything. Keys come from the one cursor
 * codec (domain/page-cursor.ts), so a key no listing could have issued is a 400 everywhere.
 */
import { decodeIdCursor, encodeIdCursor } from '../domain/page-cursor.js';
import type { PageRequest } from '../storage/store.js';
import type { PageFields } from './envelope.js';
import { firstParam, integerParam, type Query } from './query-params.js';

export interface PagingQuery {
  paginate: boolean;
  request: PageRequest;
}

export interface PageLimits {
  /** `page_size` when the client names none. */
  pageSize: number;
  /** The largest `page_size` a client may ask for. */
  maxPageSize: number;
}

/**
 * `unpaginatedLimit` bounds `paginate=false` on a listing nothing else bounds (the attempts log):
 * the answer stops there and says so with `next_start_key`.
 */
export function readPaging(query: Query, limits: PageLimits, options: { unpaginatedLimit?: number } = {}): PagingQuery {
  const startKey = firstParam(query, 'start_key');
  const start = startKey !== undefined && startKey !== '' ? { startKey } : {};
  if (firstParam(query, 'paginate') === 'false') {
    return { paginate: false, request: options.unpaginatedLimit === undefined ? {} : { limit: options.unpaginatedLimit, ...start } };
  }
  const size = integerParam(query, 'page_size', { minimum: 1, maximum: limits.maxPageSize });
  return { paginate: true, request: { limit: size ?? limits.pageSize, ...start } };
}

export function pageFields(paging: PagingQuery, itemCount: number, nextStartKey: string | undefined): PageFields | undefined {
  // An unpaginated answer cut short by its bound still says where the rest begins.
  if (!paging.paginate) return nextStartKey === undefined ? undefined : { nextStartKey };
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
