/**
 * The one typed configuration object. `schemas/config.json` is its single source: each property
 * names its environment variable (`x-env`), its default and its meaning, and the TypeScript type is
 * generated from it (src/config/config-schema.ts). Defaults first, then the environment; validated at
 * start-up so every problem is reported at once, never mid-request.
 */
import { Ajv } from 'ajv';
import { isTimeZone } from './domain/calls/zoned-time.js';
import { parseCidr } from './domain/networks.js';
import { parseSecretsKey } from './domain/secret-box.js';
import type { ConfigSchema } from './config/config-schema.js';
import { crossFieldProblems } from './config/cross-checks.js';
import { configSettings, configSchema, type Setting } from './config/settings.js';

export type Config = ConfigSchema;
export type { Setting };
export { configSettings };

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** The documented defaults, as `loadConfig({})` applies them. */
export function configDefaults(): Partial<Config> {
  return Object.fromEntries(configSettings.flatMap((s) => (s.default === undefined ? [] : [[s.key, s.default]])));
}

/** Names under CALLHOOK_ that are not settings, each with the closest setting's name. */
function unknownVariables(env: Env): string[] {
  const known = new Set(configSettings.map((s) => s.env));
  // Read by `npm start` and the Docker image, not by this process.
  known.add('CALLHOOK_MAX_HEAP_MB');
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('CALLHOOK_') || known.has(name)) continue;
    const closest = [...known].sort((a, b) => editDistance(name, a) - editDistance(name, b))[0];
    problems.push(`${name}: not a callhook setting${closest === undefined ? '' : `; did you mean ${closest}?`}`);
  }
  return problems;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(configSchema);

/** Builds the config from defaults and `env`, plus `overrides` (tests). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const merged: Record<string, unknown> = configDefaults();
  const sourceOf = new Map<string, string>();
  for (const setting of configSettings) {
    const raw = env[setting.env];
    if (raw === undefined || raw === '') continue;
    merged[setting.key] = setting.read(raw);
    sourceOf.set(setting.key, setting.env);
  }
  Object.assign(merged, overrides);
  const labelOf = (key: string): string => sourceOf.get(key) ?? configSettings.find((s) => s.key === key)?.env ?? key;

  const problems = unknownVariables(env);
  if (!validate(merged)) {
    for (const error of validate.errors ?? []) {
      const key = error.instancePath.split('/')[1] ?? String(error.params['additionalProperty'] ?? '');
      problems.push(`${labelOf(key)}: ${error.message ?? 'invalid'}`);
    }
  }
  for (const cidr of (merged['allowedNetworks'] as unknown[] | undefined) ?? []) {
    if (typeof cidr === 'string' && parseCidr(cidr) === null) {
      problems.push(`${labelOf('allowedNetworks')}: "${cidr}" is not a CIDR range (e.g. 127.0.0.0/8)`);
    }
  }
  const zone = merged['timeZone'];
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    problems.push(`${labelOf('timeZone')}: "${zone}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  }
  const secretsKey = merged['secretsKey'];
  if (typeof secretsKey === 'string' && parseSecretsKey(secretsKey) === null) {
    problems.push(
      `${labelOf('secretsKey')}: must be 32 bytes, written as 64 hex digits or in base64 (make one with: openssl rand -base64 32)`,
    );
  }
  // Pairs are only judged once each value is valid on its own.
  if (problems.length === 0) problems.push(...crossFieldProblems(merged as unknown as Config, labelOf));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(merged) as unknown as Config;
}
