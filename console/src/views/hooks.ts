/** The hooks of the account: state and health at a glance, refreshed while the page is open. */
import { accountPath, api } from '../api';
import { badge, h, replace } from '../dom';
import { ago, percent } from '../format';
import type { AccountStats, HookSummary } from '../types';
import { busy, notice } from '../ui';
import type { View } from './view';

const refreshMs = 15_000;

function stateCell(hook: HookSummary): HTMLElement {
  if (hook.enabled) return badge('Enabled', 'ok');
  return h(
    'span',
    {},
    badge('Disabled', 'bad'),
    hook.disable_reason !== undefined ? h('span', { class: 'reason' }, ` ${hook.disable_reason}`) : null,
  );
}

export const hooksView: View = async (main, context) => {
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'grid', id: 'hooks' },
    h('caption', { class: 'sr-only' }, 'Webhooks of this account'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Hook'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col', class: 'wide-only' }, 'Last success'),
        h('th', { scope: 'col', class: 'wide-only' }, 'Last failure'),
        h('th', { scope: 'col', class: 'num' }, '24 h'),
        h('th', { scope: 'col', class: 'num' }, 'Success'),
        h('th', { scope: 'col', class: 'num wide-only' }, 'Retrying'),
      ),
    ),
    body,
  );
  const reenable = h('button', { type: 'button' }, 'Re-enable auto-disabled hooks');
  reenable.addEventListener(
    'click',
    () =>
      void busy(reenable, async () => {
        await api('PATCH', accountPath(context.accountId, '/webhooks'), { 're-enable': true });
        notice('Hooks callhook had disabled are enabled again.', 'info');
        await load();
      }),
  );
  const empty = h(
    'p',
    { class: 'empty', hidden: true },
    'No hooks in this account yet. ',
    h('a', { href: '#/hooks/new' }, 'Create the first one'),
    '.',
  );
  main.replaceChildren(
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, 'Hooks'),
      h('div', { class: 'actions' }, reenable, h('a', { class: 'button primary', href: '#/hooks/new' }, 'New hook')),
    ),
    empty,
    h('div', { class: 'scroll' }, table),
  );

  async function load(): Promise<void> {
    const [list, stats] = await Promise.all([
      api<HookSummary[]>('GET', accountPath(context.accountId, '/webhooks?paginate=false')),
      api<AccountStats>('GET', accountPath(context.accountId, '/webhooks/stats')),
    ]);
    const figures = new Map(stats.data.hooks.map((f) => [f.hook_id, f]));
    empty.hidden = list.data.length > 0;
    table.hidden = list.data.length === 0;
    const rows = [...list.data]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((hook) => {
        const f = figures.get(hook.id);
        const failing = f !== undefined && f.total > 0 && (f.success_rate ?? 1) < 0.9;
        return h(
          'tr',
          { 'data-hook': hook.id },
          h(
            'td',
            {},
            h('a', { href: `#/hooks/${hook.id}`, class: 'strong' }, hook.name),
            h('div', { class: 'muted small' }, hook.hook, ' → ', h('span', { class: 'uri' }, hook.uri)),
          ),
          h('td', {}, stateCell(hook)),
          h('td', { class: 'wide-only' }, ago(f?.last_success_at)),
          h('td', { class: 'wide-only' }, f?.last_failure_at ? h('span', { class: 'bad-text' }, ago(f.last_failure_at)) : 'never'),
          h('td', { class: 'num' }, String(f?.total ?? 0)),
          h('td', { class: `num ${failing ? 'bad-text' : ''}` }, percent(f?.success_rate)),
          h('td', { class: 'num wide-only' }, String(f?.pending_retries ?? 0)),
        );
      });
    replace(body, ...rows);
  }

  await load();
  const timer = setInterval(() => void load().catch(() => undefined), refreshMs);
  context.onLeave(() => clearInterval(timer));
};
