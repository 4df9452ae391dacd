/**
 * The one typed configuration object. Defaults first, then the environment; validated against
 * `schemas/config.json` at start-up so every problem is reported at once, never mid-request.
 */
import { Ajv } from 'ajv';
import { parseCidr } from './domain/networks.js';
import { loadSchema } from './schemas.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  masterApiKey?: string;
  masterAccountName: string;
  jwtSecret?: string;
  tokenTtlSeconds: number;
  allowedNetworks: string[];
  maxHooksPerAccount: number;
  pageSize: number;
  apiVersion: string;
  bodyLimitBytes: number;
}

export const defaults: Config = {
  port: 8000,
  host: '0.0.0.0',
  dataDir: './data',
  logLevel: 'info',
  masterAccountName: 'master',
  tokenTtlSeconds: 3600,
  allowedNetworks: [],
  maxHooksPerAccount: 100,
  pageSize: 50,
  apiVersion: '4.3.142',
  bodyLimitBytes: 1_048_576,
};

type Env = Record<string, string | undefined>;

/** Environment variable → config key and how to read it. */
const envMap: ReadonlyArray<[string, keyof Config, 'int' | 'string' | 'list']> = [
  ['PORT', 'port', 'int'],
  ['CALLHOOK_HOST', 'host', 'string'],
  ['CALLHOOK_DATA_DIR', 'dataDir', 'string'],
  ['MONGODB_URL', 'mongodbUrl', 'string'],
  ['CALLHOOK_LOG_LEVEL', 'logLevel', 'string'],
  ['CALLHOOK_MASTER_API_KEY', 'masterApiKey', 'string'],
  ['CALLHOOK_MASTER_ACCOUNT_NAME', 'masterAccountName', 'string'],
  ['CALLHOOK_JWT_SECRET', 'jwtSecret', 'string'],
  ['CALLHOOK_TOKEN_TTL_S', 'tokenTtlSeconds', 'int'],
  ['CALLHOOK_ALLOWED_NETWORKS', 'allowedNetworks', 'list'],
  ['CALLHOOK_MAX_HOOKS_PER_ACCOUNT', 'maxHooksPerAccount', 'int'],
  ['CALLHOOK_PAGE_SIZE', 'pageSize', 'int'],
  ['CALLHOOK_API_VERSION', 'apiVersion', 'string'],
  ['CALLHOOK_BODY_LIMIT_BYTES', 'bodyLimitBytes', 'int'],
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function readValue(raw: string, kind: 'int' | 'string' | 'list'): unknown {
  if (kind === 'string') return raw;
  if (kind === 'list') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  // Keep a non-integer string as is so the schema reports it with the variable's value.
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
}

/** Builds the config from defaults and `env`, plus `overrides` (tests). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const merged: Record<string, unknown> = { ...defaults };
  const sourceOf = new Map<string, string>();
  for (const [name, key, kind] of envMap) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    merged[key] = readValue(raw, kind);
    sourceOf.set(key, name);
  }
  Object.assign(merged, overrides);

  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(loadSchema('config'));
  const problems: string[] = [];
  if (!validate(merged)) {
    for (const error of validate.errors ?? []) {
      const key = error.instancePath.split('/')[1] ?? String(error.params['additionalProperty'] ?? '');
      const label = sourceOf.get(key) ?? key;
      problems.push(`${label}: ${error.message ?? 'invalid'}`);
    }
  }
  for (const cidr of (merged['allowedNetworks'] as unknown[] | undefined) ?? []) {
    if (typeof cidr === 'string' && parseCidr(cidr) === null) {
      problems.push(`CALLHOOK_ALLOWED_NETWORKS: "${cidr}" is not a CIDR range (e.g. 127.0.0.0/8)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(merged) as unknown as Config;
}
