// Client-side routes on the History API: the server answers the app's shell for any of them.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();
// Whether the app has moved since it loaded: only then does a new page take the focus (its
// heading), as a page load would put a screen reader at the top.
let moved = false;
export const hasNavigated = () => moved;

function current() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  moved = true;
  for (const listener of listeners) listener(current());
  if (!replace) scrollTo(0, 0);
}

addEventListener('popstate', () => {
  moved = true;
  for (const listener of listeners) listener(current());
});

export function useLocation() {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    listeners.add(setLoc);
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

// `pattern` like "/events/:id": the parameters when `path` matches, else null.
export function match(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

// The query string of `values`, empty ones left out.
export function withQuery(path, values) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { href, onClick, ...rest }, children);
}
