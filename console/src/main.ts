/**
 * The callhook console: a small single-page app on the public API. Routes live in the URL's hash
 * (#/hooks, #/hooks/ID, #/deliveries?…), so the server only ever serves index.html and assets.
 */
import './styles.css';
import { whenUnauthorized } from './api';
import { h, replace } from './dom';
import { accountSwitcher } from './account-switcher';
import { session } from './session';
import { clearNotice, errorText, notice } from './ui';
import { deliveriesView } from './views/deliveries';
import { deliveryView } from './views/delivery';
import { hookDetailView } from './views/hook-detail';
import { hookFormView } from './views/hook-form';
import { hooksView } from './views/hooks';
import { signInView } from './views/sign-in';
import type { View, ViewContext } from './views/view';

interface Route {
  pattern: RegExp;
  view: (params: string[]) => View;
  nav: 'hooks' | 'deliveries';
}

const routes: Route[] = [
  { pattern: /^\/hooks$/, view: () => hooksView, nav: 'hooks' },
  { pattern: /^\/hooks\/new$/, view: () => hookFormView(undefined), nav: 'hooks' },
  { pattern: /^\/hooks\/([0-9a-f]{32})\/edit$/, view: ([id]) => hookFormView(id), nav: 'hooks' },
  { pattern: /^\/hooks\/([0-9a-f]{32})$/, view: ([id]) => hookDetailView(id ?? ''), nav: 'hooks' },
  { pattern: /^\/deliveries$/, view: () => deliveriesView, nav: 'deliveries' },
  { pattern: /^\/deliveries\/([0-9a-f]{32})$/, view: ([id]) => deliveryView(id ?? ''), nav: 'deliveries' },
];

const root = document.getElementById('app') as HTMLElement;
let leaving: Array<() => void> = [];
let signInMessage: string | undefined;

function hashParts(): { path: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#/, '') || '/hooks';
  const [path = '/hooks', query = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(query) };
}

function leave(): void {
  for (const fn of leaving) fn();
  leaving = [];
}

function signOut(message?: string): void {
  session.clear();
  signInMessage = message;
  leave();
  if (location.hash !== '#/sign-in') location.hash = '#/sign-in';
  else void render();
}

whenUnauthorized((message) => signOut(message));

function navLink(href: string, label: string, current: boolean): HTMLElement {
  return h('a', { href, class: current ? 'current' : undefined, 'aria-current': current ? 'page' : undefined }, label);
}

async function render(): Promise<void> {
  leave();
  const { path, query } = hashParts();
  const current = session.get();
  if (current === undefined || path === '/sign-in') {
    if (current !== undefined) {
      location.hash = '#/hooks';
      return;
    }
    const main = h('main', { id: 'main', class: 'narrow', tabindex: -1 });
    replace(root, h('div', { id: 'notice', role: 'alert', hidden: true }), main);
    const message = signInMessage;
    signInMessage = undefined;
    await signInView(main, message, () => (location.hash = '#/hooks'));
    return;
  }
  const route = routes.find((r) => r.pattern.test(path));
  if (route === undefined) {
    location.hash = '#/hooks';
    return;
  }
  const params = route.pattern.exec(path)?.slice(1) ?? [];
  const main = h('main', { id: 'main', tabindex: -1 });
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/hooks' }, 'callhook'),
    h(
      'nav',
      { 'aria-label': 'Sections' },
      navLink('#/hooks', 'Hooks', route.nav === 'hooks'),
      navLink('#/deliveries', 'Deliveries', route.nav === 'deliveries'),
    ),
    accountSwitcher(current, () => {
      location.hash = route.nav === 'hooks' ? '#/hooks' : '#/deliveries';
      void render();
    }),
    h('button', { type: 'button', class: 'link', onclick: () => signOut('Signed out.') }, 'Sign out'),
  );
  replace(root, header, h('div', { id: 'notice', role: 'alert', hidden: true }), main);
  const context: ViewContext = {
    accountId: current.accountId,
    query,
    onLeave: (fn) => leaving.push(fn),
    go: (hash) => (location.hash = hash),
  };
  try {
    await route.view(params)(main, context);
    // Marks the page as drawn (for people's scripts and the browser tests alike).
    main.dataset['ready'] = `${path}${query.toString() === '' ? '' : `?${query.toString()}`}`;
    main.focus({ preventScroll: true });
  } catch (error) {
    notice(errorText(error));
  }
}

window.addEventListener('hashchange', () => {
  clearNotice();
  void render();
});
void render();
