/**
 * Create or edit a hook. The form is built from the API's own description: the fields, their
 * types, limits, choices and help from GET /v2/schemas/webhooks, the events and their modifiers
 * from GET /v2/webhooks. Errors from the API are shown next to the field they name.
 */
import { accountPath, api, ApiError } from '../api';
import { h } from '../dom';
import type { Hook, HookType } from '../types';
import { errorText, notice } from '../ui';
import type { View } from './view';

interface PropertySchema {
  type?: string;
  description?: string;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  items?: { type?: string; minimum?: number; maximum?: number };
}

interface Schema {
  required?: string[];
  properties: Record<string, PropertySchema>;
}

/** Set by actions elsewhere (rotate secret) or read-only; `modifiers` is edited as JSON below. */
const skipped = new Set(['secret', 'hook', 'custom_data', 'modifiers']);
const labels: Record<string, string> = {
  name: 'Name',
  uri: 'Receiver URL',
  http_verb: 'HTTP method',
  format: 'Body format',
  retries: 'Retries',
  retry_schedule: 'Retry schedule (seconds)',
  enabled: 'Enabled',
  include_internal_legs: 'Include internal (loopback) legs',
  include_subaccounts: 'Include sub-accounts',
  group: 'Group',
};

interface Field {
  name: string;
  read(): unknown;
  error: HTMLElement;
}

function labelOf(name: string): string {
  return labels[name] ?? name.replace(/_/g, ' ');
}

function fieldFor(name: string, property: PropertySchema, value: unknown, required: boolean): { row: HTMLElement; field: Field } {
  const id = `field-${name}`;
  const help = h('p', { class: 'help', id: `${id}-help` }, property.description ?? '');
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const described = `${id}-help ${id}-error`;
  let input: HTMLInputElement | HTMLSelectElement;
  let read: () => unknown;
  if (property.type === 'boolean') {
    const box = h('input', { type: 'checkbox', id, name, 'aria-describedby': described });
    box.checked = typeof value === 'boolean' ? value : property.default === true;
    input = box;
    read = () => box.checked;
    return {
      row: h('div', { class: 'field check' }, box, h('label', { for: id }, labelOf(name)), help, error),
      field: { name, read, error },
    };
  }
  if (property.enum !== undefined) {
    const select = h('select', { id, name, required, 'aria-describedby': described });
    for (const option of property.enum) {
      select.append(h('option', { value: option, selected: (value ?? property.default) === option }, option));
    }
    input = select;
    read = () => select.value;
  } else if (property.type === 'integer') {
    const number = h('input', {
      type: 'number',
      id,
      name,
      required,
      min: property.minimum,
      max: property.maximum,
      step: 1,
      'aria-describedby': described,
    });
    number.value = typeof value === 'number' ? String(value) : typeof property.default === 'number' ? String(property.default) : '';
    input = number;
    read = () => (number.value === '' ? undefined : Number(number.value));
  } else if (property.type === 'array') {
    const text = h('input', {
      type: 'text',
      id,
      name,
      inputmode: 'numeric',
      placeholder: 'e.g. 5, 300, 1800',
      'aria-describedby': described,
    });
    text.value = Array.isArray(value) ? value.join(', ') : '';
    input = text;
    read = () => {
      const parts = text.value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      return parts.length === 0 ? undefined : parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    };
  } else {
    const text = h('input', {
      type: name === 'uri' ? 'url' : 'text',
      id,
      name,
      required,
      maxlength: property.maxLength,
      minlength: property.minLength,
      'aria-describedby': described,
    });
    text.value = typeof value === 'string' ? value : '';
    input = text;
    read = () => (text.value === '' ? undefined : text.value);
  }
  return {
    row: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, labelOf(name), required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
      input,
      help,
      error,
    ),
    field: { name, read, error },
  };
}

/** custom_data as key → value rows; the hook type's modifiers are rows with a fixed key and a choice. */
function customDataEditor(initial: Record<string, string>): {
  el: HTMLElement;
  read(): Record<string, string>;
  setModifiers(type: HookType | undefined): void;
  error: HTMLElement;
} {
  const rows = h('div', { class: 'kv' });
  const modifierRows = h('div', { class: 'stack' });
  const error = h('p', { class: 'field-error', id: 'custom-data-error', 'aria-live': 'polite' });
  const modifierValues = new Map<string, () => string>();
  const addRow = (key = '', value = ''): void => {
    const k = h('input', { type: 'text', 'aria-label': 'Custom data key', value: key, class: 'kv-key' });
    const v = h('input', { type: 'text', 'aria-label': 'Custom data value', value, class: 'kv-value' });
    const row = h(
      'div',
      { class: 'row' },
      k,
      v,
      h('button', { type: 'button', class: 'link', 'aria-label': 'Remove this pair', onclick: () => row.remove() }, 'Remove'),
    );
    rows.append(row);
  };
  let current = { ...initial };
  const el = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, 'Custom data'),
    h('p', { class: 'help' }, 'Key/value pairs added to every payload (values are text).'),
    modifierRows,
    rows,
    h('button', { type: 'button', onclick: () => addRow() }, 'Add a pair'),
    error,
  );
  const render = (type: HookType | undefined): void => {
    modifierRows.replaceChildren();
    modifierValues.clear();
    rows.replaceChildren();
    const modifiers = type?.modifiers ?? {};
    for (const [key, modifier] of Object.entries(modifiers)) {
      const choices = Array.isArray(modifier.items) ? ['all', ...modifier.items] : Object.keys(modifier.items);
      const select = h('select', { id: `modifier-${key}`, required: true });
      for (const choice of choices) select.append(h('option', { value: choice, selected: current[key] === choice }, choice));
      modifierValues.set(key, () => select.value);
      modifierRows.append(
        h(
          'div',
          { class: 'field' },
          h('label', { for: `modifier-${key}` }, `${key} (required by ${type?.id ?? 'this event'})`),
          select,
          h('p', { class: 'help' }, modifier.description ?? ''),
        ),
      );
    }
    for (const [key, value] of Object.entries(current)) if (!(key in modifiers)) addRow(key, value);
  };
  return {
    el,
    error,
    read() {
      const out: Record<string, string> = {};
      for (const row of Array.from(rows.querySelectorAll('.row'))) {
        const key = (row.querySelector('.kv-key') as HTMLInputElement).value.trim();
        const value = (row.querySelector('.kv-value') as HTMLInputElement).value;
        if (key !== '') out[key] = value;
      }
      for (const [key, value] of modifierValues) out[key] = value();
      return out;
    },
    setModifiers(type) {
      current = { ...current, ...this.read() };
      render(type);
    },
  };
}

