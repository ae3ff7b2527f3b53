// Browse events: search, status and date filters, pagination; the filters live in the URL.
import { get } from '../lib/api.js';
import { day, money, plural, when } from '../lib/format.js';
import { Link, navigate, withQuery } from '../lib/router.js';
import { ErrorAlert, Loading, PageTitle, Pagination, StatusBadge, useLoad } from '../components/common.jsx';

const STATUSES = [
  ['', 'Upcoming and ongoing'],
  ['upcoming', 'Upcoming'],
  ['ongoing', 'Ongoing'],
  ['completed', 'Completed'],
  ['cancelled', 'Cancelled'],
  ['upcoming,ongoing,completed,cancelled', 'All'],
];
const PER_PAGE = 12;

function Filters({ query, fields }) {
  const issue = (name) => fields[name] && (
    <p class="issue" id={`ev-${name}-issue`} role="alert">
      {fields[name]}
    </p>
  );
  const invalid = (name) => (fields[name] ? { 'aria-invalid': 'true', 'aria-describedby': `ev-${name}-issue` } : {});
  const onSubmit = (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    navigate(withQuery('/events', { search: f.get('search').trim(), status: f.get('status'), start_date: f.get('start_date'), end_date: f.get('end_date') }));
  };
  return (
    <form class="filters" role="search" onSubmit={onSubmit} aria-label="Find events">
      <div class="field">
        <label for="ev-search">Search</label>
        <input id="ev-search" name="search" type="search" placeholder="Name or description" value={query.get('search') || ''} data-field="search" {...invalid('search')} />
        {issue('search')}
      </div>
      <div class="field">
        <label for="ev-status">Status</label>
        <select id="ev-status" name="status" value={query.get('status') || ''}>
          {STATUSES.map(([v, t]) => (
            <option value={v}>{t}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="ev-from">Starting from</label>
        <input id="ev-from" name="start_date" type="date" value={query.get('start_date') || ''} data-field="start_date" {...invalid('start_date')} />
        {issue('start_date')}
      </div>
      <div class="field">
        <label for="ev-to">Starting by</label>
        <input id="ev-to" name="end_date" type="date" value={query.get('end_date') || ''} data-field="end_date" {...invalid('end_date')} />
        {issue('end_date')}
      </div>
      <div class="field field-button">
        <button type="submit" class="primary">
          Find events
        </button>
      </div>
    </form>
  );
}

function EventCard({ event }) {
  const soldOut = event.available_seats === 0 && event.status !== 'cancelled';
  return (
    <li class="event-card">
      <h2>
        <Link href={`/events/${event.id}`}>{event.name}</Link>
      </h2>
      <p class="meta">
        <time datetime={event.start_time}>{when(event.start_time)}</time> · {event.venue.name}, {event.venue.city}
      </p>
      <p class="meta">
        {event.min_price === event.max_price ? money(event.min_price, event.currency) : `${money(event.min_price, event.currency)} – ${money(event.max_price, event.currency)}`}
      </p>
      <p>
        {event.status !== 'upcoming' && <StatusBadge status={event.status} />}{' '}
        {soldOut ? <StatusBadge status="sold_out">Sold out</StatusBadge> : <span class="availability">{plural(event.available_seats, 'seat')} left</span>}
      </p>
    </li>
  );
}

export function EventsPage({ query }) {
  const page = Number(query.get('page') || 1);
  const params = {
    search: query.get('search'),
    status: query.get('status'),
    start_date: query.get('start_date'),
    end_date: query.get('end_date'),
  };
  const { data, error, loading } = useLoad(() => get('/events', { ...params, page, per_page: PER_PAGE }), [query.toString()]);
  const filters = Object.values(params).some(Boolean);
  return (
    <>
      <PageTitle title="Events">Find your seats</PageTitle>
      <Filters query={query} fields={error?.fields || {}} />
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading events" />}
      {data && (
        <section aria-label="Events" aria-busy={loading ? 'true' : undefined}>
          <p class="result-count" role="status">
            {plural(data.pagination.total, 'event')}
            {filters ? ' match' : ''}
            {params.start_date || params.end_date ? ` (starting ${params.start_date ? `from ${day(params.start_date)}` : ''}${params.end_date ? ` by ${day(params.end_date)}` : ''})` : ''}
          </p>
          <ul class="event-grid">
            {data.data.map((event) => (
              <EventCard event={event} />
            ))}
          </ul>
          <Pagination pagination={data.pagination} onPage={(p) => navigate(withQuery('/events', { ...params, page: p }))} />
        </section>
      )}
    </>
  );
}
