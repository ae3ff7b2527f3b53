// The box office's dashboard: a date range, the summary, booking trends and revenue by category
// as charts, top events, conversion and cancellation.
import { useEffect } from 'preact/hooks';
import { get } from '../../lib/api.js';
import { isoDay, money, plural } from '../../lib/format.js';
import { Link, navigate, withQuery } from '../../lib/router.js';
import { Loading, PageTitle, useLoad, TableHead } from '../../components/common.jsx';
import { FormError, Field, Submit, useForm } from '../../components/forms.jsx';
import { CategoryChart, TrendChart } from '../../charts/Chart.jsx';

// The date range form shared by the dashboard and one event's figures; the range lives in the URL.
export function RangeForm({ path, query, error }) {
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400_000);
  const form = useForm({ start_date: query.get('start_date') || isoDay(monthAgo), end_date: query.get('end_date') || isoDay(today) });
  // The range is checked by the API when the figures load: its issues show at these fields.
  useEffect(() => form.setError(error?.code === 'VALIDATION_ERROR' ? error : null), [error]);
  return (
    <form class="filters" noValidate onSubmit={form.submit(async (v) => navigate(withQuery(path, v)))} aria-label="Date range">
      <Field form={form} name="start_date" type="date" label="From (UTC day)" />
      <Field form={form} name="end_date" type="date" label="To (UTC day)" />
      <div class="field field-button">
        <Submit form={form}>Show</Submit>
      </div>
      <FormError form={form} shown={['start_date', 'end_date']} />
    </form>
  );
}

export function Figure({ label, value, testid }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd data-testid={testid}>{value}</dd>
    </div>
  );
}

export function DashboardPage({ query }) {
  const range = { start_date: query.get('start_date'), end_date: query.get('end_date') };
  const { data, error, loading } = useLoad(() => get('/admin/analytics/dashboard', range).then((r) => r.data), [query.toString()]);
  return (
    <>
      <PageTitle title="Dashboard">Box office dashboard</PageTitle>
      <RangeForm path="/admin" query={query} error={error} />
      {error && error.code !== 'VALIDATION_ERROR' && <FormError form={{ error, fields: {} }} />}
      {loading && !data && <Loading what="Adding up the figures" />}
      {data && (
        <div aria-busy={loading ? 'true' : undefined}>
          <p class="hint">
            {data.range.start_date} to {data.range.end_date} (UTC days).
          </p>
          <dl class="stats">
            <Figure label="Bookings" value={data.summary.total_bookings.toLocaleString('en-US')} testid="total-bookings" />
            <Figure label="Revenue" value={money(data.summary.total_revenue)} testid="total-revenue" />
            <Figure label="Events" value={data.summary.total_events} />
            <Figure label="Capacity sold" value={`${data.summary.average_capacity_utilization}%`} />
            <Figure label="Holds that were paid" value={`${data.conversion_rate}%`} testid="conversion" />
            <Figure label="Cancelled" value={`${data.cancellation_rate}%`} testid="cancellation" />
            <Figure label="Holds that lapsed" value={data.expired_holds.toLocaleString('en-US')} />
          </dl>
          <div class="charts">
            <TrendChart trends={data.booking_trends} label="Booking trends" />
            <CategoryChart values={data.revenue_by_category} label="Revenue by category" />
          </div>
          <h2>Top events</h2>
          {data.top_events.length === 0 ? (
            <p>No bookings in this range.</p>
          ) : (
            <div class="scroll"><table class="data">
              <TableHead columns={['Event', 'Bookings', 'Revenue', 'Sold']} />
              <tbody>
                {data.top_events.map((e) => (
                  <tr>
                    <th scope="row">
                      <Link href={withQuery(`/admin/events/${e.event_id}/analytics`, range)}>{e.name}</Link>
                    </th>
                    <td>{plural(e.bookings, 'booking')}</td>
                    <td>{money(e.revenue)}</td>
                    <td>{e.utilization}%</td>
                  </tr>
                ))}
              </tbody>
            </table></div>
          )}
        </div>
      )}
    </>
  );
}