export function hookFormView(hookId: string | undefined): View {
  return async (main, context) => {
    const base = accountPath(context.accountId, '/webhooks');
    const [schema, types, existing] = await Promise.all([
      api<Schema>('GET', '/v2/schemas/webhooks'),
      api<HookType[]>('GET', '/v2/webhooks'),
      hookId === undefined ? Promise.resolve(undefined) : api<Hook>('GET', `${base}/${hookId}`),
    ]);
    const hook = existing?.data;
    const required = new Set(schema.data.required ?? []);
    const fields: Field[] = [];
    const rows: HTMLElement[] = [];
    const props = schema.data.properties;

    // The event first: it decides which custom_data modifiers are required.
    const hookTypes = [...types.data].sort((a, b) => a.id.localeCompare(b.id));
    const eventSelect = h('select', {
      id: 'field-hook',
      name: 'hook',
      required: true,
      'aria-describedby': 'field-hook-help field-hook-error',
    });
    eventSelect.append(h('option', { value: 'all', selected: hook?.hook === 'all' }, 'all — every event'));
    for (const type of hookTypes) {
      eventSelect.append(
        h('option', { value: type.id, selected: (hook?.hook ?? 'channel_create') === type.id }, `${type.id} — ${type.name}`),
      );
    }
    const eventError = h('p', { class: 'field-error', id: 'field-hook-error', 'aria-live': 'polite' });
    const eventHelp = h('p', { class: 'help', id: 'field-hook-help' }, props['hook']?.description ?? '');
    fields.push({ name: 'hook', read: () => eventSelect.value, error: eventError });

    for (const [name, property] of Object.entries(props)) {
      if (skipped.has(name)) continue;
      const built = fieldFor(name, property, hook?.[name], required.has(name));
      fields.push(built.field);
      rows.push(built.row);
    }
    const customData = customDataEditor(hook?.custom_data ?? {});
    const selectedType = (): HookType | undefined => hookTypes.find((t) => t.id === eventSelect.value);
    customData.setModifiers(selectedType());
    eventSelect.addEventListener('change', () => customData.setModifiers(selectedType()));

    const save = h('button', { type: 'submit', class: 'primary' }, hookId === undefined ? 'Create hook' : 'Save changes');
    const form = h(
      'form',
      { class: 'card stack form', novalidate: true, id: 'hook-form' },
      rows[0],
      rows[1],
      h('div', { class: 'field' }, h('label', { for: 'field-hook' }, 'Event *'), eventSelect, eventHelp, eventError),
      ...rows.slice(2),
      customData.el,
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button', href: hookId === undefined ? '#/hooks' : `#/hooks/${hookId}` }, 'Cancel'),
        save,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      for (const field of fields) field.error.textContent = '';
      customData.error.textContent = '';
      const data: Record<string, unknown> = {};
      for (const field of fields) {
        const value = field.read();
        if (value !== undefined) data[field.name] = value;
      }
      const custom = customData.read();
      if (Object.keys(custom).length > 0) data['custom_data'] = custom;
      save.disabled = true;
      const request =
        hookId === undefined
          ? api<Hook>('PUT', base, data)
          : api<Hook>('POST', `${base}/${hookId}`, { ...data, ...(hook?.modifiers !== undefined ? { modifiers: hook.modifiers } : {}) });
      request
        .then((reply) => {
          notice(hookId === undefined ? `Created “${reply.data.name}”.` : 'Saved.', 'info');
          context.go(`#/hooks/${reply.data.id}`);
        })
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 400 && typeof error.data === 'object' && error.data !== null) {
            let placed = false;
            let first: string | undefined;
            for (const [path, byKeyword] of Object.entries(
              error.data as Record<string, Record<string, { message?: string; cause?: string }>>,
            )) {
              const top = path.split('.')[0] ?? path;
              const target = fields.find((f) => f.name === top)?.error ?? (top === 'custom_data' ? customData.error : undefined);
              if (target === undefined) continue;
              target.textContent = Object.values(byKeyword)
                .map((d) => `${d.message ?? 'invalid'}${d.cause ? `: ${d.cause}` : ''}`)
                .join('; ');
              placed = true;
              first ??= top;
            }
            notice(placed ? 'Please correct the fields marked below.' : errorText(error));
            if (first !== undefined) document.getElementById(`field-${first}`)?.focus();
          } else {
            notice(errorText(error));
          }
        })
        .finally(() => (save.disabled = false));
    });
    main.replaceChildren(
      h('p', { class: 'crumbs' }, h('a', { href: '#/hooks' }, 'Hooks'), ' / '),
      h('h1', {}, hookId === undefined ? 'New hook' : `Edit “${hook?.name ?? ''}”`),
      form,
    );
    (form.querySelector('input, select') as HTMLElement | null)?.focus();
  };
}
