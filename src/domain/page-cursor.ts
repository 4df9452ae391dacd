/**
 * Page cursors. A cursor names the first item of the next page (Crossbar's next_start_key), so
 * resuming is inclusive and a page boundary survives the deletion of the item it points at.
 * base64url keeps them opaque; a key we could not have issued is a 400, not an empty page.
 */
import { BadRequestError } from '../errors.js';

function invalid(): BadRequestError {
  return new BadRequestError('invalid_start_key', { message: 'start_key is not valid' });
}

function decode(key: string): string {
  const text = Buffer.from(key, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== key) throw invalid();
  return text;
}

export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeIdCursor(key: string): string {
  return decode(key);
}

/** Attempts page on (createdAt desc, id desc); the cursor carries both so ties on time stay stable. */
export function encodeTimeCursor(createdAt: Date, id: string): string {
  return encodeIdCursor(`${createdAt.getTime()}:${id}`);
}

export function decodeTimeCursor(key: string): { ms: number; id: string } {
  const text = decode(key);
  const colon = text.indexOf(':');
  const ms = Number(text.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(ms)) throw invalid();
  return { ms, id: text.slice(colon + 1) };
}
