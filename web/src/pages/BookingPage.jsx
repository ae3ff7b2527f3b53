// One booking: while pending, a countdown to `expires_at` and the payment form (the sandbox's
// test card as a hint); once confirmed, the booking code; cancelling with its refund status.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, get, idempotencyKey } from '../lib/api.js';
import { describe } from '../lib/errors.js';
import { clock, money, when } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { ErrorAlert, Loading, Notice, PageTitle, StatusBadge, useLoad, useNow, TableHead } from '../components/common.jsx';
import { Field, FormError, Submit, numberOrText, useForm } from '../components/forms.jsx';
import { CancelBooking, RefundLine } from './MyBookings.jsx';

const TEST_CARD = { number: '4242424242424242', exp_month: '12', exp_year: '2025', cvc: '123' };
const DECLINED_CARD = '4000000000000002';

function Countdown({ booking, now, onExpired }) {
  const left = (Date.parse(booking.expires_at) - now) / 1000;
  useEffect(() => {
    if (left <= 0) onExpired();
  }, [left <= 0]);
  if (left <= 0) return null;
  return (
    <p class={`countdown${left < 60 ? ' urgent' : ''}`}>
      Your seats are held for{' '}
      <strong role="timer" aria-live={left < 60 ? 'polite' : 'off'} data-testid="hold-countdown">
        {clock(left)}
      </strong>{' '}
      more (until {when(booking.expires_at)}).
    </p>
  );
}

function PaymentForm({ booking, onPaid }) {
  const form = useForm({ payment_method: 'credit_card', number: '', exp_month: '', exp_year: '', cvc: '' });
  const key = useRef(null);
  const attempt = useRef('');
  const pay = form.submit(async (v) => {
    const body = {
      payment_method: v.payment_method,
      payment_details: { number: v.number.replace(/[\s-]/g, ''), exp_month: numberOrText(v.exp_month), exp_year: numberOrText(v.exp_year), cvc: v.cvc.trim() },
    };
    // The same attempt (a lost answer) goes again under its key; a changed card is a new attempt.
    const fingerprint = JSON.stringify(body);
    if (fingerprint !== attempt.current) {
      attempt.current = fingerprint;
      key.current = idempotencyKey('pay');
    }
    try {
      const { data } = await call('POST', `/bookings/${booking.id}/confirm`, { body, headers: { 'Idempotency-Key': key.current } });
      onPaid(data.booking);
    } catch (e) {
      if (e.status !== 0) attempt.current = '';
      throw e;
    }
  });
  const fillTestCard = () => form.setValues((v) => ({ ...v, ...TEST_CARD }));
  const shown = ['payment_method', 'payment_details.number', 'payment_details.exp_month', 'payment_details.exp_year', 'payment_details.cvc'];
  return (
    <form class="payment" noValidate onSubmit={pay} aria-label="Pay">
      <h2>Pay {money(booking.total_amount, booking.currency)}</h2>
      <div class="alert alert-info hint-card" id="test-card-hint">
        <p>
          This is the sandbox: pay with the test card <code>4242 4242 4242 4242</code>, expiry <code>12/2025</code>, CVC <code>123</code>. The card{' '}
          <code>{DECLINED_CARD.replace(/(\d{4})/g, '$1 ').trim()}</code> is always declined.
        </p>
        <button type="button" class="small" onClick={fillTestCard}>
          Use the test card
        </button>
      </div>
      <Field form={form} name="payment_method" label="Payment method" options={[['credit_card', 'Credit card'], ['debit_card', 'Debit card']]} />
      <Field form={form} name="number" field="payment_details.number" label="Card number" inputMode="numeric" autoComplete="cc-number" />
      <div class="row">
        <Field form={form} name="exp_month" field="payment_details.exp_month" label="Expiry month" inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" />
        <Field form={form} name="exp_year" field="payment_details.exp_year" label="Expiry year" inputMode="numeric" autoComplete="cc-exp-year" placeholder="YYYY" />
        <Field form={form} name="cvc" field="payment_details.cvc" label="CVC" inputMode="numeric" autoComplete="cc-csc" />
      </div>
      <FormError form={form} shown={shown} />
      <Submit form={form}>Pay {money(booking.total_amount, booking.currency)}</Submit>
    </form>
  );
}

function Seats({ booking }) {
  return (
    <table class="booked-seats">
      <caption>Seats</caption>
      <TableHead columns={['Section', 'Row', 'Seat', 'Price']} />
      <tbody>
        {booking.seats.map((s) => (
          <tr>
            <td>{s.section}</td>
            <td>{s.row}</td>
            <td>{s.seat_number}</td>
            <td>{money(s.price, booking.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td>{money(booking.total_amount, booking.currency)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function BookingPage({ params }) {
  const { data, error, reload } = useLoad(() => get(`/bookings/${params.id}`).then((r) => r.data), [params.id]);
  const [booking, setBooking] = useState(null);
  const [paid, setPaid] = useState(false);
  const [cancelled, setCancelled] = useState(null);
  const now = useNow();
  useEffect(() => setBooking(data), [data]);

  if (error) return <ErrorAlert error={error} />;
  if (!booking) return <Loading what="Loading your booking" />;
  const expired = booking.status === 'expired' || (booking.status === 'pending' && Date.parse(booking.expires_at) <= now);
  return (
    <div class="booking-page">
      <PageTitle title={`Booking for ${booking.event.name}`}>{booking.status === 'confirmed' ? 'Your tickets' : booking.status === 'pending' && !expired ? 'Check out' : 'Your booking'}</PageTitle>
      <p class="meta">
        <Link href={`/events/${booking.event.id}`}>{booking.event.name}</Link> · <time datetime={booking.event.start_time}>{when(booking.event.start_time)}</time> ·{' '}
        <StatusBadge status={expired ? 'expired' : booking.status} />
      </p>
      {booking.status === 'confirmed' && (
        <div class="alert alert-success confirmation" role="status">
          <p>{paid ? 'Payment received: you are going!' : 'This booking is confirmed.'}</p>
          <p>
            Booking code{' '}
            <strong class="booking-code" data-testid="booking-code">
              {booking.booking_code}
            </strong>
          </p>
          <p>
            <Link href="/bookings">See all your bookings</Link>
          </p>
        </div>
      )}
      {booking.status === 'pending' && !expired && <Countdown booking={booking} now={now} onExpired={reload} />}
      {expired && (
        <Notice kind="error">
          {describe({ code: 'BOOKING_EXPIRED', details: {} })} <Link href={`/events/${booking.event.id}`}>Back to the seat map</Link>
        </Notice>
      )}
      {booking.status === 'cancelled' && <RefundLine booking={{ ...booking, ...(cancelled && { refund_status: cancelled.refund_status, refund_amount: cancelled.refund_amount }) }} />}
      <div class="booking-layout">
        <Seats booking={booking} />
        {booking.status === 'pending' && !expired && (
          <PaymentForm
            booking={booking}
            onPaid={(b) => {
              setPaid(true);
              setBooking(b);
            }}
          />
        )}
      </div>
      {(booking.status === 'pending' && !expired) || booking.status === 'confirmed' ? (
        <CancelBooking
          booking={booking}
          onCancelled={(answer) => {
            setCancelled(answer);
            setBooking({ ...booking, status: 'cancelled', refund_status: answer.refund_status, refund_amount: answer.refund_amount });
          }}
        />
      ) : null}
    </div>
  );
}
