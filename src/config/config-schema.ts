/* Generated from schemas/config.json by `npm run schema:types`; do not edit. */

export interface ConfigSchema {
  /**
   * HTTP port
   */
  port: number;
  /**
   * address to listen on
   */
  host: string;
  /**
   * where the embedded SQLite database lives (`callhook.db`)
   */
  dataDir: string;
  /**
   * `normal`: commits survive a killed process; `full`: also power loss (an fsync per commit)
   */
  sqliteSynchronous: 'normal' | 'full';
  /**
   * use MongoDB instead of SQLite; database from the URL, else `callhook`
   */
  mongodbUrl?: string;
  /**
   * `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`
   */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * `auto`: human-readable lines on a terminal, JSON lines otherwise; or always `pretty` or `json`
   */
  logFormat: 'auto' | 'pretty' | 'json';
  /**
   * the master account's API key; set it to choose or rotate it (unset: generated at first start and shown once on the terminal)
   */
  masterApiKey?: string;
  /**
   * the master account's name when it is created
   */
  masterAccountName: string;
  /**
   * HS256 key for auth tokens (≥ 32 chars), never kept in the store; without it one is generated into `jwt-secret` (mode 0600) in the data directory. Required with MongoDB: every instance must have the same
   */
  jwtSecret?: string;
  /**
   * 32 random bytes (64 hex digits or base64, e.g. `openssl rand -base64 32`): webhook signing secrets (`whsec_`) are stored AES-256-GCM encrypted with it; without it they are stored in plain text
   */
  secretsKey?: string;
  /**
   * auth token lifetime, seconds
   */
  tokenTtlSeconds: number;
  /**
   * comma-separated CIDRs every account's hooks may target although private (e.g. `10.0.0.0/8,127.0.0.0/8`); one account's ranges go in its `allowed_networks` (master only)
   */
  allowedNetworks: string[];
  /**
   * webhooks one account may have
   */
  maxHooksPerAccount: number;
  /**
   * deepest account tree: levels below the master
   */
  maxAccountDepth: number;
  /**
   * most accounts in one customer's tree (an account directly below the master and everything below it)
   */
  maxDescendants: number;
  /**
   * default `page_size`
   */
  pageSize: number;
  /**
   * largest `page_size` a client may ask for (a larger one is a 400); also the most attempts one `paginate=false` answer holds
   */
  maxPageSize: number;
  /**
   * the `version` reported in envelopes
   */
  apiVersion: string;
  /**
   * largest request body
   */
  bodyLimitBytes: number;
  /**
   * a client has this long to send a request's headers; then its connection is closed (slow clients cannot hold sockets)
   */
  httpHeadersTimeoutMs: number;
  /**
   * a client has this long to send a whole request, body included; then it is answered 408 and its connection closed
   */
  httpRequestTimeoutMs: number;
  /**
   * an idle keep-alive connection is closed after this long (behind a load balancer, set it above the balancer's idle timeout)
   */
  httpKeepAliveTimeoutMs: number;
  /**
   * events one account (the master excepted) may post to `POST /v2/events` per second, per instance; 0: no limit
   */
  rateEventsPerSecond: number;
  /**
   * events per minute one account may post above that rate, per instance; a request may carry at most the larger of the two
   */
  rateEventsBurst: number;
  /**
   * hook pings one account's tokens may send per minute, per instance; 0: no limit
   */
  ratePingsPerMinute: number;
  /**
   * hook recovers one account's tokens may ask for per minute, per instance; 0: no limit
   */
  rateRecoversPerMinute: number;
  /**
   * largest Kazoo event accepted (AMQP message or one event in `POST /v2/events`); larger ones are dead-lettered (AMQP) or refused with 400
   */
  maxEventBytes: number;
  /**
   * deepest nesting of objects and lists accepted in any JSON input (events, request bodies)
   */
  maxJsonDepth: number;
  /**
   * largest hook or account document, bytes as JSON (checked on every write; a stored one over it is skipped with a warning)
   */
  maxDocumentBytes: number;
  /**
   * e.g. `amqp://guest:guest@127.0.0.1:5672`; unset: no AMQP consumer (the rest works)
   */
  amqpUrl?: string;
  /**
   * durable queue bound to Kazoo's `callevt` exchange, shared by all instances
   */
  amqpQueue: string;
  /**
   * where malformed messages are parked
   */
  amqpDeadLetterQueue: string;
  /**
   * unacked messages per instance
   */
  amqpPrefetch: number;
  /**
   * times a message may fail to be handled before it is dead-lettered with its reason (a store outage does not count)
   */
  amqpDeliveryLimit: number;
  /**
   * `quorum` (RabbitMQ ≥ 3.8: the broker also dead-letters a message that keeps killing the consumer) or `classic` (older brokers)
   */
  amqpQueueType: 'quorum' | 'classic';
  /**
   * the `cluster_id` added to payloads (32 hex)
   */
  clusterId?: string;
  /**
   * deadline of one attempt, connect included
   */
  deliveryTimeoutMs: number;
  /**
   * log successes in the attempts log too
   */
  logSuccessfulAttempts: boolean;
  /**
   * attempts and failed deliveries are kept this long
   */
  attemptRetentionDays: number;
  /**
   * delivered deliveries are kept this long (duplicate detection)
   */
  deliveredRetentionMinutes: number;
  /**
   * seconds between attempts; the last entry repeats
   *
   * @minItems 1
   * @maxItems 10
   */
  retrySchedule: number[];
  /**
   * shortest wait before a retry: a hook's retry_schedule entries may not be shorter (refused at write; stored ones are raised to it), nor CALLHOOK_RETRY_SCHEDULE's
   */
  minRetryDelaySeconds: number;
  /**
   * ceiling of a hook's adaptive concurrency: requests in flight to one hook at once (it starts at 4, grows while the receiver answers well, shrinks when it times out, fails or slows down)
   */
  maxConcurrencyPerDestination: number;
  /**
   * most deliveries one hook keeps waiting in memory (it keeps about two seconds of its receiver's throughput; the rest waits in the store)
   */
  maxQueuedPerDestination: number;
  /**
   * concurrent requests overall, shared fairly between accounts with work (one account alone leaves an eighth free); intake pauses while twice this many are waiting, unless they stay waiting 2 s (receivers not answering)
   */
  maxInFlight: number;
  /**
   * request bodies in flight together, bytes (a bound on the memory deliveries take while they are sent)
   */
  maxInFlightBytes: number;
  /**
   * response bytes kept in the attempts log
   */
  responseBodyLimitBytes: number;
  /**
   * response bytes kept in the attempts log from a receiver in a private range (opened by `CALLHOOK_ALLOWED_NETWORKS` or `allowed_networks`); status and headers are always kept
   */
  privateResponseBytes: number;
  /**
   * how long a delivery stays claimed by one instance
   */
  leaseSeconds: number;
  /**
   * how often an instance tells the store it is alive; an instance silent for five of these has its leases taken over
   */
  heartbeatMs: number;
  /**
   * how often due retries and expired leases are looked for
   */
  pollIntervalMs: number;
  /**
   * longest graceful shutdown
   */
  shutdownTimeoutMs: number;
  /**
   * CCVs left out of `custom_channel_vars` (comma-separated)
   */
  reservedCcvKeys?: string[];
  /**
   * auto-disable rule: `no_success`, `kazoo` or `off` (see Auto-disable)
   */
  disableRule: 'no_success' | 'kazoo' | 'off';
  /**
   * the rule's window, seconds
   */
  disableAfterSeconds?: number;
  /**
   * failures within the window that disable a hook (1-100)
   */
  disableMinFailures: number;
  /**
   * time zone of `call.*` payload times for accounts without `timezone`
   */
  timeZone: string;
  /**
   * `audio_url` of `call.*` payloads, e.g. `https://rec.example.com/{account_id}/{call_id}/{file_name}`
   */
  recordingUrlTemplate?: string;
  /**
   * how long a call stays over before `call.finished` goes out
   */
  callSettleMs: number;
  /**
   * call state kept after a call's last event
   */
  callStateTtlHours: number;
  /**
   * events kept per call for call summaries; later ones still reach channel hooks, the summary is built from those kept (warned once per call)
   */
  maxCallEvents: number;
  /**
   * bytes of events (as JSON) kept per call for call summaries
   */
  maxCallBytes: number;
  /**
   * hook types offered by `GET /v2/webhooks` and fed from Kazoo's exchanges (comma-separated); the AMQP queue is bound only for these
   */
  hookTypes: (
    | 'channel_create'
    | 'channel_answer'
    | 'channel_bridge'
    | 'channel_destroy'
    | 'parking'
    | 'object'
    | 'notifications'
    | 'sms'
    | 'mms'
    | 'call.newcall'
    | 'call.finished'
    | 'call.audio_available'
  )[];
  /**
   * document types `object` hooks may ask for, each bound on the `configuration` exchange (Kazoo's `webhooks.object_types`)
   *
   * @maxItems 100
   */
  objectTypes: string[];
  /**
   * Crossbar's base URL (e.g. `http://kazoo:8000/v2`): Kazoo-integrated mode (Kazoo tokens and accounts); needs `CALLHOOK_KAZOO_API_KEY`
   */
  kazooUrl?: string;
  /**
   * the Kazoo master account's API key, used to mirror the account tree
   */
  kazooApiKey?: string;
  /**
   * deadline of each request to Kazoo, connect included
   */
  kazooTimeoutMs: number;
  /**
   * how long Kazoo's answer about a token is reused (never past the token's `exp`)
   */
  kazooTokenCacheSeconds: number;
  /**
   * how often the whole account tree is read again from Kazoo (account events keep it current in between)
   */
  kazooResyncSeconds: number;
}
