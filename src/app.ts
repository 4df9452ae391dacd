/**
 * The composition root: builds every part from one Config and returns { start, stop }.
 * main.ts and the tests both go through here, so tests run the real wiring.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { HookCatalog } from './domain/hook-types.js';
import { StartupError, UnavailableError } from './errors.js';
import { parseCidrs } from './domain/networks.js';
import { samples } from './domain/samples.js';
import type { HealthReport } from './http/deps.js';
import { nodeId } from './http/envelope.js';
import { createHttpServer } from './http/listener.js';
import { RateLimits } from './http/rate-limits.js';
import { buildHttpApp } from './http/server.js';
import { AmqpConsumer } from './amqp/consumer.js';
import { kazooBindings } from './amqp/bindings.js';
import { callEventHandler } from './amqp/event-handler.js';
import { kazooMessageRouter } from './amqp/kazoo-router.js';
import { DeliveryPipeline } from './delivery/pipeline.js';
import { KazooIntegration } from './kazoo/kazoo-integration.js';
import { newId } from './ids.js';
import { createLogger } from './logger.js';
import { startupSummary, type SummaryFacts } from './startup-summary.js';
import { createMetrics, type Metrics } from './metrics.js';
import { AccountService } from './services/account-service.js';
import { AttemptService } from './services/attempt-service.js';
import { AuthService } from './services/auth-service.js';
import { DeliveryService } from './services/delivery-service.js';
import { StatsService } from './services/stats-service.js';
import { WebhookService } from './services/webhook-service.js';
import type { Store } from './storage/store.js';
import { WebhookCodec } from './storage/webhook-codec.js';
import { parseSecretsKey, SecretBox } from './domain/secret-box.js';
import { ensurePrivateDir, ensurePrivateFile } from './security/private-files.js';
import { loadSigningKey } from './security/signing-key.js';
import { Validator } from './validation/validator.js';
import { callhookVersion } from './version.js';

/** Crossbar's default `maximum_range`: 31 days and an hour. */
const maxAttemptRangeSeconds = 2_682_000;

