/**
 * One delivery: every attempt made for it (newest first), each with the request as sent (headers
 * with signatures masked, body) and the receiver's answer (status, headers, body, duration, error),
 * and a button to send it again.
 */
import { accountPath, api } from '../api';
import { answerOf } from '../attempts-table';
import { badge, h } from '../dom';
import { dateTime, gregorianToIso, ms } from '../format';
import type { Attempt } from '../types';
import { busy, notice } from '../ui';
import type { View } from './view';

function headersTable(headers: Record<string, string> | undefined, caption: string): HTMLElement {
  const rows = Object.entries(headers ?? {}).map(([name, value]) =>
    h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'mono' }, value)),
  );
  return h('table', { class: 'headers' }, h('caption', {}, caption), h('tbody', {}, ...rows));
}

/** JSON bodies pretty-printed, form bodies one pair a line, anything else as it came. */
function bodyText(body: string | undefined): string {
  if (body === undefined || body === '') return '(empty)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    if (/^[^\s=&]+=[^\s]*(&[^\s=&]+=[^\s]*)*$/.test(body)) {
      return body
        .split('&')
        .map((pair) =>
          pair
            .split('=')
            .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')))
            .join(' = '),
        )
        .join('\n');
    }
    return body;
  }
}

function attemptSection(attempt: Attempt, open: boolean): HTMLElement {
  const when = dateTime(gregorianToIso(attempt.timestamp));
  return h(
    'details',
    { class: 'attempt card', open, 'data-result': attempt.result },
    h(
      'summary',
      {},
      badge(attempt.result, attempt.result === 'success' ? 'ok' : 'bad'),
      ` Try ${attempt.try ?? '?'} · ${when} · ${answerOf(attempt)} · ${ms(attempt.duration_ms)}`,
    ),
    h(
      'div',
      { class: 'exchange' },
      h(
        'section',
        { 'aria-label': 'Request' },
        h('h3', {}, 'Request'),
        h('p', { class: 'mono uri' }, `${attempt.method.toUpperCase()} ${attempt.uri}`),
        headersTable(attempt.req_headers, 'Headers (signatures masked)'),
        h('h4', {}, 'Body'),
        h('pre', { class: 'body' }, bodyText(attempt.req_body)),
      ),
      h(
        'section',
        { 'aria-label': 'Response' },
        h('h3', {}, 'Response'),
        attempt.resp_status_code !== undefined
          ? h('p', {}, `HTTP ${attempt.resp_status_code} in ${ms(attempt.duration_ms)}`)
          : h(
              'p',
              { class: 'bad-text' },
              `No answer: ${attempt.client_error ?? attempt.reason ?? 'error'} after ${ms(attempt.duration_ms)}`,
            ),
        attempt.resp_status_code !== undefined ? headersTable(attempt.resp_headers, 'Headers') : null,
        attempt.resp_status_code !== undefined ? h('h4', {}, 'Body') : null,
        attempt.resp_status_code !== undefined ? h('pre', { class: 'body' }, bodyText(attempt.resp_body)) : null,
        attempt.next_attempt_at !== undefined ? h('p', { class: 'muted' }, `Next attempt due ${dateTime(attempt.next_attempt_at)}`) : null,
        typeof attempt.retries_left === 'string' ? h('p', { class: 'muted' }, 'No retries left.') : null,
      ),
    ),
  );
}

export function deliveryView(deliveryId: string): View {
  return async (main, context) => {
    const reply = await api<Attempt[]>(
      'GET',
      accountPath(context.accountId, `/webhooks/attempts?paginate=false&filter_delivery_id=${deliveryId}`),
    );
    const attempts = reply.data;
    const latest = attempts[0];
    if (latest === undefined) {
      main.replaceChildren(
        h('h1', {}, 'Delivery'),
        h('p', { class: 'empty' }, 'No attempts of this delivery are kept (attempts expire after CALLHOOK_ATTEMPT_RETENTION_DAYS).'),
      );
      return;
    }
    const resend = h('button', { type: 'button', class: 'primary', id: 'resend' }, 'Resend');
    const status = h('p', { class: 'muted', id: 'resend-status', 'aria-live': 'polite' });
    resend.addEventListener(
      'click',
      () =>
        void busy(resend, async () => {
          const r = await api<{ next_attempt_at: string; note?: string }>(
            'POST',
            accountPath(context.accountId, `/webhooks/${latest.hook_id}/deliveries/${deliveryId}/resend`),
          );
          status.textContent = `Queued: it goes out now with the same webhook-id and fresh retries.${r.data.note !== undefined ? ` ${r.data.note}` : ''}`;
          notice('Delivery queued again.', 'info');
          // Show the new attempt once it is recorded.
          const poll = setInterval(() => {
            void api<Attempt[]>(
              'GET',
              accountPath(context.accountId, `/webhooks/attempts?paginate=false&filter_delivery_id=${deliveryId}`),
            ).then(
              (fresh) => {
                if (fresh.data.length > attempts.length) {
                  clearInterval(poll);
                  context.go(`#/deliveries/${deliveryId}?t=${Date.now()}`);
                }
              },
              () => clearInterval(poll),
            );
          }, 1000);
          context.onLeave(() => clearInterval(poll));
        }),
    );
    main.replaceChildren(
      h('p', { class: 'crumbs' }, h('a', { href: '#/deliveries' }, 'Deliveries'), ' / '),
      h(
        'div',
        { class: 'title-row' },
        h(
          'h1',
          {},
          `${latest.hook_event} delivery `,
          badge(latest.result === 'success' ? 'delivered' : 'failing', latest.result === 'success' ? 'ok' : 'bad'),
        ),
        h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/hooks/${latest.hook_id}` }, 'Hook'), resend),
      ),
      h('p', { class: 'mono small' }, `webhook-id ${deliveryId}`),
      status,
      ...attempts.map((attempt, index) => attemptSection(attempt, index === 0)),
    );
  };
}
