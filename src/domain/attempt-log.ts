/**
 * One attempts-log entry in Kazoo's field names (so Monster UI's history view and scripts that
 * read Kazoo's attempts keep working), plus what Kazoo never recorded: the delivery id, the
 * attempt number, the duration and when the next attempt is due. Pure: built from plain data.
 */
import type { JsonObject } from './json.js';
import { signatureHeaderNames } from './signature.js';

export interface AttemptRequest {
  method: string;
  uri: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type AttemptResponse =
  | { kind: 'response'; status: number; headers: Readonly<Record<string, string>>; body: string; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number }
  /** Cut short by callhook's own shutdown: neither a success nor the receiver's failure. */
  | { kind: 'interrupted'; durationMs: number };

export interface AttemptFacts {
  hookId: string;
  hookEvent: string;
  deliveryId: string;
  attempt: number;
  request: AttemptRequest;
  response: AttemptResponse;
  succeeded: boolean;
  retriesLeft: number;
  nextAttemptAt: Date | null;
}

/** Header names lower-cased as Kazoo logs them; signatures masked, as the log is widely readable. */
function lowerKeys(headers: Readonly<Record<string, string>>): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    out[key] = signatureHeaderNames.has(key) ? '[masked]' : value;
  }
  return out;
}

export function attemptDoc(facts: AttemptFacts): JsonObject {
  const doc: JsonObject = {
    hook_id: facts.hookId,
    hook_event: facts.hookEvent,
    event_id: facts.deliveryId,
    delivery_id: facts.deliveryId,
    uri: facts.request.uri,
    method: facts.request.method.toLowerCase(),
    req_headers: lowerKeys(facts.request.headers),
    req_body: facts.request.body,
    result: facts.response.kind === 'interrupted' ? 'interrupted' : facts.succeeded ? 'success' : 'failure',
  };
  const response = facts.response;
  if (response.kind === 'interrupted') {
    doc['reason'] = 'interrupted by shutdown';
    doc['client_error'] = 'interrupted';
  } else if (response.kind === 'response') {
    if (!facts.succeeded) doc['reason'] = 'bad response code';
    doc['resp_status_code'] = String(response.status);
    doc['resp_headers'] = lowerKeys(response.headers);
    doc['resp_body'] = response.body;
  } else {
    doc['reason'] = 'kazoo http client error';
    doc['client_error'] = response.error;
  }
  doc['try'] = facts.attempt;
  // Monster UI shows "retries left" as `retries - 1`; Kazoo writes the string when none are left.
  doc['retries'] = facts.retriesLeft + 1;
  const spent = !facts.succeeded && response.kind !== 'interrupted' && facts.retriesLeft === 0;
  doc['retries_left'] = spent ? 'retries exceeded' : facts.retriesLeft;
  doc['duration_ms'] = response.durationMs;
  if (facts.nextAttemptAt !== null) doc['next_attempt_at'] = facts.nextAttemptAt.toISOString();
  return doc;
}