export interface App {
  readonly log: Logger;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly pipeline: DeliveryPipeline;
  readonly consumer: AmqpConsumer | undefined;
  /** Kazoo-integrated mode (CALLHOOK_KAZOO_URL), when configured. */
  readonly kazoo: KazooIntegration | undefined;
  /** Starts listening; resolves with the bound port. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

function amqpCheck(consumer: AmqpConsumer): HealthReport['checks'][string] {
  const state = consumer.state();
  const status = state === 'up' ? 'up' : state === 'connecting' ? 'connecting' : state === 'disabled' ? 'disabled' : 'down';
  const detail = consumer.stateDetail();
  return detail === undefined ? { status } : { status, detail };
}

/** The data directory 0700 and the database files 0600, said in the log when they had to be tightened. */
function privateDataDir(config: Config, log: Logger): void {
  const db = join(config.dataDir, 'callhook.db');
  const tightened = [
    ensurePrivateDir(config.dataDir),
    ensurePrivateFile(db, { create: true }),
    ensurePrivateFile(`${db}-wal`, { create: false }),
    ensurePrivateFile(`${db}-shm`, { create: false }),
  ];
  for (const found of tightened) {
    if (found !== null) log.warn({ path: found.path, mode: found.was }, 'readable by other users: made private to callhook’s user');
  }
}

/**
 * Only the configured store's driver is loaded: the MongoDB driver alone adds about 21 MB of
 * resident memory (bson allocates its 17 MB serialization buffer on load), which an instance on
 * SQLite would carry for nothing.
 */
async function openStore(config: Config, codec: WebhookCodec): Promise<Store> {
  if (config.mongodbUrl !== undefined) {
    const { openMongoStore } = await import('./storage/mongo/index.js');
    return openMongoStore({ url: config.mongodbUrl, codec });
  }
  const { openSqliteStore } = await import('./storage/sqlite/index.js');
  return openSqliteStore({ file: join(config.dataDir, 'callhook.db'), synchronous: config.sqliteSynchronous, codec });
}

/** Plain signing secrets are encrypted once a key is set; one the key cannot open stops the start. */
async function resealSecrets(store: Store, log: Logger): Promise<void> {
  try {
    const sealed = await store.resealWebhookSecrets();
    if (sealed > 0) log.info({ hooks: sealed }, 'webhook signing secrets encrypted with CALLHOOK_SECRETS_KEY');
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The console `npm run build` writes: <root>/dist/console, from src/ (tsx) and from dist/ alike. */
const builtConsoleDir = fileURLToPath(new URL('../dist/console/', import.meta.url));

export interface BuildOptions {
  log?: Logger;
  consoleDir?: string;
  /** Where a generated master API key is shown, once, in plain text (default stderr); never the log. */
  terminal?: { write(text: string): unknown };
}

function secretBoxOf(config: Config): SecretBox | undefined {
  if (config.secretsKey === undefined) return undefined;
  const key = parseSecretsKey(config.secretsKey);
  // loadConfig refuses a malformed key; a Config built by hand gets the same words.
  if (key === null) throw new StartupError('CALLHOOK_SECRETS_KEY must be 32 bytes, written as 64 hex digits or in base64');
  return new SecretBox(key);
}

/**
 * The generated master key, in plain text on the terminal, this once: it is stored hashed, and
 * structured logs (shipped, kept, read by many) must never hold a key.
 */
function showGeneratedKey(terminal: { write(text: string): unknown }, accountId: string, apiKey: string): void {
  terminal.write(
    `\ncallhook created the master account ${accountId} with this API key, shown only now:\n\n    ${apiKey}\n\n` +
      'Keep it somewhere safe: callhook stores only its hash and cannot show it again. Set CALLHOOK_MASTER_API_KEY to choose your own.\n\n',
  );
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config);
  const validator = new Validator();
  const documentLimits = { maxBytes: config.maxDocumentBytes, maxDepth: config.maxJsonDepth };
  const codec = new WebhookCodec(
    validator,
    (hook, reason) => log.warn({ account_id: hook.accountId, hook_id: hook.id, reason }, 'stored webhook cannot be read; it is left out'),
    documentLimits,
    secretBoxOf(config),
  );
  if (config.mongodbUrl !== undefined && config.jwtSecret === undefined) {
    // loadConfig refuses this pair; a Config built by hand gets the same words.
    throw new StartupError('MONGODB_URL needs CALLHOOK_JWT_SECRET: auth tokens are signed with a key the store never holds');
  }
  if (config.mongodbUrl === undefined) privateDataDir(config, log);
  // Never in the store: the setting, else a 0600 file in the data directory (MongoDB requires the setting).
  const signingKey = loadSigningKey({ dataDir: config.dataDir, ...(config.jwtSecret !== undefined ? { secret: config.jwtSecret } : {}) });
  const store = await openStore(config, codec);
  await resealSecrets(store, log);
  // Beside Kazoo: its tokens, its account tree (mirrored), its logins. Fan-out's account cache is
  // dropped whenever the mirror changes the tree.
  const kazoo =
    config.kazooUrl !== undefined && config.kazooApiKey !== undefined
      ? new KazooIntegration(
          store,
          {
            url: config.kazooUrl,
            apiKey: config.kazooApiKey,
            timeoutMs: config.kazooTimeoutMs,
            tokenCacheSeconds: config.kazooTokenCacheSeconds,
            resyncSeconds: config.kazooResyncSeconds,
            userAgent: `callhook/${callhookVersion}`,
            ...(config.masterApiKey !== undefined ? { masterApiKey: config.masterApiKey } : {}),
          },
          () => pipeline.accounts.clear(),
          log.child({ component: 'kazoo' }),
        )
      : undefined;
  const auth = AuthService.create(store, {
    signingKey: signingKey.key,
    tokenTtlSeconds: config.tokenTtlSeconds,
    ...(kazoo !== undefined ? { kazoo } : {}),
  });
  const accounts = new AccountService(store, validator, {
    documentLimits,
    maxDepth: config.maxAccountDepth,
    maxDescendants: config.maxDescendants,
    managedByKazoo: kazoo !== undefined,
    masterKeyFromSetting: config.masterApiKey !== undefined,
  });
  const allowedNetworks = parseCidrs(config.allowedNetworks);
  const catalog = new HookCatalog({ objectTypes: config.objectTypes, enabled: config.hookTypes });
  const webhooks = new WebhookService(store, validator, {
    allowedNetworks,
    documentLimits,
    maxHooksPerAccount: config.maxHooksPerAccount,
    minRetryDelaySeconds: config.minRetryDelaySeconds,
    catalog,
  });
  const metrics = createMetrics({
    pendingDeliveries: () => store.countPendingDeliveries(),
    lanes: () => pipeline.dispatcher.stats().lanes,
    backlogs: () => store.countPendingByHook(100),
  });
  // Kazoo's cluster_id: configured, or generated once and kept in the store for every instance.
  const clusterId = config.clusterId ?? (await store.getOrCreateSetting('cluster_id', newId()));
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pipeline = new DeliveryPipeline(
    store,
    validator,
    { ...config, owner, clusterId, allowedNetworks, userAgent: `callhook/${callhookVersion}` },
    metrics,
    log.child({ component: 'delivery' }),
  );

  const consumer =
    config.amqpUrl === undefined
      ? undefined
      : new AmqpConsumer(
          {
            url: config.amqpUrl,
            queue: config.amqpQueue,
            deadLetterQueue: config.amqpDeadLetterQueue,
            bindings: kazooBindings({ hookTypes: config.hookTypes, objectTypes: config.objectTypes, accountChanges: kazoo !== undefined }),
            prefetch: config.amqpPrefetch,
            deliveryLimit: config.amqpDeliveryLimit,
            queueType: config.amqpQueueType,
            isOutage: (error) => error instanceof UnavailableError,
            // The consumer names its own component (and queue) on its lines.
            log,
          },
          kazooMessageRouter({
            callEvents: callEventHandler(pipeline.intake, metrics),
            intake: pipeline.kazooEvents,
            enabled: (type) => catalog.isEnabled(type),
            ...(kazoo !== undefined ? { accountChanged: (change) => kazoo.mirror.accountChanged(change.accountId, change.action) } : {}),
            metrics,
            maxBytes: config.maxEventBytes,
            maxDepth: config.maxJsonDepth,
          }),
        );

  // The store is required: without it nothing can be accepted (unavailable). A configured broker
  // that is not up makes callhook degraded, not unready: the API and POST /v2/events still work,
  // retries go out, and AMQP reconnects by itself.
  const health = async (): Promise<HealthReport> => {
    const amqp = consumer === undefined ? { status: 'disabled' as const } : amqpCheck(consumer);
    // Kazoo being away is reported, not fatal: callhook's own tokens and the accounts it has keep working.
    const mirror = kazoo?.state();
    const others = {
      amqp,
      kazoo:
        mirror === undefined
          ? { status: 'disabled' as const }
          : { status: mirror.status, ...(mirror.detail !== undefined ? { detail: mirror.detail } : {}) },
    };
    try {
      await store.ping();
      // Serving either way; degraded when a configured broker or Kazoo is not up.
      const away = [others.amqp.status, others.kazoo.status].some((status) => status !== 'up' && status !== 'disabled');
      return { status: away ? 'degraded' : 'ready', checks: { store: { status: 'up' }, ...others } };
    } catch (error) {
      return { status: 'unavailable', checks: { store: { status: 'down', detail: (error as Error).message }, ...others } };
    }
  };

  const envelope = { version: config.apiVersion, node: nodeId() };
  const http = buildHttpApp(
    {
      envelope,
      auth,
      accounts,
      webhooks,
      attempts: new AttemptService(store),
      stats: new StatsService(store),
      deliveries: new DeliveryService(store),
      validator,
      catalog,
      samples,
      pageSize: config.pageSize,
      maxPageSize: config.maxPageSize,
      bodyLimitBytes: config.bodyLimitBytes,
      jsonLimits: { maxBytes: config.maxEventBytes, maxDepth: config.maxJsonDepth },
      maxAttemptRangeSeconds,
      health,
      consoleDir: options.consoleDir ?? builtConsoleDir,
      events: pipeline.intake,
      ping: (hook) => pipeline.pinger.ping(hook),
      metrics,
      rateLimits: new RateLimits(
        {
          eventsPerSecond: config.rateEventsPerSecond,
          eventsBurst: config.rateEventsBurst,
          pingsPerMinute: config.ratePingsPerMinute,
          recoversPerMinute: config.rateRecoversPerMinute,
        },
        (limit) => metrics.rateLimited.inc({ limit }),
      ),
    },
    log,
  );

  let server: Server | undefined;

  return {
    log,
    store,
    metrics,
    pipeline,
    consumer,
    kazoo,
    async start() {
      let keySource: SummaryFacts['masterKey'];
      if (kazoo !== undefined) {
        // Kazoo's master is the root; the first sync places it (and keeps CALLHOOK_MASTER_API_KEY on it).
        await kazoo.start();
        keySource = config.masterApiKey !== undefined ? 'setting' : 'kazoo';
      } else {
        const master = await accounts.bootstrapMaster(
          { name: config.masterAccountName, ...(config.masterApiKey !== undefined ? { apiKey: config.masterApiKey } : {}) },
          log,
        );
        keySource = master.keySource;
        if (master.generatedKey !== undefined) showGeneratedKey(options.terminal ?? process.stderr, master.account.id, master.generatedKey);
      }
      const listening = createHttpServer(
        http.callback(),
        {
          headersTimeoutMs: config.httpHeadersTimeoutMs,
          requestTimeoutMs: config.httpRequestTimeoutMs,
          keepAliveTimeoutMs: config.httpKeepAliveTimeoutMs,
        },
        envelope,
        log.child({ component: 'http' }),
      ).listen(config.port, config.host);
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', resolve);
        listening.once('error', reject);
      });
      await pipeline.start();
      await consumer?.start();
      const port = (listening.address() as AddressInfo).port;
      const summary = startupSummary(config, port, { masterKey: keySource, broker: consumer?.state(), tokenKey: signingKey.source });
      log.info({ port, ...summary }, 'callhook listening');
      return { port };
    },
    async stop() {
      // Delivery first stops claiming and cuts requests in flight short, so nothing intake waits
      // on (room in the dispatcher) can hold the shutdown; then intake finishes what it holds and
      // stops taking more, the API closes, and every lease goes back for another instance.
      await pipeline.quiesce();
      await consumer?.stop();
      if (server !== undefined) {
        const closing = server;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeIdleConnections();
        });
      }
      await pipeline.stop();
      await kazoo?.stop();
      await store.close();
      log.info('callhook stopped');
    },
  };
}
