import type { SettingStore } from '../store.js';
import type { Collections } from './documents.js';
import { isDuplicateKey } from './errors.js';

export function settingStore(c: Collections): SettingStore {
  return {
    async getOrCreateSetting(key, candidate) {
      try {
        const doc = await c.settings.findOneAndUpdate(
          { _id: key },
          { $setOnInsert: { value: candidate } },
          { upsert: true, returnDocument: 'after' },
        );
        if (doc !== null) return doc.value;
      } catch (error) {
        // Two racing upserts: the loser may get a duplicate key; the winner's value is stored.
        if (!isDuplicateKey(error)) throw error;
      }
      const stored = await c.settings.findOne({ _id: key });
      if (stored === null) throw new Error(`setting ${key} was neither found nor created`);
      return stored.value;
    },
  };
}
