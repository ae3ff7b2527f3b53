// In-app notifications (offers, confirmations, cancellations, refunds), unread first to see.
import { post, get } from '../lib/api.js';
import { when } from '../lib/format.js';
import { Link, navigate, withQuery } from '../lib/router.js';
import { ErrorAlert, Loading, PageTitle, Pagination, useLoad } from '../components/common.jsx';

export function NotificationsPage({ query }) {
  const unread = query.get('unread') === 'true';
  const page = Number(query.get('page') || 1);
  const { data, error, loading, reload } = useLoad(() => get('/users/notifications', { unread: unread || undefined, page, per_page: 20 }), [unread, page]);
  const read = async (id) => {
    await post(`/users/notifications/${id}/read`);
    dispatchEvent(new Event('evently:notifications'));
    reload();
  };
  return (
    <>
      <PageTitle>Notifications</PageTitle>
      <div class="tabs" role="group" aria-label="Show">
        <button type="button" aria-pressed={!unread ? 'true' : 'false'} onClick={() => navigate('/notifications')}>
          All
        </button>
        <button type="button" aria-pressed={unread ? 'true' : 'false'} onClick={() => navigate(withQuery('/notifications', { unread: 'true' }))}>
          Unread
        </button>
      </div>
      <ErrorAlert error={error} />
      {loading && !data && <Loading />}
      {data && data.data.length === 0 && <p>Nothing new.</p>}
      {data && (
        <>
          <ul class="notifications">
            {data.data.map((n) => (
              <li class={n.read ? 'read' : 'unread'} data-kind={n.kind}>
                <h2>
                  {!n.read && <span class="visually-hidden">Unread: </span>}
                  {n.title}
                </h2>
                <p>{n.body}</p>
                <p class="meta">
                  {when(n.created_at)}
                  {n.event_id && (
                    <>
                      {' '}
                      · <Link href={`/events/${n.event_id}`}>See the event</Link>
                    </>
                  )}
                </p>
                {!n.read && (
                  <button type="button" class="small" onClick={() => read(n.id)}>
                    Mark as read
                  </button>
                )}
              </li>
            ))}
          </ul>
          <Pagination pagination={data.pagination} onPage={(p) => navigate(withQuery('/notifications', { unread: unread || undefined, page: p }))} />
        </>
      )}
    </>
  );
}
