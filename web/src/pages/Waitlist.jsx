// The buyer's waitlist entries: position and wait while waiting, the offer while seats are held
// for them, and leaving.
import { useState } from 'preact/hooks';
import { del, get } from '../lib/api.js';
import { when } from '../lib/format.js';
import { Link, navigate, withQuery } from '../lib/router.js';
import { ErrorAlert, Loading, PageTitle, Pagination, StatusBadge, useLoad } from '../components/common.jsx';

function Entry({ entry, onLeft }) {
  const [error, setError] = useState(null);
  const active = entry.status === 'waiting' || entry.status === 'offered';
  const leave = async () => {
    try {
      await del(`/waitlist/${entry.waitlist_id}`);
      onLeft();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li class="booking-row">
      <div>
        <h2>
          <Link href={`/events/${entry.event.id}`}>{entry.event.name}</Link>
        </h2>
        {entry.status === 'waiting' && (
          <p>
            Number <strong>{entry.position}</strong> in line · estimated wait {entry.estimated_wait_time || 'unknown'}
          </p>
        )}
        {entry.status === 'offered' && entry.offer && (
          <p>
            {entry.offer.seat_ids.length} seat(s) held for you until {when(entry.offer.expires_at)}.{' '}
            <Link href={`/events/${entry.event.id}`} class="button primary small">
              Book them
            </Link>
          </p>
        )}
        <p class="meta">Joined {when(entry.created_at)}</p>
        <ErrorAlert error={error} />
      </div>
      <div class="booking-row-side">
        <StatusBadge status={entry.status} />
        {active && (
          <button type="button" class="small" onClick={leave}>
            Leave the waitlist
          </button>
        )}
      </div>
    </li>
  );
}

export function WaitlistPage({ query }) {
  const page = Number(query.get('page') || 1);
  const { data, error, loading, reload } = useLoad(() => get('/waitlist', { page, per_page: 10 }), [page]);
  return (
    <>
      <PageTitle>My waitlist</PageTitle>
      <p class="hint">When an event is sold out you can wait for seats that come back. They are offered in turn and held for you for a while.</p>
      <ErrorAlert error={error} />
      {loading && !data && <Loading />}
      {data && data.data.length === 0 && <p>You are not waiting for any event.</p>}
      {data && (
        <>
          <ul class="bookings">
            {data.data.map((e) => (
              <Entry entry={e} onLeft={reload} />
            ))}
          </ul>
          <Pagination pagination={data.pagination} onPage={(p) => navigate(withQuery('/waitlist', { page: p }))} />
        </>
      )}
    </>
  );
}
