/**
 * The account switcher: the path from the token's own account down to the one shown, and the
 * shown account's children. Picking one shows that account; going up picks an account on the path.
 */
import { accountPath, api } from './api';
import { h } from './dom';
import { session, type Session } from './session';
import { errorText, notice } from './ui';

interface AccountSummary {
  id: string;
  name: string;
}

export function accountSwitcher(current: Session, changed: () => void): HTMLElement {
  const select = h('select', { id: 'account', 'aria-label': 'Account' });
  const pathIds = current.path.map((p) => p.id);
  const here = pathIds.indexOf(current.accountId);
  const path = here === -1 ? [{ id: current.rootId, name: current.rootName }] : current.path.slice(0, here + 1);
  path.forEach((account, depth) => {
    select.append(h('option', { value: account.id, selected: account.id === current.accountId }, `${'· '.repeat(depth)}${account.name}`));
  });
  const children = h('optgroup', { label: 'Accounts below' });
  select.append(children);
  void api<AccountSummary[]>('GET', accountPath(current.accountId, '/children?page_size=100')).then(
    (reply) => {
      for (const child of reply.data) children.append(h('option', { value: child.id }, `${'· '.repeat(path.length)}${child.name}`));
      if (reply.data.length === 0) children.remove();
    },
    (error: unknown) => notice(`Could not list the accounts below: ${errorText(error)}`),
  );
  select.addEventListener('change', () => {
    const id = select.value;
    const name = select.selectedOptions[0]?.textContent?.replace(/^(· )+/, '') ?? id;
    const onPath = path.findIndex((p) => p.id === id);
    const nextPath = onPath === -1 ? [...path, { id, name }] : path.slice(0, onPath + 1);
    session.set({ ...current, accountId: id, path: nextPath });
    changed();
  });
  return h('label', { class: 'account' }, h('span', { class: 'sr-only' }, 'Account'), select);
}
