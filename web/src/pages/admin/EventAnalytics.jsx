// One event's figures: seats sold, held and left, the waitlist, conversion, per tier and per day.
import { get } from '../../lib/api.js';
import { money } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { ErrorAlert, Loading, PageTitle, useLoad, TableHead } from '../../components/common.jsx';
import { TrendChart } from '../../charts/Chart.jsx';
import { Figure, RangeForm } from './Dashboard.jsx';

export function EventAnalyticsPage({ params, query }) {
  const range = { start_date: query.get('start_date'), end_date: query.get('end_date') };
  const { data, error, loading } = useLoad(() => get(`/admin/analytics/events/${params.id}`, range).then((r) => r.data), [params.id, query.toString()]);
  return (
    <>
      <PageTitle title="Event figures">{data ? `Figures: ${data.name}` : 'Event figures'}</PageTitle>
      <p>
        <Link href={`/admin/events/${params.id}`}>Edit this event</Link> · <Link href={`/events/${params.id}`}>Its page for buyers</Link>
      </p>
      <RangeForm path={`/admin/events/${params.id}/analytics`} query={query} error={error} />
      {error && error.code !== 'VALIDATION_ERROR' && <ErrorAlert error={error} />}
      {loading && !data && <Loading />}
      {data && (
        <>
          <dl class="stats">
            <Figure label="Seats sold" value={`${data.seats_sold.toLocaleString('en-US')} of ${data.capacity.toLocaleString('en-US')}`} testid="seats-sold" />
            <Figure label="Held now" value={data.seats_held.toLocaleString('en-US')} />
            <Figure label="Available" value={data.seats_available.toLocaleString('en-US')} />
            <Figure label="Waitlist" value={data.waitlist_length.toLocaleString('en-US')} />
            <Figure label="Bookings in range" value={data.bookings.toLocaleString('en-US')} />
            <Figure label="Revenue in range" value={money(data.revenue, data.currency)} />
            <Figure label="Holds that were paid" value={`${data.conversion_rate}%`} />
            <Figure label="Cancelled" value={`${data.cancellation_rate}%`} />
          </dl>
          <TrendChart trends={data.booking_trends} currency={data.currency} label="Bookings per day" />
          <div class="scroll"><table class="data">
            <caption>By tier</caption>
            <TableHead columns={['Tier', 'Price', 'Seats', 'Sold', 'Available', 'Sold in range', 'Refunded in range', 'Revenue']} />
            <tbody>
              {data.tiers.map((t) => (
                <tr>
                  <th scope="row">{t.tier}</th>
                  <td>{money(t.price, data.currency)}</td>
                  <td>{t.seats}</td>
                  <td>{t.seats_sold}</td>
                  <td>{t.seats_available}</td>
                  <td>{t.sold_in_range}</td>
                  <td>{t.refunded_in_range}</td>
                  <td>{money(t.revenue, data.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        </>
      )}
    </>
  );
}
