// Every API error as a sentence a buyer or an organizer can act on.
import { clock, when } from './format.js';

const sentences = {
  NETWORK: (e) => e.message,
  AUTH_INVALID_CREDENTIALS: () => 'That email and password do not match an account.',
  AUTH_REQUIRED: () => 'Please log in to continue.',
  AUTH_TOKEN_INVALID: () => 'Your session has ended. Please log in again.',
  AUTH_TOKEN_EXPIRED: () => 'Your session has ended. Please log in again.',
  AUTH_UNAUTHORIZED: () => 'Your account may not do this.',
  EMAIL_ALREADY_REGISTERED: () => 'An account with this email already exists: log in instead.',
  BOOKING_SEATS_UNAVAILABLE: (e) => {
    const n = e.details.unavailable_seat_ids?.length || 0;
    return n === 1
      ? 'One of your seats was just taken by someone else. It is marked on the map: pick another.'
      : `${n || 'Some'} of your seats were just taken by someone else. They are marked on the map: pick others.`;
  },
  EVENT_SOLD_OUT: () => 'This event is sold out. Join the waitlist to be offered seats that come back.',
  BOOKING_EXPIRED: () => 'This hold has expired and its seats went back on sale. Pick seats again to buy.',
  BOOKING_NOT_PENDING: (e) => `This booking is already ${e.details.status || 'settled'}.`,
  BOOKING_NOT_CANCELLABLE: () => 'This booking can no longer be cancelled (it has ended, or the event has started).',
  BOOKING_NOT_FOUND: () => 'This booking does not exist, or it is not yours.',
  EVENT_NOT_FOUND: () => 'This event does not exist.',
  VENUE_NOT_FOUND: () => 'This venue does not exist.',
  EVENT_NOT_BOOKABLE: () => 'This event is no longer on sale: it was cancelled, or it has started.',
  EVENT_HAS_BOOKINGS: () => 'Seats of this event are already held or sold, so its seat layout and capacity can no longer change that way.',
  WAITLIST_NOT_AVAILABLE: (e) =>
    `Seats are still on sale${e.details.available_seats ? ` (${e.details.available_seats} left)` : ''}: pick them on the seat map instead of waiting.`,
  WAITLIST_ENTRY_NOT_FOUND: () => 'This waitlist entry does not exist, or it is not yours.',
  PAYMENT_FAILED: (e) =>
    `Your card was declined${e.details.reason ? ` (${e.details.reason.replaceAll('_', ' ')})` : ''}. Your seats stay held for you until the countdown ends: try another card.`,
  IDEMPOTENCY_KEY_IN_USE: () => 'This request is still being processed. Wait a moment, then look again.',
  IDEMPOTENCY_KEY_MISMATCH: () => 'This request was already sent with other details. Reload the page and try again.',
  RATE_LIMIT_EXCEEDED: (e) => `Too many requests. Try again in ${e.retryAfter ? clock(e.retryAfter) : 'a minute'}.`,
  SERVICE_UNAVAILABLE: (e) => `The service is briefly unavailable. Try again in ${e.retryAfter ? `${e.retryAfter} s` : 'a moment'}.`,
  EVENT_NOT_ON_SALE: (e) => `Sales have not started yet${e.details.sale_starts_at ? `: they open ${when(e.details.sale_starts_at)}` : ''}.`,
  BOOKING_LIMIT_EXCEEDED: (e) =>
    `You may have at most ${e.details.limit} tickets for this event${e.details.held !== undefined ? ` (you already have ${e.details.held})` : ''}.`,
  QUEUE_ADMISSION_REQUIRED: () => 'This event sells through a waiting room: join the queue and wait for your turn.',
  QUEUE_NOT_OPEN: () => 'The waiting room is not open yet.',
  QUEUE_NOT_ENABLED: () => 'This event has no waiting room: buy from the seat map.',
  QUEUE_TICKET_NOT_FOUND: () => 'You are not in this waiting room yet.',
  PAYLOAD_TOO_LARGE: () => 'That is too much to send at once.',
  VALIDATION_ERROR: (e) => (e.details.fields?.length ? 'Please correct the fields marked below.' : e.message),
};

export function describe(error) {
  if (!error) return '';
  const sentence = sentences[error.code];
  return sentence ? sentence(error) : error.message || 'Something went wrong. Please try again.';
}
