/** Attempts as a table: time, hook, event, result, answer, duration; each opens its delivery. */
import { badge, h } from './dom';
import { gregorianToIso, ms, shortDate, timeOfDay } from './format';
import type { Attempt } from './types';

export function answerOf(attempt: Attempt): string {
  if (attempt.resp_status_code !== undefined) return `HTTP ${attempt.resp_status_code}`;
  return attempt.client_error ?? attempt.reason ?? '–';
}

export function attemptsTable(attempts: readonly Attempt[], hookNames: ReadonlyMap<string, string>, id = 'attempts'): HTMLElement {
  const rows = attempts.map((a) => {
    const deliveryId = a.delivery_id ?? a.event_id ?? '';
    const iso = gregorianToIso(a.timestamp);
    const when = h('span', { class: 'when' }, h('span', {}, timeOfDay(iso)), ' ', h('span', { class: 'muted small' }, shortDate(iso)));
    return h(
      'tr',
      { class: a.result === 'failure' ? 'failed-row' : undefined, 'data-delivery': deliveryId, 'data-result': a.result },
      h(
        'td',
        { class: 'nowrap' },
        deliveryId !== '' && a.hook_event !== 'ping'
          ? h('a', { href: `#/deliveries/${deliveryId}`, title: new Date(iso).toLocaleString() }, when)
          : when,
      ),
      h('td', { class: 'wide-only' }, hookNames.get(a.hook_id) ?? a.hook_id.slice(0, 8)),
      h('td', {}, a.hook_event),
      h(
        'td',
        { class: 'result' },
        badge(a.result === 'success' ? 'success' : 'failure', a.result === 'success' ? 'ok' : 'bad'),
        ' ',
        h('span', { class: 'answer' }, answerOf(a)),
      ),
      h('td', { class: 'num wide-only' }, ms(a.duration_ms)),
      h('td', { class: 'num wide-only' }, String(a.try ?? '')),
    );
  });
  return h(
    'table',
    { class: 'grid', id },
    h('caption', { class: 'sr-only' }, 'Delivery attempts, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col', class: 'wide-only' }, 'Hook'),
        h('th', { scope: 'col' }, 'Event'),
        h('th', { scope: 'col' }, 'Result'),
        h('th', { scope: 'col', class: 'num wide-only' }, 'Time'),
        h('th', { scope: 'col', class: 'num wide-only' }, 'Try'),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}
