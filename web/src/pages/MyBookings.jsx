// The buyer's bookings, newest first: filter by status, pay what is pending, cancel (with the
// refund's status).
import { useState } from 'preact/hooks';
import { call, get, idempotencyKey } from '../lib/api.js';
import { describe } from '../lib/errors.js';
import { money, seatLabel, when } from '../lib/format.js';
import { Link, navigate, withQuery } from '../lib/router.js';
import { ConfirmDialog, ErrorAlert, Loading, PageTitle, Pagination, StatusBadge, useLoad } from '../components/common.jsx';

const FILTERS = [
  ['', 'All'],
  ['pending', 'Pending payment'],
  ['confirmed', 'Confirmed'],
  ['cancelled', 'Cancelled'],
  ['expired', 'Expired'],
];

const REFUNDS = {
  not_applicable: 'No payment was taken, so there is nothing to refund.',
  processing: 'Refund processing',
  completed: 'Refunded',
  failed: 'The refund failed: contact the box office.',
};

export function RefundLine({ booking }) {
  if (booking.status !== 'cancelled' || !booking.refund_status) return null;
  const amount = booking.refund_status === 'not_applicable' ? '' : `: ${money(booking.refund_amount, booking.currency)}`;
  return (
    <p class="refund" data-testid="refund-status" data-refund={booking.refund_status}>
      {REFUNDS[booking.refund_status]}
      {amount}
    </p>
  );
}

// "Cancel booking" with a confirmation; answers the DELETE's body to `onCancelled`.
export function CancelBooking({ booking, onCancelled, compact }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [key] = useState(() => idempotencyKey('cancel'));
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await call('DELETE', `/bookings/${booking.id}`, { headers: { 'Idempotency-Key': key } });
      setOpen(false);
      onCancelled(data);
    } catch (e) {
      if (!e.code) throw e;
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const paid = booking.status === 'confirmed';
  return (
    <>
      <button type="button" class={compact ? 'small' : 'danger'} onClick={() => setOpen(true)}>
        {paid ? 'Cancel booking' : 'Release these seats'}
      </button>
      <ConfirmDialog open={open} busy={busy} title={paid ? 'Cancel this booking?' : 'Release these seats?'} confirmLabel={paid ? 'Cancel booking' : 'Release seats'} onConfirm={confirm} onClose={() => setOpen(false)}>
        <p>
          {booking.event.name}: {booking.seats.map(seatLabel).join(', ')}.
        </p>
        <p>{paid ? `You will be refunded ${money(booking.total_amount, booking.currency)} to your card.` : 'The seats go back on sale at once.'}</p>
        {error && (
          <p class="issue" role="alert">
            {describe(error)}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

function BookingRow({ booking, onChanged }) {
  const live = booking.status === 'pending' && Date.parse(booking.expires_at) > Date.now();
  return (
    <li class="booking-row" data-booking={booking.id} data-code={booking.booking_code}>
      <div>
        <h2>
          <Link href={`/bookings/${booking.id}`}>{booking.event.name}</Link>
        </h2>
        <p class="meta">
          {when(booking.event.start_time)} · {booking.seats.map(seatLabel).join(', ')}
        </p>
        <p class="meta">
          Code <span class="booking-code">{booking.booking_code}</span> · {money(booking.total_amount, booking.currency)} · booked {when(booking.created_at)}
        </p>
      </div>
      <div class="booking-row-side">
        <StatusBadge status={booking.status} />
        <RefundLine booking={booking} />
        {live && (
          <Link href={`/bookings/${booking.id}`} class="button primary small">
            Pay now
          </Link>
        )}
        {(live || booking.status === 'confirmed') && <CancelBooking booking={booking} compact onCancelled={onChanged} />}
      </div>
    </li>
  );
}

export function MyBookingsPage({ query }) {
  const status = query.get('status') || '';
  const page = Number(query.get('page') || 1);
  const { data, error, loading, reload } = useLoad(() => get('/users/bookings', { status, page, per_page: 10 }), [status, page]);
  return (
    <>
      <PageTitle>My bookings</PageTitle>
      <div class="tabs" role="group" aria-label="Show">
        {FILTERS.map(([v, text]) => (
          <button type="button" aria-pressed={status === v ? 'true' : 'false'} onClick={() => navigate(withQuery('/bookings', { status: v }))}>
            {text}
          </button>
        ))}
      </div>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading your bookings" />}
      {data && data.data.length === 0 && (
        <p>
          No bookings here yet. <Link href="/">Find an event</Link>.
        </p>
      )}
      {data && (
        <>
          <ul class="bookings" aria-busy={loading ? 'true' : undefined}>
            {data.data.map((b) => (
              <BookingRow booking={b} onChanged={reload} />
            ))}
          </ul>
          <Pagination pagination={data.pagination} onPage={(p) => navigate(withQuery('/bookings', { status, page: p }))} />
        </>
      )}
    </>
  );
}
