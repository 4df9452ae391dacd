import type { SettingStore } from '../store.js';
import type { Database } from './driver.js';

export function settingStore(db: Database): SettingStore {
  const insert = db.prepare<{ key: string; value: string }, never>(
    'INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING',
  );
  const read = db.prepare<{ key: string }, { value: string }>('SELECT value FROM settings WHERE key = @key');
  // The write lock makes insert-then-read one step for every process sharing the file.
  const getOrCreate = db.transaction((key: string, candidate: string): string => {
    insert.run({ key, value: candidate });
    const row = read.get({ key });
    if (row === undefined) throw new Error(`setting ${key} vanished inside its own transaction`);
    return row.value;
  });

  return {
    async getOrCreateSetting(key, candidate) {
      return getOrCreate.immediate(key, candidate);
    },
  };
}
