// The waiting room of an event sold through a queue (CONTRACT.md, On-sale): join, see the
// position and the wait move live (`watch_queue` on the event's socket, and a slow poll behind
// it), and go on to the seat map with the admission token once admitted.
import { useEffect, useState } from 'preact/hooks';
import { call, get } from '../lib/api.js';
import { describe } from '../lib/errors.js';
import { clock, wait, when } from '../lib/format.js';
import { openLive } from '../lib/live.js';
import { saveQueueToken } from '../lib/queue.js';
import { Link, navigate } from '../lib/router.js';
import { ErrorAlert, Loading, Notice, PageTitle, useNow } from '../components/common.jsx';

const POLL_MS = 5000;

function useTicket(eventId) {
  const [ticket, setTicket] = useState(null);
  const [state, setState] = useState('loading'); // loading, none, ticket, unsupported
  const [error, setError] = useState(null);

  const look = () =>
    get(`/events/${eventId}/queue`).then(
      ({ data }) => {
        setTicket(data);
        setState('ticket');
      },
      (e) => {
        if (e.code === 'QUEUE_TICKET_NOT_FOUND') setState('none');
        else if (e.code === 'NOT_FOUND') setState('unsupported'); // this server has no waiting room
        else setError(e);
      },
    );

  useEffect(() => {
    look();
  }, [eventId]);

  // Live while waiting: socket updates, and a poll in case the socket is down.
  useEffect(() => {
    if (!ticket || ticket.status !== 'waiting') return undefined;
    const live = openLive(eventId, { onQueue: (u) => u.ticket_id === ticket.ticket_id && (u.status === 'waiting' ? setTicket((t) => ({ ...t, ...u })) : look()) });
    live.watchQueue(ticket.ticket_id);
    const timer = setInterval(look, POLL_MS);
    return () => {
      live.close();
      clearInterval(timer);
    };
  }, [eventId, ticket?.ticket_id, ticket?.status]);

  return { ticket, setTicket, state, setState, error, setError, look };
}

export function WaitingRoomPage({ params }) {
  const eventId = params.id;
  const [event, setEvent] = useState(null);
  const [busy, setBusy] = useState(false);
  const now = useNow();
  const q = useTicket(eventId);

  useEffect(() => {
    get(`/events/${eventId}`).then(({ data }) => setEvent(data), q.setError);
  }, [eventId]);

  // Admitted: keep the token for the hold and go on to the seat map.
  useEffect(() => {
    if (q.ticket?.status !== 'admitted' || !q.ticket.admission_token) return undefined;
    saveQueueToken(eventId, q.ticket.admission_token, q.ticket.admission_expires_at);
    const timer = setTimeout(() => navigate(`/events/${eventId}`), 1500);
    return () => clearTimeout(timer);
  }, [q.ticket?.status]);

  const act = async (method) => {
    setBusy(true);
    q.setError(null);
    try {
      const { data } = await call(method, `/events/${eventId}/queue`);
      q.setTicket(data);
      q.setState('ticket');
    } catch (e) {
      if (!e.code) throw e;
      if (e.code === 'NOT_FOUND') q.setState('unsupported');
      else q.setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!event) return q.error ? <ErrorAlert error={q.error} /> : <Loading what="Loading the waiting room" />;
  const opens = event.sale_starts_at && Date.parse(event.sale_starts_at) > now ? (Date.parse(event.sale_starts_at) - now) / 1000 : 0;
  const t = q.ticket;
  return (
    <div class="narrow waiting-room">
      <PageTitle title={`Waiting room: ${event.name}`}>Waiting room</PageTitle>
      <p class="meta">
        <Link href={`/events/${eventId}`}>{event.name}</Link> · {when(event.start_time)}
      </p>
      {opens > 0 && (
        <p class="countdown">
          Sales open in{' '}
          <strong role="timer" data-testid="sale-countdown">
            {clock(opens)}
          </strong>{' '}
          ({when(event.sale_starts_at)}). Everyone who joins before then gets a place in a random order, so there is no need to rush.
        </p>
      )}
      <ErrorAlert error={q.error} />
      {q.state === 'loading' && <Loading />}
      {q.state === 'unsupported' && <Notice>This event is not sold through a waiting room: pick your seats on the seat map.</Notice>}
      {q.state === 'none' && (
        <button type="button" class="primary" disabled={busy} onClick={() => act('POST')}>
          Join the waiting room
        </button>
      )}
      {t && (
        <section class="ticket" aria-live="polite" data-status={t.status}>
          {t.status === 'waiting' && (
            <>
              <p class="position">
                You are number <strong data-testid="queue-position">{t.position?.toLocaleString('en-US') ?? '…'}</strong> in line.
              </p>
              <p>Estimated wait: {t.estimated_wait_seconds === null || t.estimated_wait_seconds === undefined ? 'unknown until sales open' : wait(t.estimated_wait_seconds)}.</p>
              <p class="hint">Keep this page open: it moves on by itself when it is your turn.</p>
            </>
          )}
          {t.status === 'admitted' && (
            <Notice kind="success">
              It is your turn! You may pick seats until {when(t.admission_expires_at)}. <Link href={`/events/${eventId}`}>Go to the seat map</Link>
            </Notice>
          )}
          {t.status === 'expired' && <Notice kind="error">Your turn has passed: your admission lapsed before you held seats.</Notice>}
          {t.status === 'left' && <Notice>You left the waiting room.</Notice>}
          {t.status === 'sold_out' && <Notice kind="error">{describe({ code: 'EVENT_SOLD_OUT', details: {} })}</Notice>}
          {t.status === 'waiting' && (
            <button type="button" disabled={busy} onClick={() => act('DELETE')}>
              Leave the waiting room
            </button>
          )}
        </section>
      )}
    </div>
  );
}
