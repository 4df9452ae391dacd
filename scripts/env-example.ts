/**
 * Writes callhook.env.example from the settings table (schemas/config.json): every setting,
 * commented out, with its meaning and default. `npm run env:example`; test/deploy.test.ts fails
 * when a setting is missing from the committed file.
 */
import { writeFileSync } from 'node:fs';
import { configSettings } from '../src/config.js';
import { defaultText } from '../src/config/settings.js';

const lines = [
  '# Every callhook setting, with its default. Copy this file to callhook.env (next to',
  '# docker-compose.yml), uncomment and change what you need: docker compose passes the file to',
  '# every callhook container. Values here win over deploy/compose.env (the store and broker of the',
  "# bundled services). Reference: node dist/main.js --help, or the README's Configuration table.",
  '# Written by npm run env:example.',
  '',
];
for (const setting of configSettings) {
  const note = setting.env === 'PORT' ? ' (under docker compose keep 8000: the port mapping expects it)' : '';
  lines.push(
    `# ${setting.description.replace(/`/g, '')}${note}`,
    `# ${setting.env}=${setting.default === undefined ? '' : defaultText(setting)}`,
    '',
  );
}
lines.push('# V8 old-space cap used by the Docker image (and npm start)', '# CALLHOOK_MAX_HEAP_MB=128', '');
writeFileSync(new URL('../callhook.env.example', import.meta.url), lines.join('\n'));
