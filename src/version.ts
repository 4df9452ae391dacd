import { readFileSync } from 'node:fs';

/** callhook's own version, from package.json (same relative path from src/ and dist/). */
export const callhookVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
