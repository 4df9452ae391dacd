/**
 * A store that cannot take writes is nobody's fault: AMQP intake holds the messages (uncounted, so
 * no good event is dead-lettered for it) and tries again until the store answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnavailableError } from '../../src/errors.js';
import { privateVhost, publishKazooEvents, queueDepth, uniqueName } from '../support/amqp.js';
import { buildKazooMessage } from '../support/factories.js';
import { captureLog } from '../support/log-capture.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { sleep, until } from '../support/wait.js';

describe('a store outage during AMQP intake', () => {
  const queue = uniqueName('callhook.test.outage');
  const { log, lines } = captureLog('warn');
  let s: Scenario;
  let broker: Awaited<ReturnType<typeof privateVhost>>;
  let receiver: Receiver;
  before(async () => {
    broker = await privateVhost();
    receiver = await Receiver.start();
    s = await startScenario(
      { amqpUrl: broker.url, amqpQueue: queue, amqpDeadLetterQueue: `${queue}.dead`, amqpDeliveryLimit: 2 },
      undefined,
      {
        log,
      },
    );
    await s.app.app.consumer?.waitUntilUp(10_000);
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    await broker.dispose();
  });

  it('holds events while the store is locked, counts nothing against them, and delivers them after', { timeout: 60_000 }, async () => {
    await s.hook({ name: 'outage', uri: receiver.url('/outage'), hook: 'channel_create', format: 'json' });
    // The store stops taking writes, as an unreachable server or a full disk would (adapters turn
    // those into UnavailableError; a SQLite lock held by another process is SQLITE_BUSY).
    const store = s.app.app.store as unknown as Record<string, unknown>;
    const insert = store['insertDeliveries'];
    store['insertDeliveries'] = async () => {
      throw new UnavailableError('store unavailable in insertDeliveries: server selection timed out');
    };
    try {
      await publishKazooEvents(
        broker.url,
        'callevt',
        Array.from({ length: 5 }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id })),
      );
      await until(
        () => (lines.some((line) => line['msg'] === 'cannot store events now; holding messages and trying again') ? true : undefined),
        20_000,
      );
      await sleep(12_000);
      assert.equal(receiver.requests.length, 0, 'nothing was stored, so nothing was sent');
    } finally {
      store['insertDeliveries'] = insert;
    }
    await until(() => (receiver.requests.filter((r) => r.path === '/outage').length >= 5 ? true : undefined), 20_000, 'the held events');
    assert.equal(await queueDepth(broker.url, `${queue}.dead`), 0, 'an outage dead-letters nothing, though the limit is 2');
    assert.equal(await queueDepth(broker.url, queue), 0);
    assert.ok(
      lines.filter((line) => line['msg'] === 'cannot store events now; holding messages and trying again').length <= 3,
      'a line per ten seconds, not per message',
    );
  });
});
