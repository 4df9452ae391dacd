import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, defaults, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('uses the documented defaults with an empty environment', () => {
    assert.deepEqual({ ...loadConfig({}) }, defaults);
  });

  it('reads every kind of variable', () => {
    const config = loadConfig({
      PORT: '9000',
      MONGODB_URL: 'mongodb://db:27017/hooks',
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
    try {
      loadConfig({ PORT: 'eighty', CALLHOOK_ALLOWED_NETWORKS: 'somewhere', CALLHOOK_RETRY_SCHEDULE: '10,x', CALLHOOK_LOG_LEVEL: 'loud' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const name of ['PORT', 'CALLHOOK_ALLOWED_NETWORKS', 'CALLHOOK_RETRY_SCHEDULE', 'CALLHOOK_LOG_LEVEL']) {
        assert.match(text, new RegExp(name));
      }
    }
  });
});
