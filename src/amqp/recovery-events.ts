/**
 * Turns amqplib's recovery events into the consumer's state and log lines. 'down' means we
 * know the broker is unreachable or the connection was lost; the detail carries the last error
 * and when the next attempt is due, which is what an operator reading /health needs.
 */
import type { RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { AmqpState } from './state.js';

type SetState = (state: AmqpState, detail?: string) => void;

export function attachRecoveryLogging(
  connection: RecoveringChannelModel,
  log: Logger,
  setState: SetState,
  isStopping: () => boolean,
): void {
  let lastDetail = '';
  // An unreachable broker is an expected state, not a bug: one warning (the message, no stack)
  // when it starts, the retries at debug, one line when it is back. /health has the live detail.
  let failing = false;

  connection.on('connect', () => {
    setState('up');
    log.info(failing ? 'amqp connected again; consuming' : 'amqp connected; consuming');
    failing = false;
  });
  connection.on('disconnect', (err: Error) => {
    lastDetail = `connection lost: ${err.message}`;
    if (isStopping()) return;
    setState('down', lastDetail);
    failing = true;
    log.warn({ error: err.message }, 'amqp disconnected; in-flight messages will be redelivered; reconnecting with backoff');
  });
  connection.on('connect-failed', (err: Error) => {
    lastDetail = `connect failed: ${err.message}`;
    if (isStopping()) return;
    setState('down', lastDetail);
    if (failing) {
      log.debug({ error: err.message }, 'amqp connect failed');
      return;
    }
    failing = true;
    log.warn({ error: err.message }, 'amqp connect failed; retrying with backoff up to every 10 s (state in /health)');
  });
  connection.on('reconnect-scheduled', (info: { attempt: number; delay: number; error: Error }) => {
    if (isStopping()) return;
    setState('down', `${lastDetail || info.error.message}; retry ${info.attempt} in ${info.delay} ms`);
    log.debug({ attempt: info.attempt, delay_ms: info.delay }, 'amqp reconnect scheduled');
  });
  // Unreachable with unlimited retries; handled so a future maxRetries cannot leave state stale.
  connection.on('reconnect-failed', (err: Error) => {
    setState('down', `gave up reconnecting: ${err.message}`);
    log.error({ err }, 'amqp recovery gave up');
  });
  // Without a listener an 'error' event would be thrown and crash the process.
  connection.on('error', (err: Error) => log.warn({ err }, 'amqp connection error'));
  connection.on('blocked', (reason: string) => log.warn({ reason }, 'amqp connection blocked by the broker'));
  connection.on('unblocked', () => log.info('amqp connection unblocked'));
}
