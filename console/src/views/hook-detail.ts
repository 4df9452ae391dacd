/**
 * One hook: what it is, its state, the last 24 hours as charts and figures, its latest attempts,
 * and what can be done to it (edit, enable/disable, ping, rotate the secret, recover, delete).
 */
import { accountPath, api } from '../api';
import { attemptsTable } from '../attempts-table';
import { hourCharts } from '../charts';
import { badge, h, replace, stat } from '../dom';
import { ago, isoToLocalInput, localInputToIso, ms, percent } from '../format';
import type { Attempt, Hook, HookStats } from '../types';
import { busy, confirmAction, notice, showOnce } from '../ui';
import type { View } from './view';

const refreshMs = 15_000;

interface PingResult {
  result: string;
  status_code?: number;
  error?: string;
  duration_ms: number;
}

export function hookDetailView(hookId: string): View {
  return async (main, context) => {
    const base = accountPath(context.accountId, `/webhooks/${hookId}`);
    const hook = (await api<Hook>('GET', base)).data;
    const names = new Map([[hook.id, hook.name]]);

    const figures = h('div', { class: 'stats', id: 'hook-figures' });
    const charts = h('div', { class: 'charts' });
    const recent = h('div', { class: 'scroll' });
    let removeCharts: (() => void) | undefined;

    const toggle = h('button', { type: 'button' }, hook.enabled ? 'Disable' : 'Enable');
    toggle.addEventListener(
      'click',
      () =>
        void busy(toggle, async () => {
          await api('PATCH', base, { enabled: !hook.enabled });
          notice(hook.enabled ? 'Hook disabled: its deliveries wait until it is enabled.' : 'Hook enabled.', 'info');
          context.go(`#/hooks/${hook.id}?t=${Date.now()}`);
        }),
    );
    const ping = h('button', { type: 'button', id: 'ping' }, 'Ping');
    const pingResult = h('span', { class: 'muted', id: 'ping-result', 'aria-live': 'polite' });
    ping.addEventListener(
      'click',
      () =>
        void busy(ping, async () => {
          pingResult.textContent = 'Pinging…';
          const r = (await api<PingResult>('PUT', `${base}/ping`)).data;
          pingResult.textContent =
            r.result === 'success'
              ? `Ping answered ${r.status_code ?? ''} in ${ms(r.duration_ms)}`
              : `Ping failed: ${r.status_code !== undefined ? `HTTP ${r.status_code}` : (r.error ?? 'no answer')}`;
          pingResult.className = r.result === 'success' ? 'ok-text' : 'bad-text';
        }),
    );
    const rotate = h('button', { type: 'button' }, 'Rotate secret');
    rotate.addEventListener(
      'click',
      () =>
        void busy(rotate, async () => {
          const ok = await confirmAction(
            'Rotate the signing secret?',
            'A new secret signs from now on; the old one keeps signing for 24 hours so receivers can switch.',
            'Rotate',
          );
          if (!ok) return;
          const reply = await api<{ secret: string }>('PUT', `${base}/secret`);
          await showOnce('New signing secret', 'Copy it now: callhook never shows it again (reads show it masked).', reply.data.secret);
          context.go(`#/hooks/${hook.id}?t=${Date.now()}`);
        }),
    );
    const remove = h('button', { type: 'button', class: 'danger' }, 'Delete');
    remove.addEventListener(
      'click',
      () =>
        void busy(remove, async () => {
          if (
            !(await confirmAction(
              `Delete “${hook.name}”?`,
              'The hook and its waiting deliveries are removed. Its attempts stay in the log.',
              'Delete',
            ))
          ) {
            return;
          }
          await api('DELETE', base);
          notice(`Deleted “${hook.name}”.`, 'info');
          context.go('#/hooks');
        }),
    );
    const since = h('input', {
      type: 'datetime-local',
      id: 'recover-since',
      value: isoToLocalInput(Date.now() - 86_400_000),
      required: true,
    });
    const recoverButton = h('button', { type: 'submit' }, 'Recover failures');
    const recover = h(
      'form',
      { class: 'inline-form', 'aria-label': 'Recover failed deliveries' },
      h('label', { for: 'recover-since' }, 'Send failed deliveries again since'),
      since,
      recoverButton,
    );
    recover.addEventListener('submit', (event) => {
      event.preventDefault();
      void busy(recoverButton, async () => {
        const when = localInputToIso(since.value);
        if (when === undefined) throw new Error('Pick a time to recover from.');
        const reply = await api<{ recovered: number }>('POST', `${base}/recover`, { since: when });
        notice(`${reply.data.recovered} failed deliveries are going out again.`, 'info');
      });
    });

    replace(
      main,
      h('p', { class: 'crumbs' }, h('a', { href: '#/hooks' }, 'Hooks'), ' / '),
      h(
        'div',
        { class: 'title-row' },
        h('h1', {}, hook.name, ' ', hook.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'bad')),
        h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/hooks/${hook.id}/edit` }, 'Edit'), toggle, ping, rotate, remove),
      ),
      hook.enabled || hook.disable_reason === undefined
        ? null
        : h('p', { class: 'bad-text' }, `Disabled by callhook: ${hook.disable_reason}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Event'),
        h('dd', {}, hook.hook),
        h('dt', {}, 'Receiver'),
        h('dd', { class: 'uri' }, `${(hook.http_verb ?? 'post').toUpperCase()} ${hook.uri} (${hook.format ?? 'form-data'})`),
        h('dt', {}, 'Retries'),
        h('dd', {}, `${hook.retries ?? 2}${hook.retry_schedule ? ` after ${hook.retry_schedule.join(', ')} s` : ''}`),
        h('dt', {}, 'Signing'),
        h('dd', {}, hook.secret ? `secret ${hook.secret}` : 'no secret'),
      ),
      pingResult,
      h('h2', {}, 'Last 24 hours'),
      figures,
      charts,
      h(
        'div',
        { class: 'title-row' },
        h('h2', {}, 'Latest attempts'),
        h('a', { href: `#/deliveries?hook=${hook.id}` }, 'All deliveries of this hook →'),
      ),
      recent,
      recover,
    );

    async function load(): Promise<void> {
      const [stats, attempts] = await Promise.all([
        api<HookStats>('GET', `${base}/stats`),
        api<Attempt[]>('GET', `${base}/attempts?page_size=10`),
      ]);
      const s = stats.data;
      replace(
        figures,
        stat('Deliveries', String(s.total), 'attempts in the last 24 hours, retries included'),
        stat('Success rate', percent(s.success_rate)),
        stat('Latency p50 / p99', `${ms(s.latency_ms.p50)} / ${ms(s.latency_ms.p99)}`),
        stat('Last success', ago(s.last_success_at)),
        stat('Last failure', ago(s.last_failure_at)),
        stat('Retrying', String(s.pending_retries), 'deliveries waiting for another attempt after a failure'),
      );
      removeCharts?.();
      removeCharts = hourCharts(charts, s.series);
      replace(
        recent,
        attempts.data.length === 0
          ? h('p', { class: 'empty' }, 'No attempts yet.')
          : attemptsTable(attempts.data, names, 'recent-attempts'),
      );
    }

    await load();
    const timer = setInterval(() => void load().catch(() => undefined), refreshMs);
    context.onLeave(() => {
      clearInterval(timer);
      removeCharts?.();
    });
  };
}
