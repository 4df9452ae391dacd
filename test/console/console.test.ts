/**
 * The console in headless Chromium, as a person uses it: a bad key, signing in, switching to an
 * account, creating a hook to a loopback receiver that fails once then succeeds, the failed
 * attempt in the deliveries view, its request and answer, resending it, the success, the charts;
 * then errors: a 429 says when to retry, a 401 sends you back to sign-in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildKazooMessage } from '../support/factories.js';
import { masterApiKey } from '../support/app.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { useScenario } from '../support/scenario.js';

describe('the delivery console', () => {
  before(() => ensureConsoleBuilt());
  // The receiver is on loopback, a private range: its answers' bodies are kept only up to
  // CALLHOOK_PRIVATE_RESPONSE_BYTES (0 by default), and the test reads one in the console.
  const ctx = useScenario({ privateResponseBytes: 16_384 });
  let browser: TestBrowser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser.close());

  it('refuses a bad key with a clear error, then signs in by keyboard', async () => {
    const { page } = browser;
    await page.goto(`${ctx.s.app.baseUrl}/`);
    await page.waitForSelector('#api-key');
    await screenshot(page, '01-sign-in');
    await page.keyboard.type('not-the-key');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sign-in-error:text("not accepted")');
    assert.match((await page.textContent('#sign-in-error')) ?? '', /That key or token was not accepted \(401 invalid credentials\)/);
    await screenshot(page, '02-sign-in-refused');
    await page.fill('#api-key', masterApiKey);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Hooks")');
    const stored = await page.evaluate('Object.keys(sessionStorage)');
    assert.deepEqual(stored, ['callhook.console.session'], 'the token lives in session storage');
  });

  it('switches to an account below, creates a hook from the schema-built form, and shows the failed delivery', async () => {
    const { page } = browser;
    const { s, receiver } = ctx;
    let calls = 0;
    receiver.respond((request) => {
      if (request.path !== '/crm') return { status: 200 };
      calls += 1;
      return calls === 1
        ? { status: 500, body: 'crm is restarting' }
        : { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } };
    });
    await page.selectOption('#account', s.account.id);
    await page.waitForSelector('text=No hooks in this account yet');
    await page.click('text=New hook');
    await page.waitForSelector('#hook-form');
    // Fields come from the schema: its limits and choices are on the inputs.
    assert.equal(await page.getAttribute('#field-name', 'maxlength'), '256');
    assert.equal(await page.getAttribute('#field-retries', 'max'), '10');
    assert.deepEqual(
      await page.$$eval('#field-format option', (options) => options.map((o) => (o as unknown as { value: string }).value)),
      ['form-data', 'json'],
    );
    await page.fill('#field-name', 'CRM new calls');
    await page.fill('#field-uri', 'http://localhost:9/not-allowed-port-check');
    await page.selectOption('#field-hook', 'channel_create');
    await page.fill('#field-retries', '0');
    await page.selectOption('#field-format', 'json');
    await screenshot(page, '03-hook-form');
    // The API's validation message lands next to the field (localhost is allowed in tests: use a bad scheme).
    await page.fill('#field-uri', 'ftp://127.0.0.1/x');
    await page.click('button:text("Create hook")');
    await page.waitForSelector('#field-uri-error:text("invalid client URL")');
    await page.fill('#field-uri', receiver.url('/crm'));
    await page.click('button:text("Create hook")');
    await page.waitForSelector('h1:text("CRM new calls")');
    const hookId = /#\/hooks\/([0-9a-f]{32})$/.exec(page.url())?.[1];
    assert.ok(hookId);

    const posted = await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    assert.equal(posted.data.deliveries, 1);
    await page.click('nav >> text=Deliveries');
    await page.waitForSelector('main[data-ready="/deliveries"]');
    await page.check('#filter-failures');
    await page.click('button:text("Apply")');
    // The attempt is recorded within a poll or two of the event: reload the filtered page until it shows.
    const failedRow = page.locator('main[data-ready="/deliveries?failures=1"] #attempts tbody tr[data-result="failure"]');
    for (let tries = 0; (await failedRow.count()) === 0; tries++) {
      assert.ok(tries < 50, 'the failed attempt shows in the deliveries view');
      await page.waitForTimeout(200);
      if (tries % 5 === 4) await page.reload();
    }
    assert.equal(await page.locator('#attempts tbody tr').count(), 1, 'failures only');
    assert.match((await failedRow.first().textContent()) ?? '', /CHANNEL_CREATE.*failure.*HTTP 500/);
    await screenshot(page, '04-deliveries-failed');

    await failedRow.first().locator('a').click();
    await page.waitForSelector('details.attempt[data-result="failure"]');
    const detail = (await page.textContent('main')) ?? '';
    assert.match(detail, /POST http:\/\/127\.0\.0\.1:\d+\/crm/);
    assert.match(detail, /webhook-id/);
    assert.match(detail, /HTTP 500/);
    assert.match(detail, /crm is restarting/);
    assert.match(detail, /"call_id"/, 'the JSON body, pretty-printed');
    await screenshot(page, '05-delivery-failed');

    await page.click('#resend');
    await page.waitForSelector('details.attempt[data-result="success"]', { timeout: 10_000 });
    assert.match((await page.textContent('details.attempt[data-result="success"] summary')) ?? '', /success.*Try 1.*HTTP 200/);
    assert.equal(receiver.requests.filter((r) => r.path === '/crm').length, 2);
    const ids = new Set(receiver.requests.filter((r) => r.path === '/crm').map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1, 'the same webhook-id');
    await screenshot(page, '06-delivery-resent');

    await page.goto(`${s.app.baseUrl}/console/#/hooks/${hookId}`);
    await page.waitForSelector('#chart-deliveries canvas');
    await page.waitForSelector('#chart-latency canvas');
    const figures = (await page.textContent('#hook-figures')) ?? '';
    assert.match(figures, /Deliveries\s*2/);
    assert.match(figures, /Success rate\s*50\.0%/);
    await screenshot(page, '07-hook-detail');
    await page.goto(`${s.app.baseUrl}/console/#/hooks`);
    await page.waitForSelector(`#hooks tr[data-hook="${hookId}"]`);
    assert.match((await page.textContent(`#hooks tr[data-hook="${hookId}"]`)) ?? '', /CRM new calls.*Enabled.*2.*50\.0%/);
    await screenshot(page, '08-hooks');
    assert.deepEqual(browser.problems, []);
  });

  it('edits a hook, pings it, rotates its secret (shown once) and disables it', async () => {
    const { page } = browser;
    await page.click(`#hooks a:text("CRM new calls")`);
    await page.waitForSelector('h1:has-text("CRM new calls")');
    await page.click('a:text("Edit")');
    await page.waitForSelector('#hook-form');
    assert.equal(await page.inputValue('#field-retries'), '0', 'the form shows the stored values');
    await page.fill('#field-name', 'CRM calls');
    await page.click('button:text("Save changes")');
    await page.waitForSelector('h1:has-text("CRM calls")');

    await page.click('#ping');
    await page.waitForSelector('#ping-result:has-text("Ping answered 200")');
    await page.click('button:text("Rotate secret")');
    await page.click('dialog button:text("Rotate")');
    const secret = page.locator('dialog input[readonly]');
    await secret.waitFor();
    assert.match(await secret.inputValue(), /^whsec_[A-Za-z0-9+/=]{32,}$/);
    await screenshot(page, '07b-secret-shown-once');
    await page.click('dialog button:text("Done")');
    await page.waitForSelector('dd:has-text("secret whsec_…")');

    await page.click('button:text("Disable")');
    await page.waitForSelector('h1 .badge:text("Disabled")');
    await page.click('button:text("Enable")');
    await page.waitForSelector('h1 .badge:text("Enabled")');
    assert.deepEqual(browser.problems, []);
  });

  it('reads on a phone-sized window', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [hash, name] of [
      ['#/hooks', '09-phone-hooks'],
      ['#/deliveries', '10-phone-deliveries'],
    ] as const) {
      await page.goto(`${ctx.s.app.baseUrl}/console/${hash}`);
      await page.waitForSelector('table.grid');
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      assert.ok(overflow <= 0, `${hash}: the page does not scroll sideways (${overflow}px)`);
      await screenshot(page, name);
    }
    const hookLink = page.locator('#attempts a').first();
    await hookLink.click();
    await page.waitForSelector('details.attempt');
    await screenshot(page, '11-phone-delivery');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says when to retry on 429 and sends a 401 back to sign-in', async () => {
    const { page } = browser;
    await page.route('**/webhooks/stats*', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
        body: JSON.stringify({ status: 'error', error: '429', message: 'too_many_requests', data: {} }),
      }),
    );
    await page.goto(`${ctx.s.app.baseUrl}/console/#/hooks`);
    await screenshot(page, '12-rate-limited');
    await page.waitForSelector('#notice:has-text("Too many requests: try again in 30 s.")');
    await page.unroute('**/webhooks/stats*');
    await page.route('**/webhooks/stats*', (route) =>
      route.fulfill({
        status: 401,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 'error', error: '401', message: 'invalid_credentials', data: {} }),
      }),
    );
    await page.goto(`${ctx.s.app.baseUrl}/console/#/hooks?again=1`);
    await page.waitForSelector('#api-key');
    assert.match((await page.textContent('#sign-in-error')) ?? '', /Sign in again/);
    assert.deepEqual(await page.evaluate('Object.keys(sessionStorage)'), [], 'the token is gone');
    await page.unroute('**/webhooks/stats*');
  });
});
