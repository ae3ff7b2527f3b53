// Users and roles: search by email, make someone an admin or a buyer again.
import { useState } from 'preact/hooks';
import { get, put } from '../../lib/api.js';
import { describe } from '../../lib/errors.js';
import { when } from '../../lib/format.js';
import { navigate, withQuery } from '../../lib/router.js';
import { ConfirmDialog, Listing, PageTitle, SearchForm, useLoad } from '../../components/common.jsx';

function RoleCell({ user, me, onChanged }) {
  const [want, setWant] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const other = user.role === 'admin' ? 'user' : 'admin';
  const change = async () => {
    setBusy(true);
    setError(null);
    try {
      await put(`/admin/users/${user.id}/role`, { role: want });
      setWant(null);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <td>
      {user.role === 'admin' ? 'Admin' : 'Buyer'}{' '}
      <button type="button" class="small" onClick={() => setWant(other)} aria-label={`Make ${user.email} ${other === 'admin' ? 'an admin' : 'a buyer'}`}>
        {other === 'admin' ? 'Make admin' : 'Make buyer'}
      </button>
      <ConfirmDialog open={!!want} busy={busy} danger={false} title="Change role?" confirmLabel="Change role" onConfirm={change} onClose={() => setWant(null)}>
        <p>
          {user.email} becomes {want === 'admin' ? 'an admin: they may create events, see every booking and change roles' : 'a buyer'}
          {user.id === me.id ? '. This is you: you would lose the box office.' : '.'}
        </p>
        {error && (
          <p class="issue" role="alert">
            {describe(error)}
          </p>
        )}
      </ConfirmDialog>
    </td>
  );
}

export function UsersPage({ query, user: me }) {
  const search = query.get('search') || '';
  const page = Number(query.get('page') || 1);
  const state = useLoad(() => get('/admin/users', { search, page, per_page: 20 }), [search, page]);
  return (
    <>
      <PageTitle>Users and roles</PageTitle>
      <SearchForm path="/admin/users" label="Email" value={search} />
      <Listing
        state={state}
        columns={['Email', 'Name', 'Since', 'Role']}
        onPage={(p) => navigate(withQuery('/admin/users', { search, page: p }))}
        row={(u) => (
          <tr data-email={u.email}>
            <th scope="row">{u.email}</th>
            <td>{u.full_name}</td>
            <td>{when(u.created_at)}</td>
            <RoleCell user={u} me={me} onChanged={state.reload} />
          </tr>
        )}
      />
    </>
  );
}
