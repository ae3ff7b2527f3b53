// Who is signed in: the profile behind the current tokens, shared by every page.
import { useEffect, useState } from 'preact/hooks';
import { get, hasSession, onSessionChange } from './api.js';

let state = { user: null, loading: hasSession() };
const listeners = new Set();

function publish(next) {
  state = next;
  for (const listener of listeners) listener(state);
}

export async function reloadProfile() {
  if (!hasSession()) {
    publish({ user: null, loading: false });
    return null;
  }
  try {
    const { data } = await get('/users/profile');
    publish({ user: data, loading: false });
    return data;
  } catch {
    publish({ user: null, loading: false });
    return null;
  }
}

let lastHad = hasSession();
onSessionChange(() => {
  const has = hasSession();
  if (has === lastHad && (state.user || !has)) return; // a quiet refresh: same user
  lastHad = has;
  if (has) publish({ ...state, loading: true });
  reloadProfile();
});
reloadProfile();

export function useSession() {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => listeners.delete(setS);
  }, []);
  return s;
}
