/**
 * callhook as a new user starts it: a real process, no master key, a broker that is down. What it
 * prints (a start-up summary, ISO times, one warning for the broker and no stack traces, no line per
 * health probe, no duplicated keys), what /health says, --help and a misspelt variable; and that
 * start-up maps none of ICU's data (about 6 MB resident once mapped).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configSettings } from '../src/config.js';
import { defaultText } from '../src/config/settings.js';
import { newStorePlace, type StorePlace } from './support/app.js';
import { duplicateKeys } from './support/json-keys.js';
import { spawnApp, type ChildApp } from './support/process.js';
import { sleep, until } from './support/wait.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));

/** A loopback port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('first start, broker down', () => {
  let place: StorePlace;
  let child: ChildApp;
  let brokerUrl: string;
  before(async () => {
    place = newStorePlace();
    brokerUrl = `amqp://guest:secret@127.0.0.1:${await closedPort()}`;
    child = await spawnApp({ ...place.env, AMQP_URL: brokerUrl });
  });
  after(async () => {
    await child.kill('SIGTERM');
    await place.dispose();
  });

  /** The log (JSON lines); the generated key is the only other text, written straight to stderr. */
  const logLines = (): string[] =>
    child
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
  const lines = (): Array<Record<string, unknown>> => logLines().map((line) => JSON.parse(line) as Record<string, unknown>);

  it('prints a start-up summary: URL, console, store, broker state, where the master key is', () => {
    const summary = lines().find((line) => line['msg'] === 'callhook listening');
    assert.ok(summary);
    const port = new URL(child.baseUrl).port;
    assert.equal(summary['url'], `http://127.0.0.1:${port}`);
    assert.equal(summary['console_url'], `http://127.0.0.1:${port}/console/`);
    assert.match(String(summary['store']), place.mongodbUrl === undefined ? /^sqlite .*callhook\.db$/ : /^mongodb /);
    assert.match(String(summary['broker']), /^amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+ \((connecting|down)\)$/, 'password masked');
    assert.match(String(summary['master_key']), /generated now and shown once on the terminal \(stderr\), not in this log/);
    const shown = /^ {4}([0-9a-f]{64})$/m.exec(child.output())?.[1];
    assert.ok(shown !== undefined, 'the generated key is shown once, in plain text');
    assert.equal(child.output().split(shown).length - 1, 1, 'exactly once');
    assert.ok(!logLines().some((line) => line.includes(shown)), 'and never in the structured log');
  });

  it('says degraded on /health while the configured broker is down, and logs no line per probe', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${child.baseUrl}/health`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { status: string; checks: Record<string, { status: string; detail?: string }> };
      assert.equal(body.status, 'degraded');
      assert.equal(body.checks['store']?.status, 'up');
      assert.match(body.checks['amqp']?.status ?? '', /^(down|connecting)$/);
    }
    await fetch(`${child.baseUrl}/v2/webhooks`);
    await until(() => (lines().some((line) => line['path'] === '/v2/webhooks') ? true : undefined));
    assert.equal(lines().filter((line) => line['path'] === '/health').length, 0);
  });

  it('writes JSON lines with ISO times and no duplicated keys; one broker warning and no stack per retry', async () => {
    // amqplib's recovery retries after ~200, ~400, ~800 ms…: wait for several attempts.
    await sleep(2500);
    const text = logLines().join('\n');
    for (const line of logLines()) {
      assert.deepEqual(duplicateKeys(line), [], line);
      assert.match(String((JSON.parse(line) as { time: unknown }).time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    assert.doesNotMatch(text, /"stack"/);
    const warnings = lines().filter((line) => String(line['msg']).startsWith('amqp connect failed'));
    assert.equal(warnings.length, 1, 'one warning however many attempts');
    assert.match(String(warnings[0]?.['error']), /ECONNREFUSED/);
  });
});

describe('the command line', () => {
  const main = ['--import', 'tsx', 'src/main.ts'];

  it('--help lists every setting with its default and starts nothing', async () => {
    const started = Date.now();
    const { stdout } = await run(process.execPath, [...main, '--help'], { cwd: root, env: { ...process.env, PORT: '1' } });
    for (const setting of configSettings) {
      const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${setting.env} `));
      assert.ok(line?.includes(defaultText(setting)), `${setting.env} and its default`);
    }
    assert.doesNotMatch(stdout, /listening/);
    assert.ok(Date.now() - started < 15_000);
  });

  it('refuses a misspelt CALLHOOK_ variable with the closest valid name, exit status 2', async () => {
    const failure = await run(process.execPath, main, {
      cwd: root,
      env: { ...process.env, CALLHOOK_ALOWED_NETWORKS: '127.0.0.0/8', PORT: '0' },
    }).then(
      () => assert.fail('started'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failure.code, 2);
    assert.match(failure.stderr, /CALLHOOK_ALOWED_NETWORKS: not a callhook setting; did you mean CALLHOOK_ALLOWED_NETWORKS\?/);
  });

  it('writes human-readable lines when asked (as on a terminal)', async () => {
    const place = newStorePlace();
    const proc = spawn(process.execPath, main, {
      cwd: root,
      env: {
        ...process.env,
        ...place.env,
        PORT: '0',
        CALLHOOK_HOST: '127.0.0.1',
        CALLHOOK_LOG_FORMAT: 'pretty',
        CALLHOOK_MASTER_API_KEY: 'k'.repeat(40),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      await until(() => (/console_url/.test(output) ? true : undefined), 20_000, 'the start-up summary');
      assert.match(output, /^\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\] INFO: callhook listening$/m);
      assert.match(output, /^ {4}console_url: "http:\/\/127\.0\.0\.1:\d+\/console\/"$/m);
      assert.match(output, /^ {4}master_key: "CALLHOOK_MASTER_API_KEY"$/m);
      assert.doesNotMatch(output, /^\{/m, 'no JSON lines');
    } finally {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
      await place.dispose();
    }
  });
});

describe('start-up memory', () => {
  it("maps none of ICU's data on the default settings (UTC, samples built when first asked for)", async () => {
    const place = newStorePlace();
    const spy = fileURLToPath(new URL('./support/intl-spy.mjs', import.meta.url));
    const child = await spawnApp({ ...place.env, AMQP_URL: `amqp://guest:guest@127.0.0.1:${await closedPort()}` }, 'source', [
      '--import',
      spy,
    ]);
    try {
      assert.doesNotMatch(child.output(), /intl used/);
      // Asked for, the samples format call.* times in America/Sao_Paulo: the spy sees that.
      const response = await fetch(`${child.baseUrl}/v2/webhooks/samples/webhooks_call.newcall`);
      assert.equal(response.status, 200);
      await until(() => (/intl used: DateTimeFormat/.test(child.output()) ? true : undefined), 5_000, 'the samples formatting a time');
    } finally {
      await child.kill('SIGTERM');
      await place.dispose();
    }
  });
});
