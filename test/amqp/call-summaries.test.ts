import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/domain/json.js';
import { newStorePlace, startTestApp, type TestApp } from '../support/app.js';
import { AMQP_URL, deleteQueues, publishKazooEvents, uniqueName } from '../support/amqp.js';
import { sleep, until } from '../support/wait.js';
import {
  agent,
  answeredWithTransfer,
  answeredWithTransferObject,
  caller,
  CallScript,
  callStart as start,
  callTags as tags,
  recordingTemplate,
} from '../support/call-script.js';
import { dataOf } from '../support/client.js';
import { Receiver, type ReceivedRequest } from '../support/receiver.js';
import { quickDelivery, startScenario, type Scenario } from '../support/scenario.js';

const template = recordingTemplate;

interface Summary {
  event_code: string;
  webhook: { id: string; url: string };
  object: JsonObject;
  [key: string]: unknown;
}

function summaries(receiver: Receiver, path: string): Summary[] {
  return receiver.requests.filter((r: ReceivedRequest) => r.path === path).map((r) => JSON.parse(r.body) as Summary);
}

async function settle(receiver: Receiver, path: string, count: number): Promise<Summary[]> {
  await until(() => (summaries(receiver, path).length >= count ? true : undefined), 15_000, `${count} summaries at ${path}`);
  // Anything extra (a second call.finished, say) would arrive within this pause.
  await sleep(1200);
  return summaries(receiver, path);
}

describe('Atende-style call summaries from Kazoo events over RabbitMQ', () => {
  const queue = uniqueName('callhook.test.calls');
  let s: Scenario;
  let receiver: Receiver;
  let account: string;
  before(async () => {
    receiver = await Receiver.start();
    s = await startScenario({
      amqpUrl: AMQP_URL,
      amqpQueue: queue,
      amqpDeadLetterQueue: `${queue}.dead`,
      callSettleMs: 300,
      recordingUrlTemplate: template,
    });
    await s.app.app.consumer?.waitUntilUp(10_000);
    const created = await s.client.request('PUT', `/v2/accounts/${s.account.id}`, {
      token: s.master.token,
      data: { name: 'Call center', timezone: 'America/Sao_Paulo', business_hours: { sun: ['06:00-12:00'], mon: ['09:00-18:00'] } },
    });
    assert.equal(created.status, 201, created.text);
    account = dataOf<{ id: string }>(created).id;
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    await deleteQueues(AMQP_URL, [queue, `${queue}.dead`]);
  });

  const hooks = async (prefix: string, extra: JsonObject = {}): Promise<Record<string, { id: string; path: string }>> => {
    const out: Record<string, { id: string; path: string }> = {};
    for (const code of ['call.newcall', 'call.finished', 'call.audio_available']) {
      const path = `/${prefix}/${code}`;
      const id = await s.hook({ name: `${prefix} ${code}`, uri: receiver.url(path), hook: code, format: 'json', ...extra }, account);
      out[code] = { id, path };
    }
    return out;
  };

  it('answered call with a transfer: one newcall, one finished and one audio_available, field by field', async () => {
    const h = await hooks('answered', { custom_data: { crm: 'acme' } });
    const { script, a, path } = answeredWithTransfer(account);
    await publishKazooEvents(AMQP_URL, 'callevt', script.messages);

    const [newcall, ...moreNew] = await settle(receiver, h['call.newcall']!.path, 1);
    assert.equal(moreNew.length, 0, 'one call.newcall per call');
    assert.deepEqual(newcall, {
      crm: 'acme',
      event_code: 'call.newcall',
      webhook: { id: h['call.newcall']!.id, url: receiver.url(h['call.newcall']!.path) },
      object: {
        call_id: a.callId,
        from_number: '5521988887777',
        dnis: '5521333344444',
        call_started_at: '2023-12-31T06:36:07.000-03:00',
        status: null,
        status_details: null,
        business_hours: 'worktime',
        inbound_amount: null,
        total_amount: null,
        billed_duration: null,
        inbound_duration: null,
        selected_options: [],
        call_tags: tags,
        audio_url: null,
        outbound_calls: [],
      },
    });

    const [finished, ...moreFinished] = await settle(receiver, h['call.finished']!.path, 1);
    assert.equal(moreFinished.length, 0, 'one call.finished per call');
    const complete = answeredWithTransferObject(account, a.callId);
    assert.deepEqual(finished, {
      crm: 'acme',
      event_code: 'call.finished',
      webhook: { id: h['call.finished']!.id, url: receiver.url(h['call.finished']!.path) },
      object: complete,
    });
    assert.ok(path.endsWith('.mp3'));

    const [audio, ...moreAudio] = await settle(receiver, h['call.audio_available']!.path, 1);
    assert.equal(moreAudio.length, 0, 'one call.audio_available per recording');
    assert.equal(audio?.event_code, 'call.audio_available');
    assert.deepEqual(audio?.object, complete);

    const attempts = dataOf<Array<{ hook_event: string }>>(
      await s.client.request('GET', `/v2/accounts/${account}/webhooks/${h['call.finished']!.id}/attempts`, { token: s.master.token }),
    );
    assert.equal(attempts[0]?.hook_event, 'call.finished');
  });

  it('missed call that rang two agents, and a busy one', async () => {
    const h = await hooks('missed');
    const missed = new CallScript(account, start + 86_400); // Monday 06:36 local, before opening
    const a = caller(missed);
    const b1 = agent(missed, 'Agent One', '1001', false);
    const b2 = agent(missed, 'Agent Two', '1002', false);
    missed.create(a, 0);
    missed.create(b1, 2);
    missed.create(b2, 2);
    missed.destroy(b1, 20, { cause: 'ORIGINATOR_CANCEL', billing: 0 });
    missed.destroy(b2, 20, { cause: 'ORIGINATOR_CANCEL', billing: 0 });
    missed.destroy(a, 20, { cause: 'NORMAL_CLEARING', billing: 0 });

    const busy = new CallScript(account, start + 86_400 + 3 * 3600); // Monday 09:36 local: open
    const a2 = caller(busy);
    const b3 = agent(busy, 'Agent Three', '1003', false);
    busy.create(a2, 0);
    busy.create(b3, 1);
    busy.destroy(b3, 2, { cause: 'USER_BUSY', billing: 0 });
    busy.destroy(a2, 3, { cause: 'USER_BUSY', billing: 0 });
    await publishKazooEvents(AMQP_URL, 'callevt', [...missed.messages, ...busy.messages]);

    const finished = await settle(receiver, h['call.finished']!.path, 2);
    assert.equal(finished.length, 2);
    const byCall = new Map(finished.map((f) => [f.object['call_id'], f.object]));
    assert.deepEqual(byCall.get(a.callId), {
      call_id: a.callId,
      from_number: '5521988887777',
      dnis: '5521333344444',
      call_started_at: '2024-01-01T06:36:07.000-03:00',
      status: 'missed',
      status_details: 'normal_clearing',
      business_hours: 'offtime',
      inbound_amount: '0.0',
      total_amount: '0.0',
      billed_duration: 0,
      inbound_duration: 20,
      selected_options: [],
      call_tags: [],
      audio_url: null,
      outbound_calls: [
        {
          started_at: '2024-01-01T06:36:09.000-03:00',
          phone_number: '1001',
          name: 'Agent One',
          extension: 1001,
          duration: 0,
          amount: '0.0',
        },
        {
          started_at: '2024-01-01T06:36:09.000-03:00',
          phone_number: '1002',
          name: 'Agent Two',
          extension: 1002,
          duration: 0,
          amount: '0.0',
        },
      ],
    });
    const busyObject = byCall.get(a2.callId);
    assert.equal(busyObject?.['status'], 'busy');
    assert.equal(busyObject?.['status_details'], 'user_busy');
    assert.equal(busyObject?.['business_hours'], 'worktime');
    assert.equal(summaries(receiver, h['call.audio_available']!.path).length, 0, 'no recording, no audio_available');
    assert.equal(summaries(receiver, h['call.newcall']!.path).length, 2);
  });

  it('duplicated and reordered events still give one of each, with the same content', async () => {
    const h = await hooks('shuffled');
    const { script, a } = answeredWithTransfer(account);
    // Reversed (hangups first), and every other event published twice, as Kazoo does with
    // several ecallmgrs on one media server.
    const shuffled = [...script.messages].reverse().flatMap((m, i) => (i % 2 === 0 ? [m, m] : [m]));
    await publishKazooEvents(AMQP_URL, 'callevt', shuffled);
    const finished = await settle(receiver, h['call.finished']!.path, 1);
    assert.equal(finished.length, 1);
    assert.equal(finished[0]?.object['call_id'], a.callId);
    assert.equal(finished[0]?.object['total_amount'], '0.72');
    assert.deepEqual(finished[0]?.object['selected_options'], ['1', '3']);
    assert.equal((finished[0]?.object['outbound_calls'] as unknown[]).length, 2);
    assert.equal(summaries(receiver, h['call.newcall']!.path).length, 1);
    assert.equal(summaries(receiver, h['call.audio_available']!.path).length, 1);
  });
});

