/**
 * The attempts log with filters (failures only, hook, event, time range) and Crossbar paging:
 * the filters live in the URL, so a filtered view can be bookmarked or shared.
 */
import { accountPath, api } from '../api';
import { attemptsTable } from '../attempts-table';
import { h } from '../dom';
import { isoToLocalInput, localInputToIso } from '../format';
import type { Attempt, HookSummary } from '../types';
import type { View } from './view';

const pageSize = 25;

export const deliveriesView: View = async (main, context) => {
  const q = context.query;
  const hooks = (await api<HookSummary[]>('GET', accountPath(context.accountId, '/webhooks?paginate=false'))).data;
  const names = new Map(hooks.map((hook) => [hook.id, hook.name]));

  const failuresOnly = h('input', { type: 'checkbox', id: 'filter-failures', name: 'failures' });
  failuresOnly.checked = q.get('failures') === '1';
  const hookSelect = h('select', { id: 'filter-hook', name: 'hook' }, h('option', { value: '' }, 'All hooks'));
  for (const hook of hooks) hookSelect.append(h('option', { value: hook.id, selected: q.get('hook') === hook.id }, hook.name));
  const eventInput = h('input', {
    type: 'text',
    id: 'filter-event',
    name: 'event',
    list: 'events',
    placeholder: 'any',
    value: q.get('event') ?? '',
    maxlength: 64,
  });
  const events = h(
    'datalist',
    { id: 'events' },
    ...[
      'CHANNEL_CREATE',
      'CHANNEL_ANSWER',
      'CHANNEL_BRIDGE',
      'CHANNEL_DESTROY',
      'call.newcall',
      'call.finished',
      'call.audio_available',
      'webhook_disabled',
      'ping',
    ].map((e) => h('option', { value: e })),
  );
  const from = h('input', {
    type: 'datetime-local',
    id: 'filter-from',
    name: 'from',
    value: q.get('from') !== null ? isoToLocalInput(Date.parse(q.get('from') ?? '')) : '',
  });
  const to = h('input', {
    type: 'datetime-local',
    id: 'filter-to',
    name: 'to',
    value: q.get('to') !== null ? isoToLocalInput(Date.parse(q.get('to') ?? '')) : '',
  });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter deliveries' },
    h('div', { class: 'field check' }, failuresOnly, h('label', { for: 'filter-failures' }, 'Failures only')),
    h('div', { class: 'field' }, h('label', { for: 'filter-hook' }, 'Hook'), hookSelect),
    h('div', { class: 'field' }, h('label', { for: 'filter-event' }, 'Event'), eventInput, events),
    h('div', { class: 'field' }, h('label', { for: 'filter-from' }, 'From'), from),
    h('div', { class: 'field' }, h('label', { for: 'filter-to' }, 'To'), to),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (failuresOnly.checked) next.set('failures', '1');
    if (hookSelect.value !== '') next.set('hook', hookSelect.value);
    if (eventInput.value.trim() !== '') next.set('event', eventInput.value.trim());
    const fromIso = localInputToIso(from.value);
    const toIso = localInputToIso(to.value);
    if (fromIso !== undefined) next.set('from', fromIso);
    if (toIso !== undefined) next.set('to', toIso);
    context.go(`#/deliveries?${next.toString()}`);
  });

  const api_ = new URLSearchParams({ page_size: String(pageSize) });
  if (q.get('failures') === '1') api_.set('filter_result', 'failure');
  if (q.get('hook')) api_.set('filter_hook_id', q.get('hook') ?? '');
  if (q.get('event')) api_.set('filter_hook_event', q.get('event') ?? '');
  if (q.get('from')) api_.set('created_from', q.get('from') ?? '');
  if (q.get('to')) api_.set('created_to', q.get('to') ?? '');
  // The page's own start key, and the keys of the pages before it (for "Previous").
  const trail = (q.get('trail') ?? '').split(',').filter((k) => k !== '');
  const start = q.get('start');
  if (start) api_.set('start_key', start);
  const page = await api<Attempt[]>('GET', accountPath(context.accountId, `/webhooks/attempts?${api_.toString()}`));

  const link = (startKey: string | undefined, nextTrail: string[], label: string, rel: string): HTMLElement => {
    const params = new URLSearchParams(q);
    params.delete('start');
    params.delete('trail');
    if (startKey !== undefined) params.set('start', startKey);
    if (nextTrail.length > 0) params.set('trail', nextTrail.join(','));
    return h('a', { class: 'button', href: `#/deliveries?${params.toString()}`, rel }, label);
  };
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    start ? link(trail.at(-1) || undefined, trail.slice(0, -1), '← Newer', 'prev') : null,
    page.next_start_key !== undefined ? link(page.next_start_key, [...trail, start ?? ''], 'Older →', 'next') : null,
  );
  main.replaceChildren(
    h('h1', {}, 'Deliveries'),
    form,
    page.data.length === 0
      ? h('p', { class: 'empty' }, 'No attempts match these filters.')
      : h('div', { class: 'scroll' }, attemptsTable(page.data, names)),
    pager,
  );
};
