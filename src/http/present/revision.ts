import { createHash } from 'node:crypto';

/** Kazoo revisions look like CouchDB's `N-hash`; clients treat them as opaque. */
export function revisionOf(record: { id: string; revision: number; modifiedAt: Date }): string {
  const hash = createHash('md5').update(`${record.id}:${record.revision}:${record.modifiedAt.getTime()}`).digest('hex');
  return `${record.revision}-${hash}`;
}
