/**
 * The one way tests run callhook: the real app through buildApp() with a test config (port 0 on
 * loopback, a known master API key, loopback allowed as a hook destination) on a store of its own.
 * The store is SQLite in a fresh directory, or, when MONGODB_URL is set, a fresh MongoDB database,
 * so every integration test can be run against MongoDB with one variable. Several apps may share
 * one store place (instances of one deployment); whoever created the place disposes of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { MongoClient } from 'mongodb';
import { buildApp, type App, type BuildOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { Client } from './client.js';
import { newId } from './factories.js';

export const masterApiKey = 'test-master-key-0123456789abcdef0123456789abcdef';
export const jwtSecret = 'test-jwt-secret-that-is-long-enough-0123456789';

/** Where a test deployment keeps its data: a SQLite directory, or a MongoDB database. */
export interface StorePlace {
  dataDir: string;
  mongodbUrl?: string;
  /** The same place as environment variables, for callhook run as a child process. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** `mongodb://host/anything?opts` with the database part replaced. */
function withDatabase(url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}`);
}

export function newStorePlace(): StorePlace {
  const dataDir = mkdtempSync(join(tmpdir(), 'callhook-test-'));
  const base = process.env['MONGODB_URL'];
  const mongodbUrl = base === undefined || base === '' ? undefined : withDatabase(base, `callhook_test_${newId().slice(0, 16)}`);
  return {
    dataDir,
    ...(mongodbUrl !== undefined ? { mongodbUrl } : {}),
    // MongoDB deployments must name the token-signing key (the store never holds it).
    env: { CALLHOOK_DATA_DIR: dataDir, ...(mongodbUrl !== undefined ? { MONGODB_URL: mongodbUrl, CALLHOOK_JWT_SECRET: jwtSecret } : {}) },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      if (mongodbUrl === undefined) return;
      const client = new MongoClient(mongodbUrl);
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

export interface TestApp {
  app: App;
  config: Config;
  baseUrl: string;
  place: StorePlace;
  stop(): Promise<void>;
}

export async function startTestApp(overrides: Partial<Config> = {}, shared?: StorePlace, options: BuildOptions = {}): Promise<TestApp> {
  const place = shared ?? newStorePlace();
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: place.dataDir,
      ...(place.mongodbUrl !== undefined ? { mongodbUrl: place.mongodbUrl } : {}),
      logLevel: 'silent',
      masterApiKey,
      jwtSecret,
      allowedNetworks: ['127.0.0.0/8'],
      ...overrides,
    },
  );
  // A generated master key is shown on the terminal; tests that want it pass their own.
  const app = await buildApp(config, { terminal: { write: () => true }, ...options });
  const { port } = await app.start();
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    place,
    async stop() {
      await app.stop();
      if (shared === undefined) await place.dispose();
    },
  };
}

/**
 * Starts an app (and a client on it) before the enclosing describe's tests and stops it after.
 * The fields are set once `before` has run.
 */
export function useTestApp(overrides: Partial<Config> = {}): { readonly app: TestApp; readonly client: Client } {
  const context = {} as { app: TestApp; client: Client };
  before(async () => {
    context.app = await startTestApp(overrides);
    context.client = new Client(context.app.baseUrl);
  });
  after(() => context.app.stop());
  return context;
}
