import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { ConflictError } from '../../errors.js';

const duplicateKey = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === duplicateKey;
}

/** Runs a write, turning a duplicate-key error (an `_id` or unique index) into the app's ConflictError. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, reason: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError(reason);
    throw error;
  }
}

/**
 * For an unordered insertMany that failed: the batch indexes refused only because their `_id`
 * already existed. Any other failure (or a write-concern error) is rethrown.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) throw error;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== duplicateKey)) throw error;
  return new Set(writeErrors.map((e) => e.index));
}
