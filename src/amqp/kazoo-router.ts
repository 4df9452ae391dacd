/**
 * One queue, four exchanges: each message goes to the handler for what it is. Call legs (and
 * RECORD_STOP, DTMF) to the call-event handler; PARK_* on `callevt`, document changes on
 * `configuration`, notifications and inbound SMS/MMS to the Kazoo event intake; account document
 * changes, in integrated mode, to the account mirror as well.
 *
 * Bodies are checked before anything is built from them: at most `maxBytes` as received, inflated
 * (Kazoo gzips MMS messages) to at most `maxBytes`, JSON nested at most `maxDepth` deep.
 * A message that fails any of these, or that the intake finds invalid, is dead-lettered with the
 * reason, as a malformed call event is. A valid message no enabled hook type wants is acked.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describeJsonLimitProblem, jsonLimitProblem } from '../domain/json-limits.js';
import { isJsonObject, type JsonObject } from '../domain/json.js';
import type { KazooEventIntake, KazooEventKind } from '../delivery/intake/kazoo-intake.js';
import type { Metrics } from '../metrics.js';
import { EXCHANGES } from './bindings.js';
import type { DecodedCallEvent } from './event-handler.js';
import type { HandleResult, InboundMessage, MessageHandler } from './message.js';

export interface KazooRouterOptions {
  /** The handler for call legs (channel_* and call.*), given the text and the value parsed here. */
  callEvents: DecodedCallEvent;
  intake: KazooEventIntake;
  /** Whether a hook type is enabled (CALLHOOK_HOOK_TYPES). */
  enabled: (hookType: KazooEventKind) => boolean;
  /** Integrated mode: an account document changed in Kazoo. Store failures throw (retry). */
  accountChanged?: (change: { accountId: string; action: string }) => Promise<void>;
  metrics: Metrics;
  /** CALLHOOK_MAX_EVENT_BYTES: the message as received, and once inflated. */
  maxBytes: number;
  /** CALLHOOK_MAX_JSON_DEPTH. */
  maxDepth: number;
}

type Decoded = { ok: true; text: string; value: JsonObject } | { ok: false; reason: string; label: string };

function decode(message: InboundMessage, maxBytes: number, maxDepth: number): Decoded {
  // Worded as the call-event handler words them, so the dead-letter queue reads the same.
  if (message.body.length > maxBytes) {
    const problem = describeJsonLimitProblem({ kind: 'size', bytes: message.body.length, limit: maxBytes });
    return { ok: false, reason: `message too large: ${problem}`, label: 'too_large' };
  }
  let body = message.body;
  const encoding = (message.contentEncoding ?? '').toLowerCase();
  if (encoding === 'gzip') {
    try {
      body = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      return tooBig
        ? { ok: false, reason: `message too large: its gzip body inflates past the ${maxBytes} bytes allowed`, label: 'too_large' }
        : { ok: false, reason: `not gzip: ${(error as Error).message}`, label: 'bad_encoding' };
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    return { ok: false, reason: `unsupported content encoding ${JSON.stringify(message.contentEncoding)}`, label: 'bad_encoding' };
  }
  const text = body.toString('utf8');
  // Counted on the text, so no parse or recursive walk ever meets a document nested too deep.
  const problem = jsonLimitProblem(text, body.length, { maxBytes, maxDepth });
  if (problem !== null) {
    return problem.kind === 'size'
      ? { ok: false, reason: `message too large: ${describeJsonLimitProblem(problem)}`, label: 'too_large' }
      : { ok: false, reason: `message refused: ${describeJsonLimitProblem(problem)}`, label: 'too_deep' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}`, label: 'not_json' };
  }
  if (!isJsonObject(value)) return { ok: false, reason: 'not a JSON object', label: 'not_json' };
  return { ok: true, text, value };
}

/** Which intake a message on a Kazoo exchange belongs to; null for the call-event handler. */
function kindOf(message: InboundMessage): KazooEventKind | null | 'unknown' {
  switch (message.exchange) {
    case EXCHANGES.callevt:
      return message.routingKey.startsWith('call.PARK_') ? 'parking' : null;
    case EXCHANGES.configuration:
      return 'object';
    case EXCHANGES.notifications:
      return 'notifications';
    case EXCHANGES.im:
      return message.routingKey.startsWith('mms.') ? 'mms' : message.routingKey.startsWith('sms.') ? 'sms' : 'unknown';
    default:
      return 'unknown';
  }
}

/** Same message, same key: a redelivered or republished copy finds its deliveries already stored. */
function eventKey(message: InboundMessage, text: string): string {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
  return `${message.exchange}|${message.routingKey}|${digest}`;
}

export function kazooMessageRouter(options: KazooRouterOptions): MessageHandler {
  const deadLetter = (reason: string, label: string): HandleResult => {
    options.metrics.deadLettered.inc({ reason: label });
    return { kind: 'dead-letter', reason };
  };
  return async (message) => {
    const kind = kindOf(message);
    if (kind === 'unknown') return deadLetter(`no handler for exchange ${message.exchange}, key ${message.routingKey}`, 'unknown_route');
    const decoded = decode(message, options.maxBytes, options.maxDepth);
    if (!decoded.ok) return deadLetter(decoded.reason, decoded.label);
    // Call legs keep their own handler (schema, call summaries).
    if (kind === null) return options.callEvents(decoded);
    const parsed = options.intake.parse(kind, decoded.value);
    if (parsed.kind === 'invalid') return deadLetter(parsed.reason, 'invalid_event');
    if (kind === 'object' && options.accountChanged !== undefined) {
      const doc = decoded.value;
      if (doc['Database'] === 'accounts' && doc['Type'] === 'account' && typeof doc['ID'] === 'string') {
        await options.accountChanged({ accountId: doc['ID'], action: String(doc['Event-Name']) });
      }
    }
    if (!options.enabled(kind)) {
      options.metrics.eventsUnmatched.inc({ reason: 'type_disabled' });
      return { kind: 'ack' };
    }
    await options.intake.take(parsed, eventKey(message, decoded.text));
    return { kind: 'ack' };
  };
}
