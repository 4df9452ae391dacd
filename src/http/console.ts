/**
 * The browser console at `/console/`, served by callhook itself from the files `npm run build`
 * put in dist/console. The directory is read once, at start, into memory: a request can only
 * name one of those files (flat names, no path is ever joined from the URL), so nothing outside
 * it can be reached. Hashed assets are cached for good; index.html is revalidated (ETag). Every
 * answer carries a Content-Security-Policy that allows this origin only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';
import type { AppState } from './state.js';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Same origin only; no inline script or style; not framable. */
export const consolePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = types[extname(name)];
    if (type === undefined || !safeName.test(name)) continue;
    const body = readFileSync(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    // esbuild names bundles app-<hash>.js: their content never changes under that name.
    assets.set(name, { body, type, etag, immutable: /^(app|asset)-[A-Z0-9]{8,}\./.test(name) });
  }
  return assets;
}

function securityHeaders(ctx: Parameters<Middleware<AppState>>[0]): void {
  ctx.set('Content-Security-Policy', consolePolicy);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
}

export function consoleMiddleware(dir: string): Middleware<AppState> {
  const assets = loadAssets(dir);
  return async (ctx, next) => {
    const path = ctx.path;
    if (path === '/' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.redirect('/console/');
      return;
    }
    if (path !== '/console' && !path.startsWith('/console/')) return next();
    // Relative asset URLs need the trailing slash (the request context folds it away from ctx.path).
    if (ctx.originalUrl.split('?')[0] === '/console') {
      ctx.redirect('/console/');
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    securityHeaders(ctx);
    // The request context folds a trailing slash away, so /console/ arrives as /console.
    const name = path === '/console' ? 'index.html' : path.slice('/console/'.length);
    const asset = safeName.test(name) ? assets.get(name) : undefined;
    if (asset === undefined) {
      ctx.status = assets.size === 0 ? 503 : 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = assets.size === 0 ? 'The console is not built: run `npm run build` (npm start does it).\n' : 'Not found.\n';
      return;
    }
    ctx.set('ETag', asset.etag);
    ctx.set('Cache-Control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.type = asset.type;
    if (ctx.get('If-None-Match') === asset.etag) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.body = asset.body;
  };
}
