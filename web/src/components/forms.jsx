// Forms that send what was typed and show the API's answer where it belongs: each
// VALIDATION_ERROR issue under its field, anything else as a sentence above the buttons.
import { useState } from 'preact/hooks';
import { describe } from '../lib/errors.js';

let nextId = 0;
const uid = (prefix) => `${prefix}-${++nextId}`;

// State of one form: values, the last error, and a submit wrapper that keeps one request at a
// time. `run(values)` returns a promise; its ApiError becomes `error`.
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  const submit = (run) => async (e) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await run(values);
    } catch (err) {
      if (!err.code) throw err;
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fields = error?.fields || {};
  return { values, set, setValues, error, setError, busy, submit, fields };
}

// The issues of `fields` that no field on the form shows (their paths are not in `shown`).
function unplaced(fields, shown) {
  return Object.entries(fields).filter(([field]) => !shown.some((s) => field === s || field.startsWith(`${s}.`) || field.startsWith(`${s}[`)));
}

// The issue of `field`, or else the first of its parts ("rows" shows "rows[3]").
export function issueAt(fields, field) {
  if (fields[field]) return fields[field];
  const child = Object.keys(fields).find((k) => k.startsWith(`${field}[`) || k.startsWith(`${field}.`));
  return child && `${child.slice(field.length).replace(/^\./, '')}: ${fields[child]}`;
}

// One labelled control bound to `form.values[name]`; `field` is its path in the API's body,
// where VALIDATION_ERROR's issues point.
export function Field({ form, name, field = name, label, type = 'text', hint, options, children, ...rest }) {
  const [id] = useState(() => uid(`f-${name}`));
  const issue = issueAt(form.fields, field);
  const describedBy = [issue && `${id}-issue`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const value = form.values[name] ?? '';
  const onInput = (e) => form.set(name, type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value);
  const common = {
    id,
    name,
    'data-field': field,
    'aria-invalid': issue ? 'true' : undefined,
    'aria-describedby': describedBy,
    ...rest,
  };
  let control;
  if (options) {
    control = (
      <select {...common} value={value} onChange={onInput}>
        {options.map(([v, text]) => (
          <option value={v}>{text}</option>
        ))}
      </select>
    );
  } else if (type === 'textarea') {
    control = <textarea {...common} value={value} onInput={onInput} />;
  } else if (type === 'checkbox') {
    control = <input {...common} type="checkbox" checked={!!form.values[name]} onChange={onInput} />;
  } else {
    control = <input {...common} type={type} value={value} onInput={onInput} />;
  }
  return (
    <div class={`field${type === 'checkbox' ? ' field-check' : ''}${issue ? ' has-issue' : ''}`}>
      <label for={id}>{label}</label>
      {control}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {issue && (
        <p class="issue" id={`${id}-issue`} role="alert">
          {issue}
        </p>
      )}
      {children}
    </div>
  );
}

// The form's error as a sentence, with the issues no field shows listed under it.
export function FormError({ form, shown = [] }) {
  if (!form.error) return null;
  const rest = unplaced(form.fields, shown);
  return (
    <div class="alert alert-error" role="alert">
      <p>{describe(form.error)}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map(([field, issue]) => (
            <li>
              <code>{field}</code> {issue}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// A number as typed: the number when it is one, else the text (the API says what is wrong).
export function numberOrText(value) {
  if (value === '' || value === undefined || value === null) return value;
  const n = Number(value);
  return Number.isFinite(n) && String(value).trim() !== '' ? n : value;
}

export function Submit({ form, children, ...rest }) {
  return (
    <button type="submit" class="primary" disabled={form.busy} aria-busy={form.busy ? 'true' : undefined} {...rest}>
      {children}
    </button>
  );
}
