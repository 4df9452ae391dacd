/** Client-chosen document ids on create (Kazoo honours a body `id`), limited to Kazoo's own form. */
import { ValidationError } from '../errors.js';

const idPattern = /^[0-9a-f]{32}$/;

/** Returns the requested id, undefined when none was given; throws a Crossbar validation error otherwise. */
export function requestedId(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && idPattern.test(value)) return value;
  throw ValidationError.single('id', 'pattern', {
    message: `Failed to match pattern '${idPattern.source}'`,
    target: idPattern.source,
    value,
  });
}
