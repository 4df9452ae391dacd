/**
 * Starts the real app through buildApp() with a test config: port 0 on loopback, a fresh SQLite
 * data dir, a known master API key, and loopback allowed as a hook destination.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';

export const masterApiKey = 'test-master-key-0123456789abcdef0123456789abcdef';
export const jwtSecret = 'test-jwt-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: App;
  config: Config;
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'callhook-test-'));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      masterApiKey,
      jwtSecret,
      allowedNetworks: ['127.0.0.0/8'],
      ...overrides,
    },
  );
  const app = await buildApp(config);
  const { port } = await app.start();
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
