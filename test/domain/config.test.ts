import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, configSettings, loadConfig } from '../../src/config.js';
import { defaultText, helpText } from '../../src/config/settings.js';

function problemsOf(env: Record<string, string>, overrides = {}): string[] {
  try {
    loadConfig(env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** The README's configuration table: variable → default cell, as a reader sees it. */
function readmeTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`([A-Z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined && cells.length >= 4) rows.set(name, cells[2] ?? '');
  }
  return rows;
}

describe('configuration', () => {
  it('applies the defaults the README documents, for every setting', () => {
    const config = loadConfig({});
    const table = readmeTable();
    assert.equal(config.port, 8000);
    assert.equal(config.leaseSeconds, 120);
    assert.deepEqual(config.retrySchedule, [60, 300, 900, 3600]);
    for (const setting of configSettings) {
      const documented = table.get(setting.env);
      assert.ok(documented !== undefined, `${setting.env} is missing from the README's configuration table`);
      if (setting.default === undefined) {
        assert.equal(config[setting.key], undefined, `${setting.env} has no default`);
      } else {
        assert.deepEqual(config[setting.key], setting.default);
        assert.ok(documented.includes(defaultText(setting)), `README documents ${setting.env}'s default as ${documented}`);
      }
    }
  });

  it('reads every kind of variable', () => {
    const config = loadConfig({
      PORT: '9000',
      MONGODB_URL: 'mongodb://db:27017/hooks',
      CALLHOOK_JWT_SECRET: 'j'.repeat(48),
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      CALLHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, 127.0.0.0/8',
      CALLHOOK_RETRY_SCHEDULE: '10,300,7200',
      CALLHOOK_LOG_SUCCESSFUL_ATTEMPTS: 'false',
      CALLHOOK_MASTER_API_KEY: '',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.mongodbUrl, 'mongodb://db:27017/hooks');
    assert.deepEqual(config.allowedNetworks, ['10.0.0.0/8', '127.0.0.0/8']);
    assert.deepEqual(config.retrySchedule, [10, 300, 7200]);
    assert.equal(config.logSuccessfulAttempts, false);
    assert.equal(config.masterApiKey, undefined, 'an empty variable counts as unset');
    assert.ok(Object.isFrozen(config));
  });

  it('reports every problem at once, naming the variables', () => {
    const text = problemsOf({
      PORT: 'eighty',
      CALLHOOK_ALLOWED_NETWORKS: 'somewhere',
      CALLHOOK_RETRY_SCHEDULE: '10,x',
      CALLHOOK_LOG_LEVEL: 'loud',
    }).join('\n');
    for (const name of ['PORT', 'CALLHOOK_ALLOWED_NETWORKS', 'CALLHOOK_RETRY_SCHEDULE', 'CALLHOOK_LOG_LEVEL']) {
      assert.match(text, new RegExp(name));
    }
  });

  it('stops at a misspelt CALLHOOK_ variable and names the closest setting', () => {
    assert.deepEqual(problemsOf({ CALLHOOK_LEASE_SECONDS: '60' }), [
      'CALLHOOK_LEASE_SECONDS: not a callhook setting; did you mean CALLHOOK_LEASE_S?',
    ]);
    assert.deepEqual(problemsOf({ CALLHOOK_MAX_HEAP_MB: '256', HOME: '/root' }), [], 'the heap cap and foreign variables are fine');
  });

  it('refuses settings that contradict each other, naming both', () => {
    const [lease] = problemsOf({ CALLHOOK_LEASE_S: '10', CALLHOOK_DELIVERY_TIMEOUT_MS: '10000' });
    assert.match(lease ?? '', /CALLHOOK_LEASE_S \(10 s\).*CALLHOOK_DELIVERY_TIMEOUT_MS \(10000 ms\)/);
    assert.deepEqual(problemsOf({ CALLHOOK_LEASE_S: '12', CALLHOOK_DELIVERY_TIMEOUT_MS: '10000' }), []);
    const [lanes] = problemsOf({ CALLHOOK_MAX_CONCURRENCY_PER_DESTINATION: '64', CALLHOOK_MAX_IN_FLIGHT: '32' });
    assert.match(lanes ?? '', /CALLHOOK_MAX_CONCURRENCY_PER_DESTINATION \(64\) cannot exceed CALLHOOK_MAX_IN_FLIGHT \(32\)/);
    const [queues] = problemsOf({ CALLHOOK_AMQP_QUEUE: 'same', CALLHOOK_AMQP_DEAD_LETTER_QUEUE: 'same' });
    assert.match(queues ?? '', /CALLHOOK_AMQP_QUEUE and CALLHOOK_AMQP_DEAD_LETTER_QUEUE are both "same"/);
    const [poll] = problemsOf({ CALLHOOK_POLL_INTERVAL_MS: '60000', CALLHOOK_LEASE_S: '60' });
    assert.match(poll ?? '', /CALLHOOK_POLL_INTERVAL_MS \(60000 ms\) must be shorter than CALLHOOK_LEASE_S \(60 s\)/);
    const [signing] = problemsOf({ MONGODB_URL: 'mongodb://db:27017/hooks' });
    assert.match(signing ?? '', /^MONGODB_URL needs CALLHOOK_JWT_SECRET: .*every instance must have the same one/);
    // Overrides (tests, embedding) are named by their variable too.
    const [overridden] = problemsOf({}, { leaseSeconds: 5, deliveryTimeoutMs: 4000 });
    assert.match(overridden ?? '', /^CALLHOOK_LEASE_S \(5 s\)/);
  });

  it('takes a secrets key of 32 bytes in hex or base64 and refuses anything else, saying how to make one', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 7).toString('base64');
    for (const key of [hex, base64, Buffer.alloc(32, 7).toString('base64url')]) {
      assert.deepEqual(problemsOf({ CALLHOOK_SECRETS_KEY: key }), [], key);
    }
    for (const key of ['short', 'ab'.repeat(31), Buffer.alloc(31).toString('base64'), Buffer.alloc(33).toString('base64')]) {
      const [problem] = problemsOf({ CALLHOOK_SECRETS_KEY: key });
      assert.match(problem ?? '', /^CALLHOOK_SECRETS_KEY: must be 32 bytes.*openssl rand -base64 32/, key);
    }
  });

  it('--help lists every setting with its default', () => {
    const text = helpText();
    for (const setting of configSettings) {
      const line = text.split('\n').find((l) => l.trim().startsWith(`${setting.env} `));
      assert.ok(line !== undefined, `${setting.env} is in --help`);
      assert.ok(line.includes(defaultText(setting)), `${setting.env}'s default is in --help`);
    }
  });
});
