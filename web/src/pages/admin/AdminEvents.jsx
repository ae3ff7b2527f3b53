// Every event, whatever its status, for the box office: find one, edit it, see its figures.
import { get } from '../../lib/api.js';
import { when } from '../../lib/format.js';
import { Link, navigate, withQuery } from '../../lib/router.js';
import { ListTitle, Listing, SearchForm, StatusBadge, useLoad } from '../../components/common.jsx';

const ALL = 'upcoming,ongoing,completed,cancelled';

export function AdminEventsPage({ query }) {
  const search = query.get('search') || '';
  const page = Number(query.get('page') || 1);
  const state = useLoad(() => get('/events', { search, status: ALL, page, per_page: 20 }), [search, page]);
  return (
    <>
      <ListTitle title="Events" newHref="/admin/events/new" newLabel="New event" />
      <SearchForm path="/admin/events" label="Search" value={search} />
      <Listing
        state={state}
        columns={['Event', 'Starts', 'Status', 'Seats left', <span class="visually-hidden">Figures</span>]}
        onPage={(p) => navigate(withQuery('/admin/events', { search, page: p }))}
        row={(e) => (
          <tr>
            <th scope="row">
              <Link href={`/admin/events/${e.id}`}>{e.name}</Link>
            </th>
            <td>{when(e.start_time)}</td>
            <td>
              <StatusBadge status={e.status} />
            </td>
            <td>
              {e.available_seats.toLocaleString('en-US')} of {e.capacity.toLocaleString('en-US')}
            </td>
            <td>
              <Link href={`/admin/events/${e.id}/analytics`}>Figures</Link>
            </td>
          </tr>
        )}
      />
    </>
  );
}
