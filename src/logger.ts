/**
 * The process logger (pino). Times are ISO 8601 (UTC). On a terminal (`CALLHOOK_LOG_FORMAT=auto`,
 * the default) lines are made human-readable by pino-pretty, in-process; anywhere else (a pipe, a
 * container's log driver, a file) they are JSON lines. Secrets in known places are redacted.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export interface LogOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function wantsPretty(format: Config['logFormat'], out: { isTTY?: boolean }): boolean {
  return format === 'pretty' || (format === 'auto' && out.isTTY === true);
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, out: LogOutput = process.stdout): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'callhook' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers["x-auth-token"]', 'headers["x-auth-token"]', 'auth_token'], censor: '[redacted]' },
  };
  if (!wantsPretty(config.logFormat, out)) return pino(options, out === process.stdout ? pino.destination(1) : out);
  return pino(
    options,
    pretty({
      destination: out === process.stdout ? 1 : (out as NodeJS.WritableStream),
      colorize: out.isTTY === true,
      translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
      ignore: 'pid,hostname,service',
      sync: true,
    }),
  );
}
