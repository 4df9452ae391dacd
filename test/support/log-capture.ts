/** A pino logger whose lines a test can read back (JSON objects, in order). */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLog {
  log: Logger;
  lines: Array<Record<string, unknown>>;
}

export function captureLog(level: pino.LevelWithSilent = 'info'): CapturedLog {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text.trim() !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}
