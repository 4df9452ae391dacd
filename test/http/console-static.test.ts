/**
 * How callhook serves the console: index.html and hashed assets with the right types and cache
 * headers, revalidation, a same-origin-only CSP, and nothing outside the built files however the
 * path is spelled.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { useTestApp } from '../support/app.js';

describe('console files', () => {
  before(() => ensureConsoleBuilt());
  const ctx = useTestApp();
  const get = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${ctx.app.baseUrl}${path}`, { redirect: 'manual', ...init });

  it('sends / and /console to /console/, where index.html names hashed assets', async () => {
    for (const path of ['/', '/console']) {
      const response = await get(path);
      assert.equal(response.status, 302, path);
      assert.equal(response.headers.get('location'), '/console/');
    }
    const index = await get('/console/');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    const html = await index.text();
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'nothing from another host');
    const script = /src="\.\/(app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const style = /href="\.\/(app-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    assert.ok(script !== undefined && style !== undefined, html);

    const js = await get(`/console/${script}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.doesNotMatch(
      await js.text(),
      /https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i,
      'the bundle loads nothing from another host',
    );
    const css = await get(`/console/${style}`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');

    const etag = index.headers.get('etag') ?? '';
    const again = await get('/console/', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  it('serves nothing but the built files, and only to GET and HEAD', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/..%2fpackage.json',
      '/console/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/console//etc/passwd',
      '/console/.env',
      '/console/index.html%00.js',
      '/console/missing.js',
      '/console/sub/index.html',
    ]) {
      const response = await get(path);
      assert.ok(response.status === 404 || response.status === 400, `${path}: ${response.status}`);
      assert.doesNotMatch(await response.text(), /"name": "callhook"|root:/, path);
    }
    const head = await get('/console/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    const post = await get('/console/', { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});