describe('call summaries with two instances consuming one queue and sharing one store', () => {
  const queue = uniqueName('callhook.test.calls2');
  let receiver: Receiver;
  const place = newStorePlace();
  const apps: TestApp[] = [];
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => {
    for (const app of apps) await app.stop();
    await receiver.close();
    await deleteQueues(AMQP_URL, [queue, `${queue}.dead`]);
    await place.dispose();
  });

  it('each call yields exactly one newcall and one finished per hook', async () => {
    const options = {
      ...quickDelivery,
      amqpUrl: AMQP_URL,
      amqpQueue: queue,
      amqpDeadLetterQueue: `${queue}.dead`,
      amqpPrefetch: 1,
      callSettleMs: 300,
    };
    const first = await startScenario(options, place);
    apps.push(first.app);
    const second = await startTestApp(options, place);
    apps.push(second);
    await first.app.app.consumer?.waitUntilUp(10_000);
    await second.app.consumer?.waitUntilUp(10_000);
    for (const code of ['call.newcall', 'call.finished']) {
      await first.hook({ name: code, uri: receiver.url(`/two/${code}`), hook: code, format: 'json' });
    }
    const calls = Array.from({ length: 10 }, (_, i) => {
      const { script, a } = answeredWithTransfer(first.account.id);
      void i;
      return { script, a };
    });
    await publishKazooEvents(
      AMQP_URL,
      'callevt',
      calls.flatMap(({ script }) => script.messages),
    );
    const finished = await settle(receiver, '/two/call.finished', 10);
    assert.deepEqual(finished.map((f) => f.object['call_id']).sort(), calls.map(({ a }) => a.callId).sort(), 'one call.finished per call');
    for (const f of finished) assert.equal(f.object['total_amount'], '0.72', 'each built from all of its legs');
    assert.equal(summaries(receiver, '/two/call.newcall').length, 10);
    const consumed = async (app: TestApp): Promise<number> => {
      const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
      return [...text.matchAll(/^callhook_events_consumed_total\{[^}]*source="amqp"[^}]*\} (\d+)/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    };
    assert.ok((await consumed(first.app)) > 0 && (await consumed(second)) > 0, 'both instances took events');
  });
});
