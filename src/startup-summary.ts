/**
 * The start-up line a person reads first: where the API and the console are, which store, the
 * broker's state and where the master API key comes from. One log line with these fields (JSON
 * lines keep them machine-readable; on a terminal pino-pretty prints one per line).
 */
import { join } from 'node:path';
import type { Config } from './config.js';

export interface SummaryFacts {
  masterKey: 'setting' | 'generated' | 'stored' | 'kazoo';
  /** Where the auth-token signing key comes from (security/signing-key.ts). */
  tokenKey: 'setting' | 'generated' | 'file';
  /** The consumer's state right after start, or undefined without AMQP_URL. */
  broker: string | undefined;
}

/** A URL with its password (if any) masked, for logs. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

const keySources: Readonly<Record<SummaryFacts['masterKey'], string>> = {
  setting: 'CALLHOOK_MASTER_API_KEY',
  generated: 'generated now and shown once on the terminal (stderr), not in this log; set CALLHOOK_MASTER_API_KEY to choose your own',
  stored: 'generated at first start and shown then (stored hashed); set CALLHOOK_MASTER_API_KEY to choose a new one',
  kazoo: "Kazoo's (integrated mode): sign in with a Kazoo auth token, or set CALLHOOK_MASTER_API_KEY for callhook's own logins",
};

export function startupSummary(config: Config, port: number, facts: SummaryFacts): Record<string, string> {
  // A wildcard address is not something to type into a browser.
  const host = ['0.0.0.0', '::', '[::]'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    console_url: `${url}/console/`,
    store:
      config.mongodbUrl !== undefined ? `mongodb ${withoutPassword(config.mongodbUrl)}` : `sqlite ${join(config.dataDir, 'callhook.db')}`,
    broker:
      config.amqpUrl === undefined
        ? 'none (AMQP_URL unset): events only through POST /v2/events'
        : `${withoutPassword(config.amqpUrl)} (${facts.broker ?? 'connecting'})`,
    master_key: keySources[facts.masterKey],
    token_key:
      facts.tokenKey === 'setting'
        ? 'CALLHOOK_JWT_SECRET'
        : `${join(config.dataDir, 'jwt-secret')} (${facts.tokenKey === 'generated' ? 'generated now' : 'generated at first start'}, mode 0600)`,
    webhook_secrets:
      config.secretsKey !== undefined
        ? 'encrypted at rest (CALLHOOK_SECRETS_KEY)'
        : 'stored in plain text: set CALLHOOK_SECRETS_KEY to encrypt them',
  };
}
