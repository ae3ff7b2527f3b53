// Small pieces every page uses: a ticking clock, pagination, alerts, a confirmation dialog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describe } from '../lib/errors.js';
import { Link, hasNavigated, navigate, withQuery } from '../lib/router.js';

// The current time, once a second (for countdowns).
export function useNow(period = 1000) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), period);
    return () => clearInterval(timer);
  }, [period]);
  return now;
}

// Loads `load()` when `deps` change: {data, error, loading, reload}.
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => {
        if (!error.code) throw error;
        if (live) setState({ data: null, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function ErrorAlert({ error }) {
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {describe(error)}
    </div>
  );
}

export function Notice({ kind = 'info', children }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }) {
  return (
    <p class="loading" role="status">
      {what}…
    </p>
  );
}

export function Pagination({ pagination, onPage }) {
  if (!pagination || pagination.total_pages <= 1) return null;
  const { page, total_pages: pages, total } = pagination;
  return (
    <nav class="pagination" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span aria-current="page">
        Page {page} of {pages} ({total.toLocaleString('en-US')} in all)
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

// A modal question (native <dialog>: focus is trapped and Escape closes it).
export function ConfirmDialog({ open, title, children, confirmLabel, danger = true, onConfirm, onClose, busy }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onClose={onClose}>
      <h2 id="dialog-title">{title}</h2>
      <div class="dialog-body">{children}</div>
      <div class="actions">
        <button type="button" onClick={onClose}>
          Keep it
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

// The page's title in the tab and its heading, focused after navigation for screen readers.
export function PageTitle({ children, title }) {
  const ref = useRef(null);
  const text = title || (typeof children === 'string' ? children : '');
  useEffect(() => {
    if (text) document.title = `${text} · Evently`;
  }, [text]);
  useEffect(() => {
    if (hasNavigated()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export const StatusBadge = ({ status, children }) => <span class={`badge badge-${status}`}>{children || status.replaceAll('_', ' ')}</span>;

// A search box whose term goes into the URL of `path`.
export function SearchForm({ path, label, value }) {
  const [id] = useState(() => `search-${path.replaceAll('/', '-')}`);
  const onSubmit = (e) => {
    e.preventDefault();
    navigate(withQuery(path, { search: new FormData(e.currentTarget).get('search').trim() }));
  };
  return (
    <form class="filters" role="search" onSubmit={onSubmit}>
      <div class="field">
        <label for={id}>{label}</label>
        <input id={id} name="search" type="search" value={value} />
      </div>
      <div class="field field-button">
        <button type="submit" class="primary">
          Search
        </button>
      </div>
    </form>
  );
}

// A paginated list from useLoad as a table: `columns` are the headings, `row(item)` one row.
export function Listing({ state, columns, row, onPage }) {
  const { data, error, loading } = state;
  return (
    <>
      <ErrorAlert error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div class="scroll">
            <table class="data" aria-busy={loading ? 'true' : undefined}>
              <TableHead columns={columns} />
              <tbody>{data.data.map(row)}</tbody>
            </table>
          </div>
          <Pagination pagination={data.pagination} onPage={onPage} />
        </>
      )}
    </>
  );
}

export function TableHead({ columns }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
      </tr>
    </thead>
  );
}

// A box-office list's title and its "New …" button.
export function ListTitle({ title, newHref, newLabel }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p>
        <Link href={newHref} class="button primary">
          {newLabel}
        </Link>
      </p>
    </>
  );
}
