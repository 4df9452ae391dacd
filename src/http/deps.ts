/** Everything the HTTP layer needs, handed in by the composition root. */
import type { HookCatalog } from '../domain/hook-types.js';
import type { JsonObject } from '../domain/json.js';
import type { JsonLimits } from '../domain/json-limits.js';
import type { Webhook } from '../domain/webhook.js';
import type { AccountService } from '../services/account-service.js';
import type { AttemptService } from '../services/attempt-service.js';
import type { AuthService } from '../services/auth-service.js';
import type { DeliveryService } from '../services/delivery-service.js';
import type { StatsService } from '../services/stats-service.js';
import type { WebhookService } from '../services/webhook-service.js';
import type { Validator } from '../validation/validator.js';
import type { EventIntake } from '../delivery/intake/event-intake.js';
import type { Metrics } from '../metrics.js';
import type { EnvelopeSettings } from './envelope.js';
import type { RateLimits } from './rate-limits.js';

export interface HealthReport {
  /** ready: everything configured is up; degraded: serving, but a configured broker is not up; unavailable: the store is down. */
  status: 'ready' | 'degraded' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down' | 'disabled' | 'connecting'; detail?: string }>;
}

export interface HttpDeps {
  envelope: EnvelopeSettings;
  auth: AuthService;
  accounts: AccountService;
  webhooks: WebhookService;
  attempts: AttemptService;
  stats: StatsService;
  deliveries: DeliveryService;
  validator: Validator;
  /** The hook types, their modifiers and which are offered. */
  catalog: HookCatalog;
  /** The sample payloads, keyed `webhooks_<hook>` (built on first call). */
  samples: () => Readonly<Record<string, readonly JsonObject[]>>;
  pageSize: number;
  maxPageSize: number;
  bodyLimitBytes: number;
  /** Per-event size and any body's nesting depth. */
  jsonLimits: JsonLimits;
  /** Widest window of one attempts query, seconds (Crossbar's maximum_range). */
  maxAttemptRangeSeconds: number;
  health: () => Promise<HealthReport>;
  /** Where the built console lives (dist/console). */
  consoleDir: string;
  /** Present when the delivery pipeline runs. */
  events?: EventIntake;
  /** Sends a ping to a hook now and reports the answer. */
  ping?: (hook: Webhook) => Promise<JsonObject>;
  metrics: Metrics;
  /** Per-account limits on events, pings and recovers. */
  rateLimits: RateLimits;
}
