/**
 * The one typed configuration object. Defaults first, then the environment; validated against
 * `schemas/config.json` at start-up so every problem is reported at once, never mid-request.
 */
import { Ajv } from 'ajv';
import type { DisableRuleName } from './domain/disable-policy.js';
import { isTimeZone } from './domain/calls/zoned-time.js';
import { parseCidr } from './domain/networks.js';
import { loadSchema } from './schemas.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  sqliteSynchronous: 'normal' | 'full';
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
  amqpUrl?: string;
  amqpQueue: string;
  amqpDeadLetterQueue: string;
  amqpPrefetch: number;
  clusterId?: string;
  deliveryTimeoutMs: number;
  logSuccessfulAttempts: boolean;
  attemptRetentionDays: number;
  /** How long delivered deliveries are kept to recognise duplicate events. */
  deliveredRetentionMinutes: number;
  /** Seconds between attempts; entry N is the wait after the Nth failure. */
  retrySchedule: number[];
  maxConcurrencyPerDestination: number;
  maxQueuedPerDestination: number;
  maxInFlight: number;
  responseBodyLimitBytes: number;
  leaseSeconds: number;
  pollIntervalMs: number;
  shutdownTimeoutMs: number;
  /** Which auto-disable rule applies (domain/disable-policy.ts). */
  disableRule: DisableRuleName;
  /** The rule's window; unset → the rule's own default (18000 s for no_success, 60 s for kazoo). */
  disableAfterSeconds?: number;
  disableMinFailures: number;
  /** Time zone of call.* payload times for accounts without `timezone` (IANA name). */
  timeZone: string;
  /** `audio_url` of call.* payloads: `{account_id}`, `{call_id}` and `{file_name}` are filled in. */
  recordingUrlTemplate?: string;
  /** How long a call must stay over before call.finished goes out. */
  callSettleMs: number;
  /** How long call state is kept after a call's last event. */
  callStateTtlHours: number;
  /** Kazoo's call_command.reserved_ccv_keys; unset → Kazoo's default list. */
  reservedCcvKeys?: string[];
}

export const defaults: Config = {
  port: 8000,
  host: '0.0.0.0',
  dataDir: './data',
  sqliteSynchronous: 'normal',
  logLevel: 'info',
  masterAccountName: 'master',
  tokenTtlSeconds: 3600,
  allowedNetworks: [],
  maxHooksPerAccount: 100,
  pageSize: 50,
  apiVersion: '4.3.142',
  bodyLimitBytes: 1_048_576,
  amqpQueue: 'callhook.callevt',
  amqpDeadLetterQueue: 'callhook.callevt.dead',
  amqpPrefetch: 200,
  deliveryTimeoutMs: 10_000,
  logSuccessfulAttempts: true,
  attemptRetentionDays: 30,
  deliveredRetentionMinutes: 60,
  retrySchedule: [60, 300, 900, 3600],
  maxConcurrencyPerDestination: 16,
  maxQueuedPerDestination: 5_000,
  maxInFlight: 512,
  responseBodyLimitBytes: 16_384,
  leaseSeconds: 120,
  pollIntervalMs: 1_000,
  shutdownTimeoutMs: 25_000,
  disableRule: 'no_success',
  disableMinFailures: 6,
  timeZone: 'UTC',
  callSettleMs: 3_000,
  callStateTtlHours: 24,
};

type Env = Record<string, string | undefined>;

/** Environment variable → config key and how to read it. */
type Kind = 'int' | 'string' | 'list' | 'ints' | 'bool';

const envMap: ReadonlyArray<[string, keyof Config, Kind]> = [
  ['PORT', 'port', 'int'],
  ['CALLHOOK_HOST', 'host', 'string'],
  ['CALLHOOK_DATA_DIR', 'dataDir', 'string'],
  ['CALLHOOK_SQLITE_SYNCHRONOUS', 'sqliteSynchronous', 'string'],
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
  ['AMQP_URL', 'amqpUrl', 'string'],
  ['CALLHOOK_AMQP_QUEUE', 'amqpQueue', 'string'],
  ['CALLHOOK_AMQP_DEAD_LETTER_QUEUE', 'amqpDeadLetterQueue', 'string'],
  ['CALLHOOK_AMQP_PREFETCH', 'amqpPrefetch', 'int'],
  ['CALLHOOK_CLUSTER_ID', 'clusterId', 'string'],
  ['CALLHOOK_DELIVERY_TIMEOUT_MS', 'deliveryTimeoutMs', 'int'],
  ['CALLHOOK_LOG_SUCCESSFUL_ATTEMPTS', 'logSuccessfulAttempts', 'bool'],
  ['CALLHOOK_ATTEMPT_RETENTION_DAYS', 'attemptRetentionDays', 'int'],
  ['CALLHOOK_DELIVERED_RETENTION_MIN', 'deliveredRetentionMinutes', 'int'],
  ['CALLHOOK_RETRY_SCHEDULE', 'retrySchedule', 'ints'],
  ['CALLHOOK_MAX_CONCURRENCY_PER_DESTINATION', 'maxConcurrencyPerDestination', 'int'],
  ['CALLHOOK_MAX_QUEUED_PER_DESTINATION', 'maxQueuedPerDestination', 'int'],
  ['CALLHOOK_MAX_IN_FLIGHT', 'maxInFlight', 'int'],
  ['CALLHOOK_RESPONSE_BODY_LIMIT_BYTES', 'responseBodyLimitBytes', 'int'],
  ['CALLHOOK_LEASE_S', 'leaseSeconds', 'int'],
  ['CALLHOOK_POLL_INTERVAL_MS', 'pollIntervalMs', 'int'],
  ['CALLHOOK_SHUTDOWN_TIMEOUT_MS', 'shutdownTimeoutMs', 'int'],
  ['CALLHOOK_RESERVED_CCV_KEYS', 'reservedCcvKeys', 'list'],
  ['CALLHOOK_DISABLE_RULE', 'disableRule', 'string'],
  ['CALLHOOK_DISABLE_AFTER_S', 'disableAfterSeconds', 'int'],
  ['CALLHOOK_DISABLE_MIN_FAILURES', 'disableMinFailures', 'int'],
  ['CALLHOOK_TIMEZONE', 'timeZone', 'string'],
  ['CALLHOOK_RECORDING_URL_TEMPLATE', 'recordingUrlTemplate', 'string'],
  ['CALLHOOK_CALL_SETTLE_MS', 'callSettleMs', 'int'],
  ['CALLHOOK_CALL_STATE_TTL_H', 'callStateTtlHours', 'int'],
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function readInt(raw: string): unknown {
  // Keep a non-integer string as is so the schema reports it with the variable's value.
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
}

function readList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

const readers: Readonly<Record<Kind, (raw: string) => unknown>> = {
  string: (raw) => raw,
  int: readInt,
  list: readList,
  ints: (raw) => readList(raw).map(readInt),
  bool: (raw) => ({ true: true, false: false, '1': true, '0': false })[raw.trim().toLowerCase()] ?? raw,
};

/** Builds the config from defaults and `env`, plus `overrides` (tests). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const merged: Record<string, unknown> = { ...defaults };
  const sourceOf = new Map<string, string>();
  for (const [name, key, kind] of envMap) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    merged[key] = readers[kind](raw);
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
  const zone = merged['timeZone'];
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    problems.push(`${sourceOf.get('timeZone') ?? 'timeZone'}: "${zone}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(merged) as unknown as Config;
}
