import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** JSON lines on stdout; secrets in known places are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'callhook' },
    redact: { paths: ['req.headers["x-auth-token"]', 'headers["x-auth-token"]', 'auth_token'], censor: '[redacted]' },
  });
}
