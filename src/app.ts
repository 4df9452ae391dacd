/**
 * The composition root: builds every part from one Config and returns { start, stop }.
 * main.ts and the tests both go through here, so tests run the real wiring.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { parseCidrs } from './domain/networks.js';
import { samples } from './domain/samples.js';
import type { HealthReport } from './http/deps.js';
import { nodeId } from './http/envelope.js';
import { buildHttpApp } from './http/server.js';
import { DeliveryPipeline } from './delivery/pipeline.js';
import { newId } from './ids.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { AccountService } from './services/account-service.js';
import { AuthService } from './services/auth-service.js';
import { WebhookService } from './services/webhook-service.js';
import { openMongoStore } from './storage/mongo/index.js';
import { openSqliteStore } from './storage/sqlite/index.js';
import type { Store } from './storage/store.js';
import { Validator } from './validation/validator.js';
import { callhookVersion } from './version.js';

/** Crossbar's default `maximum_range`: 31 days and an hour. */
const maxAttemptRangeSeconds = 2_682_000;

export interface App {
  readonly log: Logger;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly pipeline: DeliveryPipeline;
  /** Starts listening; resolves with the bound port. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

async function openStore(config: Config): Promise<Store> {
  if (config.mongodbUrl !== undefined) return openMongoStore({ url: config.mongodbUrl });
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteStore({ file: join(config.dataDir, 'callhook.db') });
}

export async function buildApp(config: Config, options: { log?: Logger } = {}): Promise<App> {
  const log = options.log ?? createLogger(config);
  const store = await openStore(config);
  const validator = new Validator();
  const auth = await AuthService.create(store, {
    tokenTtlSeconds: config.tokenTtlSeconds,
    ...(config.jwtSecret !== undefined ? { jwtSecret: config.jwtSecret } : {}),
  });
  const accounts = new AccountService(store, validator);
  const allowedNetworks = parseCidrs(config.allowedNetworks);
  const webhooks = new WebhookService(store, validator, {
    allowedNetworks,
    maxHooksPerAccount: config.maxHooksPerAccount,
  });
  const metrics = createMetrics({ pendingDeliveries: () => store.countPendingDeliveries() });
  // Kazoo's cluster_id: configured, or generated once and kept in the store for every instance.
  const clusterId = config.clusterId ?? (await store.getOrCreateSetting('cluster_id', newId()));
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pipeline = new DeliveryPipeline(
    store,
    validator,
    {
      owner,
      clusterId,
      allowedNetworks,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      retrySchedule: config.retrySchedule,
      logSuccessfulAttempts: config.logSuccessfulAttempts,
      attemptRetentionDays: config.attemptRetentionDays,
      maxConcurrencyPerDestination: config.maxConcurrencyPerDestination,
      maxQueuedPerDestination: config.maxQueuedPerDestination,
      maxInFlight: config.maxInFlight,
      responseBodyLimitBytes: config.responseBodyLimitBytes,
      leaseSeconds: config.leaseSeconds,
      pollIntervalMs: config.pollIntervalMs,
      userAgent: `callhook/${callhookVersion}`,
      ...(config.reservedCcvKeys !== undefined ? { reservedCcvKeys: config.reservedCcvKeys } : {}),
    },
    metrics,
    log.child({ component: 'delivery' }),
  );

  const health = async (): Promise<HealthReport> => {
    try {
      await store.ping();
      return { ready: true, checks: { store: { status: 'up' }, amqp: { status: 'disabled' } } };
    } catch (error) {
      return {
        ready: false,
        checks: { store: { status: 'down', detail: (error as Error).message }, amqp: { status: 'disabled' } },
      };
    }
  };

  const http = buildHttpApp(
    {
      envelope: { version: config.apiVersion, node: nodeId() },
      auth,
      accounts,
      webhooks,
      store,
      validator,
      samples,
      pageSize: config.pageSize,
      bodyLimitBytes: config.bodyLimitBytes,
      maxAttemptRangeSeconds,
      health,
      events: pipeline.intake,
      metrics,
    },
    log,
  );

  let server: Server | undefined;

  return {
    log,
    store,
    metrics,
    pipeline,
    async start() {
      await accounts.bootstrapMaster(
        { name: config.masterAccountName, ...(config.masterApiKey !== undefined ? { apiKey: config.masterApiKey } : {}) },
        log,
      );
      const listening = http.listen(config.port, config.host);
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', resolve);
        listening.once('error', reject);
      });
      pipeline.start();
      const port = (listening.address() as AddressInfo).port;
      log.info({ port, store: config.mongodbUrl !== undefined ? 'mongodb' : 'sqlite' }, 'callhook listening');
      return { port };
    },
    async stop() {
      if (server !== undefined) {
        const closing = server;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeIdleConnections();
        });
      }
      await pipeline.stop();
      await store.close();
      log.info('callhook stopped');
    },
  };
}
