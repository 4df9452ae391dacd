/**
 * Per-hook delivery health: each sample is one single-document upsert, atomic on the server, so
 * instances sharing the database never lose each other's samples.
 */
import type { UpdateFilter } from 'mongodb';
import type { HealthSample, HookHealth } from '../store.js';
import type { Collections, HookHealthDocument } from './documents.js';

export function toHealth({ okAt, failures }: HookHealthDocument): HookHealth {
  return { okAt, failures };
}

export async function applyHealthSample(c: Collections, accountId: string, hookId: string, sample: HealthSample): Promise<HookHealth> {
  const { at } = sample;
  const update: UpdateFilter<HookHealthDocument> = sample.succeeded
    ? { $max: { okAt: at }, $setOnInsert: { accountId, failures: [] } }
    : { $push: { failures: { $each: [at], $sort: 1, $slice: -Math.max(1, sample.keep) } }, $setOnInsert: { accountId, okAt: at } };
  const doc = await c.hookHealth.findOneAndUpdate({ _id: hookId }, update, { upsert: true, returnDocument: 'after' });
  if (doc === null) throw new Error('upsert returned no document');
  return toHealth(doc);
}
