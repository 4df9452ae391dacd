import { ConflictError } from '../../errors.js';
import { sqliteCode } from './driver.js';

const uniqueViolations = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE']);

/** Runs a write, turning a primary-key or unique-index violation into the app's ConflictError. */
export function conflictOnDuplicate<T>(write: () => T, reason: string): T {
  try {
    return write();
  } catch (error) {
    const code = sqliteCode(error);
    if (code !== undefined && uniqueViolations.has(code)) throw new ConflictError(reason);
    throw error;
  }
}
