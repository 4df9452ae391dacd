/**
 * The application's error classes. Each carries a stable `code` (Crossbar's `message` token)
 * and an HTTP status; `src/http/errors.ts` is the one place that turns them into envelopes.
 * Adapters translate driver errors into these, so nothing above storage sees a driver type.
 */

/** Crossbar's validation detail: `{ "<dotted.path>": { "<keyword>": { message, ... } } }`. */
export type ValidationDetails = Record<string, Record<string, Record<string, unknown>>>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** The envelope's `data`. */
  abstract readonly details: unknown;
  /** Sent as `Retry-After` when set: when trying again may succeed. */
  readonly retryAfterSeconds?: number;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation error';
  constructor(readonly details: ValidationDetails) {
    super('validation error');
  }

  /** One error on one property, e.g. `ValidationError.single('uri', 'required', {...})`. */
  static single(path: string, keyword: string, detail: Record<string, unknown>): ValidationError {
    return new ValidationError({ [path]: { [keyword]: detail } });
  }
}

/** A request Crossbar answers with 400 outside schema validation (limits, bad ranges). */
export class BadRequestError extends AppError {
  readonly status = 400;
  constructor(
    readonly code: string,
    readonly details: unknown,
  ) {
    super(code);
  }
}

export class AuthenticationError extends AppError {
  readonly status = 401;
  readonly code = 'invalid_credentials';
  readonly details = { message: 'invalid credentials' };
  constructor(readonly reason = 'invalid credentials') {
    super(reason);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly details = { message: 'forbidden' };
  constructor(readonly reason = 'forbidden') {
    super(reason);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'bad_identifier';
  readonly details: { cause: string; message: string };
  constructor(readonly id: string) {
    super(`bad identifier: ${id}`);
    this.details = { cause: id, message: 'bad identifier' };
  }
}

/** A delivery to resend that is not stored (any more): the same 404 code, with the reason why. */
export class DeliveryNotStoredError extends AppError {
  readonly status = 404;
  readonly code = 'bad_identifier';
  readonly details: { cause: string; message: string };
  constructor(readonly id: string) {
    super(`delivery not stored: ${id}`);
    this.details = {
      cause: id,
      message:
        'no such delivery of this hook is stored: delivered ones are kept for CALLHOOK_DELIVERED_RETENTION_MIN minutes, failed ones for CALLHOOK_ATTEMPT_RETENTION_DAYS days, pings not at all',
    };
  }
}

/** Crossbar answers an unknown sample id with a differently spelled code and a list. */
export class SampleNotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'bad identifier';
  readonly details: string[];
  constructor(readonly id: string) {
    super(`unknown sample: ${id}`);
    this.details = [id];
  }
}

/** An unknown route (not an unknown document). */
export class RouteNotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  readonly details = { message: 'The requested resource was not found' };
  constructor() {
    super('not found');
  }
}

export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly code = 'invalid_method';
  readonly details = { message: 'method not allowed' };
  constructor() {
    super('method not allowed');
  }
}

/**
 * `GET /accounts/{id}/api_key`: keys are stored as digests, so there is nothing to give back.
 * The resource still answers PUT (a new key, shown once), hence 405 rather than 404 or 410.
 */
export class ApiKeyNotReadableError extends AppError {
  readonly status = 405;
  readonly code = 'invalid_method';
  readonly details = {
    message:
      'API keys are stored hashed and cannot be read back: each key is shown once, when its account is created or the key ' +
      'is replaced. PUT /v2/accounts/{ACCOUNT_ID}/api_key issues a new key (the old one and its tokens stop working at once).',
  };
  constructor() {
    super('api keys cannot be read back');
  }
}

/** A write lost a race (revision mismatch) or hit a unique key. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'datastore_conflict';
  readonly details = { message: 'conflicting documents' };
  constructor(readonly reason = 'conflicting documents') {
    super(reason);
  }
}

/** The delivery has an attempt in flight: it cannot be put back in line until that one is recorded. */
export class DeliveryInFlightError extends AppError {
  readonly status = 409;
  readonly code = 'delivery_in_flight';
  readonly details = { message: 'the delivery is being sent right now; try again once this attempt shows in the log' };
  constructor() {
    super('delivery in flight');
  }
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly details: { message: string };
  constructor(limitBytes: number) {
    super('request body too large');
    this.details = { message: `request body is larger than ${limitBytes} bytes` };
  }
}

/** A ping its hook's lane has no room for now (the lane is full, or no slot freed up in time). */
export class PingBusyError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  readonly details: { message: string; retry_after: number };
  constructor(
    readonly reason: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(`ping refused: ${reason}`);
    this.details = {
      message: `the hook's destination is busy (${reason}): pings share its delivery limits; try again later`,
      retry_after: retryAfterSeconds,
    };
  }
}

/**
 * A per-account rate limit was reached: Crossbar's `too_many_requests` (429), and the seconds
 * after which the same request would pass (the answer's `Retry-After`).
 */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  readonly details: { message: string; limit: string; retry_after: number };
  constructor(
    readonly limit: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(`rate limit reached: ${limit}`);
    this.details = { message: 'too many requests', limit, retry_after: retryAfterSeconds };
  }
}

/** A required dependency (store, broker) cannot serve the request now. */
export class UnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'datastore_fault';
  readonly details = { message: 'datastore fatal error' };
  constructor(
    readonly reason = 'datastore fatal error',
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** Kazoo's Crossbar (integrated mode) could not answer: unreachable, too slow, or failing. */
export class KazooUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'kazoo_unavailable';
  readonly details: { message: string };
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Kazoo unavailable: ${reason}`, options);
    this.details = { message: `Kazoo could not be asked: ${reason}` };
  }
}

/** Accounts belong to Kazoo in integrated mode: callhook mirrors them and does not create or delete them. */
export class ManagedByKazooError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly details: { message: string };
  constructor(what: string) {
    super(`${what} is done in Kazoo`);
    this.details = {
      message: `callhook runs beside Kazoo (CALLHOOK_KAZOO_URL is set): ${what} is done in Kazoo, and callhook follows its account tree`,
    };
  }
}

/**
 * Something found at start-up that callhook must not run with (a key that does not open the stored
 * secrets, a signing-key file others can read): main prints the message alone, without a stack.
 */
export class StartupError extends Error {}
