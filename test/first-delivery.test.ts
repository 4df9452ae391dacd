/**
 * The README's "First delivery in two minutes", run verbatim: callhook started with the settings
 * of the first block, the one-command receiver of the second, the hook and Kazoo event of the
 * third. Only the ports change (the receiver's 9000 and callhook's 8000 become free ones).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { configSettings, type Config } from '../src/config.js';
import { startTestApp, type TestApp } from './support/app.js';
import { ensureConsoleBuilt } from './support/console-build.js';
import { until } from './support/wait.js';

const run = promisify(execFile);

function blocks(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## First delivery in two minutes');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 10));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** `A=1 B=2 npm start` → the config those variables give (read as callhook reads them). */
function settingsOf(command: string): Partial<Config> {
  const overrides: Record<string, unknown> = {};
  for (const [, name, value] of command.matchAll(/(\w+)=(\S+)/g)) {
    const setting = configSettings.find((s) => s.env === name);
    assert.ok(setting, `${name} is a callhook setting`);
    overrides[setting.key] = setting.read(value ?? '');
  }
  return overrides as Partial<Config>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('README: first delivery in two minutes', () => {
  const [startCommand = '', receiverCommand = '', steps = ''] = blocks();
  let app: TestApp;
  let receiver: ChildProcess;
  let received = '';
  let port = 0;

  before(async () => {
    assert.match(startCommand.trim(), /CALLHOOK_ALLOWED_NETWORKS=127\.0\.0\.0\/8 npm start$/);
    await ensureConsoleBuilt();
    app = await startTestApp(settingsOf(startCommand.replace(/npm start/, '')));
    port = await freePort();
    assert.match(receiverCommand, /listen\(9000,/);
    // Its own process group, so stopping it stops the node that bash started too.
    receiver = spawn('bash', ['-c', receiverCommand.replaceAll('9000', String(port))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    receiver.stdout?.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    await until(() => (received.includes('receiving on') ? true : undefined), 10_000, 'the receiver to listen');
  });
  after(async () => {
    if (receiver.pid !== undefined) process.kill(-receiver.pid, 'SIGTERM');
    await app.stop();
  });

  it('runs verbatim: the webhook arrives, the attempts log says success, the console is there', async () => {
    const url = app.baseUrl.replace('127.0.0.1', 'localhost');
    const script = steps
      .replace('export CALLHOOK=http://localhost:8000', `export CALLHOOK=${url}`)
      .replace('127.0.0.1:9000', `127.0.0.1:${port}`);
    assert.notEqual(script, steps);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000 });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /"status":"success".*"data":\{"events":1,"deliveries":1/);
    assert.equal(lines[1], 'success');
    assert.equal(lines[2], `console: ${url}/console/`);

    assert.match(received, /POST \/calls webhook-id: [0-9a-f]{32}/);
    const payload = JSON.parse(received.split('\n').find((line) => line.startsWith('{')) ?? '{}') as Record<string, unknown>;
    assert.equal(payload['hook_event'], 'channel_create');
    assert.match(String(payload['call_id']), /^first-call-\d+$/);
    assert.equal(payload['caller_id_number'], '1001');

    const console = await fetch(`${url}/console/`);
    assert.equal(console.status, 200);
    assert.match(await console.text(), /callhook console/);
  });
});
