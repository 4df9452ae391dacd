/** Shared UI pieces: the notice bar, confirmation and one-time-secret dialogs, busy buttons. */
import { ApiError } from './api';
import { h } from './dom';

export function notice(message: string, tone: 'error' | 'info' = 'error'): void {
  const bar = document.getElementById('notice');
  if (bar === null) return;
  bar.className = `notice notice-${tone}`;
  bar.replaceChildren(
    h('span', {}, message),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => clearNotice() }, '×'),
  );
  bar.hidden = false;
}

export function clearNotice(): void {
  const bar = document.getElementById('notice');
  if (bar !== null) {
    bar.hidden = true;
    bar.replaceChildren();
  }
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
}

/** Runs an action from a button: disabled while it runs, errors shown in the notice bar. */
export async function busy(button: HTMLButtonElement, action: () => Promise<void>): Promise<void> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) notice(errorText(error));
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function dialog(...content: Node[]): HTMLDialogElement {
  const el = h('dialog', { class: 'dialog' }, ...content);
  document.body.append(el);
  el.addEventListener('close', () => el.remove());
  el.showModal();
  return el;
}

export function confirmAction(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h('button', { type: 'submit', class: 'danger', value: 'yes' }, confirmLabel);
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, title),
      h('p', {}, text),
      h('div', { class: 'actions' }, h('button', { type: 'submit', value: 'no' }, 'Cancel'), yes),
    );
    const el = dialog(form);
    yes.addEventListener('click', () => (answer = true));
    el.addEventListener('close', () => resolve(answer));
    yes.focus();
  });
}

/** Shows a value that will not be shown again (a new signing secret), with a copy button; resolves when closed. */
export function showOnce(title: string, text: string, value: string): Promise<void> {
  const field = h('input', { type: 'text', readonly: true, value, class: 'mono wide', 'aria-label': title });
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', () => {
    field.select();
    void navigator.clipboard?.writeText(value).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Select and copy'),
    );
  });
  const el = dialog(
    h(
      'form',
      { method: 'dialog' },
      h('h2', {}, title),
      h('p', {}, text),
      h('div', { class: 'row' }, field, copy),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Done')),
    ),
  );
  el.querySelector('input')?.select();
  return new Promise((resolve) => el.addEventListener('close', () => resolve()));
}
