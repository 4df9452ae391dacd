/**
 * The README's curl walk-through, run verbatim with bash against a live instance, so the
 * documentation cannot drift from the API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { useTestApp, type TestApp } from './support/app.js';

const run = promisify(execFile);

function walkthrough(): { script: string; key: string } {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Walk-through with curl'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('no walk-through block in the README');
  const key = /CALLHOOK_MASTER_API_KEY=(\S+)/.exec(block)?.[1];
  if (key === undefined) throw new Error('the walk-through sets no master key');
  return { script: block, key };
}

describe('README walk-through', () => {
  const { script, key } = walkthrough();
  let app: TestApp;
  const ctx = useTestApp({ masterApiKey: key, allowedNetworks: [] });
  before(async () => {
    ({ app } = ctx);
  });

  it('runs verbatim and leaves the account it created with no hooks', async () => {
    const localUrl = `${app.baseUrl.replace('127.0.0.1', 'localhost')}`;
    const patched = script.replace('export CALLHOOK=http://localhost:8000', `export CALLHOOK=${localUrl}`);
    assert.notEqual(patched, script, 'the walk-through exports CALLHOOK');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', `${patched}\necho "ACCOUNT=$ACCOUNT HOOK=$HOOK"`]);
    const outputs = stdout.trim().split('\n');
    const [, accountId, hookId] = /ACCOUNT=(\w+) HOOK=(\w+)/.exec(outputs.at(-1) ?? '') ?? [];
    assert.match(accountId ?? '', /^[0-9a-f]{32}$/);
    assert.match(hookId ?? '', /^[0-9a-f]{32}$/);
    // list, get, post, patch, delete: five envelopes, all successes.
    const envelopes = outputs.slice(0, -1).map((line) => JSON.parse(line) as { status: string; data: Record<string, unknown> });
    assert.deepEqual(
      envelopes.map((e) => e.status),
      ['success', 'success', 'success', 'success', 'success'],
    );
    assert.equal(envelopes[2]?.data['uri'], 'https://crm.example.com/calls/new_calls');
    assert.deepEqual(envelopes[3]?.data['custom_data'], { crm_queue: 'sales' });
    assert.equal(await app.app.store.getWebhook(accountId ?? '', hookId ?? ''), null);
    assert.equal((await app.app.store.getAccount(accountId ?? ''))?.doc['timezone'], 'America/Sao_Paulo');
  });
});
