/**
 * The Docker Compose deployment, read as Compose reads it: every setting can reach the container,
 * shutdown gets its time, the broker keeps its data and gates start-up, instances can be scaled,
 * and the Kazoo-broker override drops the bundled one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, type Tags } from 'yaml';
import { configDefaults, configSettings } from '../src/config.js';
import { defaultText } from '../src/config/settings.js';

type Service = {
  env_file?: Array<{ path: string; required: boolean }>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  profiles?: string[];
  container_name?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const text = (name: string): string => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
// Compose's merge tags read as plain collections.
const customTags: Tags = [{ tag: '!override', collection: 'map', resolve: (value) => value }];
const compose = (name: string): Compose => parse(text(name), { customTags }) as Compose;

function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  assert.ok(match, duration);
  return Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'] ?? 0);
}

describe('docker compose', () => {
  const { services, volumes } = compose('docker-compose.yml');
  const callhook = services['callhook'] as Service;

  it('passes every setting through an env file, documented in callhook.env.example', () => {
    assert.deepEqual(callhook.env_file, [
      { path: 'deploy/compose.env', required: true },
      { path: 'callhook.env', required: false },
    ]);
    const example = text('callhook.env.example');
    for (const setting of configSettings) {
      const line = `# ${setting.env}=${setting.default === undefined ? '' : defaultText(setting)}\n`;
      assert.ok(example.includes(line), `${setting.env} is missing from callhook.env.example: run npm run env:example`);
    }
    const bundled = text('deploy/compose.env');
    assert.match(bundled, /^MONGODB_URL=mongodb:\/\/mongo:27017\//m);
    assert.match(bundled, /^AMQP_URL=amqp:\/\/guest:guest@rabbitmq:5672$/m);
    assert.match(text('.gitignore'), /^callhook\.env$/m, 'your settings (and keys) stay out of git');
  });

  it('gives shutdown more time than its deadline, and can run three instances', () => {
    const deadline = Number(configDefaults().shutdownTimeoutMs) / 1000;
    assert.ok(seconds(callhook.stop_grace_period ?? '10s') > deadline, `${callhook.stop_grace_period} > ${deadline} s`);
    assert.equal(callhook.container_name, undefined);
    assert.deepEqual(callhook.ports, ['8000-8009:8000'], 'a host port range, one port per instance');
    assert.ok(callhook.healthcheck);
  });

  it('keeps RabbitMQ’s data in a volume and starts callhook only once its dependencies are healthy', () => {
    const rabbit = services['rabbitmq'] as Service;
    assert.ok(rabbit.volumes?.includes('rabbitmq-data:/var/lib/rabbitmq'));
    assert.ok(volumes !== undefined && 'rabbitmq-data' in volumes);
    assert.ok(rabbit.healthcheck?.test.join(' ').includes('rabbitmq-diagnostics'));
    assert.deepEqual(callhook.depends_on, { mongo: { condition: 'service_healthy' }, rabbitmq: { condition: 'service_healthy' } });
  });

  it('has an override that uses Kazoo’s broker and leaves the bundled one out', () => {
    const override = compose('docker-compose.kazoo.yml').services;
    assert.deepEqual(override['callhook']?.depends_on, { mongo: { condition: 'service_healthy' } });
    assert.deepEqual(override['rabbitmq']?.profiles, ['bundled-broker']);
    assert.match(text('docker-compose.kazoo.yml'), /depends_on: !override/);
  });

  it('builds the console into the image', () => {
    const dockerfile = text('Dockerfile');
    assert.match(dockerfile, /COPY console \.\/console/);
    assert.match(dockerfile, /COPY scripts \.\/scripts/);
    assert.match(dockerfile, /RUN npm run build/);
  });
});
