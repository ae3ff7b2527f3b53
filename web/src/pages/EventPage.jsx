// An event: its tiers and prices, the live seat map, picking and holding seats, and the waitlist
// when it is sold out.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call, get, idempotencyKey } from '../lib/api.js';
import { describe } from '../lib/errors.js';
import { clock, money, plural, when } from '../lib/format.js';
import { openLive } from '../lib/live.js';
import { Link, navigate } from '../lib/router.js';
import { queueToken } from '../lib/queue.js';
import { ErrorAlert, Loading, Notice, PageTitle, StatusBadge, useNow, TableHead } from '../components/common.jsx';
import { SeatCanvas, tierColour } from '../seatmap/SeatCanvas.jsx';
import { Legend } from '../seatmap/Legend.jsx';
import { AVAILABLE, STATUS_CODES, availableByTier, describeSeat, fromSeatMap } from '../seatmap/model.js';
import { WaitlistPanel } from './WaitlistPanel.jsx';

const MAX_PICK = 10; // CONTRACT.md: 1–10 seats per booking by default

// The version a seat map answer is of: its ETag is "<seat_version>-<hash>".
const versionOf = (headers) => Number(/^(?:W\/)?"(\d+)-/.exec(headers.get('ETag') || '')?.[1] ?? -1);

// The live seat map of one event: the model, the connection's state and live counts. The map is
// read while the socket connects; changes that arrive before it is loaded are applied once it has
// (they are absolute, so order is all that matters). A map older than the socket's snapshot, or a
// reconnect (changes may have been missed), reads it again.
function useLiveSeats(eventId, onChange) {
  const [model, setModel] = useState(null);
  const [error, setError] = useState(null);
  const [link, setLink] = useState('connecting');
  const [counts, setCounts] = useState(null);
  const [revision, setRevision] = useState(0);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  useEffect(() => {
    let current = null;
    let currentVersion = -1;
    let snapshotVersion = -1;
    let byTier = {};
    let pending = [];
    let loading = null;
    const apply = (updates) => {
      const touched = [];
      for (const u of updates) {
        const i = current.index.get(u.seat_id);
        const status = STATUS_CODES[u.status];
        if (i === undefined || status === undefined || current.status[i] === status) continue;
        const tier = current.sections[current.section[i]].name;
        if (current.status[i] === AVAILABLE) byTier[tier]--;
        else if (status === AVAILABLE) byTier[tier]++;
        current.status[i] = status;
        touched.push(i);
      }
      if (updates.length) {
        const last = updates[updates.length - 1];
        setCounts({ total: last.available_seats, byTier: { ...byTier } });
      }
      if (touched.length) {
        setRevision((r) => r + 1);
        changeRef.current?.(touched, current);
      }
    };
    const load = () => {
      current = null;
      performance.mark('seatmap:request');
      loading = get(`/events/${eventId}/seats`, { status: 'all' })
        .then(({ data, headers }) => {
          performance.mark('seatmap:parsed'); // the answer read and its JSON parsed
          loading = null;
          currentVersion = versionOf(headers);
          if (currentVersion < snapshotVersion) return load(); // read before the feed's snapshot
          current = fromSeatMap(data);
          performance.mark('seatmap:model');
          byTier = availableByTier(current);
          const queued = pending;
          pending = [];
          setCounts({ total: data.summary.total_available, byTier: { ...byTier } });
          setModel(current);
          apply(queued);
          return undefined;
        })
        .catch((e) => {
          loading = null;
          setError(e);
        });
    };
    let snapshots = 0;
    const live = openLive(eventId, {
      onStatus: setLink,
      onSnapshot: (snap) => {
        snapshotVersion = snap.seat_version ?? -1;
        setCounts((c) => ({ total: snap.available_seats, byTier: c?.byTier ?? snap.by_tier }));
        // The first snapshot: the map being read is good when it is at least as new. Later ones
        // (reconnects): read it again.
        if (snapshots++ === 0 ? current && currentVersion < snapshotVersion : !loading) load();
      },
      onUpdates: (updates) => {
        if (current) apply(updates);
        else pending.push(...updates);
      },
    });
    load();
    return () => live.close();
  }, [eventId]);

  return { model, error, link, counts, revision };
}

// Seats of the caller's live bookings of this event (pending or confirmed) and of a waitlist
// offer: drawn as "yours".
function useMine(user, eventId) {
  const [mine, setMine] = useState({ seatIds: new Set(), pending: [], offer: null, waitlist: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!user) return;
    Promise.all([
      get('/users/bookings', { status: 'pending', per_page: 100 }),
      get('/users/bookings', { status: 'confirmed', per_page: 100 }),
      get('/waitlist', { per_page: 100 }),
    ]).then(
      ([pending, confirmed, waitlist]) => {
        const seatIds = new Set();
        const ours = (b) => b.event.id === eventId;
        const mineNow = [...pending.data.filter(ours), ...confirmed.data.filter(ours)];
        for (const b of mineNow) for (const s of b.seats) seatIds.add(s.seat_id);
        const entry = waitlist.data.find((w) => w.event.id === eventId && ['waiting', 'offered'].includes(w.status)) || null;
        if (entry?.offer) for (const id of entry.offer.seat_ids) seatIds.add(id);
        setMine({ seatIds, pending: pending.data.filter(ours), offer: entry?.offer ? entry : null, waitlist: entry });
      },
      () => {},
    );
  }, [user?.id, eventId, tick]);
  return { ...mine, reload: () => setTick((t) => t + 1) };
}

function TierTable({ event, counts }) {
  return (
    <table class="tiers">
      <caption>Prices and seats left</caption>
      <TableHead columns={['Tier', 'Price', 'Seats left']} />
      <tbody>
        {event.price_tiers.map((t, k) => {
          const left = counts?.byTier?.[t.tier] ?? t.available;
          return (
            <tr data-tier={t.tier}>
              <th scope="row">
                <span class="swatch" style={{ background: tierColour(k) }} aria-hidden="true" /> {t.tier}
              </th>
              <td>{money(t.price, event.currency)}</td>
              <td data-testid={`left-${t.tier}`}>{left === 0 ? 'Sold out' : left.toLocaleString('en-US')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Selection({ model, selected, currency, onRemove }) {
  const seats = [...selected].map((i) => ({ i, ...describeSeat(model, i) }));
  const total = seats.reduce((sum, s) => sum + s.price, 0);
  return (
    <div class="selection">
      <h2>Your seats</h2>
      {seats.length === 0 ? (
        <p class="hint">Pick up to {MAX_PICK} seats on the map (click or tap them, or use the arrow keys and Enter).</p>
      ) : (
        <>
          <ul aria-label="Picked seats">
            {seats.map((s) => (
              <li>
                <span>
                  {s.section} row {s.row}, seat {s.number} · {money(s.price, currency)}
                </span>
                <button type="button" class="link" onClick={() => onRemove(s.i)} aria-label={`Remove ${s.section} row ${s.row} seat ${s.number}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <p class="total">
            {plural(seats.length, 'seat')} · <strong>{money(total, currency)}</strong>
          </p>
        </>
      )}
    </div>
  );
}

// Before the sale opens: a countdown (from the event's `sale_starts_at` or an EVENT_NOT_ON_SALE
// answer), and the waiting room when the event has one.
function SaleGate({ event, opensAt, now }) {
  const left = opensAt ? (Date.parse(opensAt) - now) / 1000 : 0;
  if (left <= 0 && !event.queue?.enabled) return null;
  return (
    <div class="alert alert-info sale-gate" role="status">
      {left > 0 && (
        <p>
          On sale in{' '}
          <strong role="timer" data-testid="sale-countdown">
            {clock(left)}
          </strong>{' '}
          ({when(opensAt)}).
        </p>
      )}
      {event.queue?.enabled && !queueToken(event.id) && (
        <p>
          This sale runs through a waiting room, so everyone gets a fair turn.{' '}
          <Link href={`/events/${event.id}/queue`} class="button primary small">
            Go to the waiting room
          </Link>
        </p>
      )}
    </div>
  );
}

export function EventPage({ params, user }) {
  const eventId = params.id;
  const [event, setEvent] = useState(null);
  const [eventError, setEventError] = useState(null);
  const [selected, setSelected] = useState(() => new Set());
  const [tier, setTier] = useState(-1);
  const [focus, setFocus] = useState(-1);
  const [notice, setNotice] = useState(null);
  const [holdError, setHoldError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [opensAt, setOpensAt] = useState(null);
  const holdKey = useRef(null);
  const painter = useRef(null);
  const now = useNow();
  const mine = useMine(user, eventId);

  useEffect(() => {
    get(`/events/${eventId}`).then(
      ({ data }) => {
        setEvent(data);
        setOpensAt(data.sale_starts_at || null);
      },
      setEventError,
    );
  }, [eventId]);

  // A picked seat someone else took is dropped from the pick, and the buyer told.
  const onChange = (touched, model) => {
    painter.current?.request(touched);
    if (touched.some((i) => mineIdx.has(i))) mine.reload(); // a hold of ours ended or was confirmed
    setSelected((sel) => {
      const lost = touched.filter((i) => sel.has(i) && model.status[i] !== AVAILABLE);
      if (lost.length === 0) return sel;
      const next = new Set(sel);
      for (const i of lost) next.delete(i);
      const d = describeSeat(model, lost[0]);
      setNotice(`${d.section} row ${d.row}, seat ${d.number}${lost.length > 1 ? ` and ${lost.length - 1} more` : ''}, which you picked, was just taken by someone else.`);
      holdKey.current = null;
      return next;
    });
  };
  const { model, error: mapError, link, counts, revision } = useLiveSeats(eventId, (touched, m) => onChange(touched, m));

  const mineIdx = useMemo(() => {
    const out = new Set();
    if (model) for (const id of mine.seatIds) if (model.index.has(id)) out.add(model.index.get(id));
    return out;
  }, [model, mine.seatIds]);

  if (eventError) return <ErrorAlert error={eventError} />;
  if (!event) return <Loading what="Loading the event" />;

  const total = counts?.total ?? event.available_seats;
  const onSale = event.status === 'upcoming' || event.status === 'ongoing';
  const soldOut = onSale && total === 0;
  const beforeSale = opensAt && Date.parse(opensAt) > now;

  const pick = (i) => {
    setNotice(null);
    setHoldError(null);
    if (!model) return;
    if (mineIdx.has(i)) return setNotice('This seat is already yours.');
    if (selected.has(i)) {
      const next = new Set(selected);
      next.delete(i);
      holdKey.current = null;
      return setSelected(next);
    }
    if (model.status[i] !== AVAILABLE) return setNotice('That seat is not available: pick one drawn as a filled square.');
    if (tier >= 0 && model.section[i] !== tier) return setNotice('That seat is in another tier: choose "All tiers" to pick it.');
    if (selected.size >= MAX_PICK) return setNotice(`You can pick at most ${MAX_PICK} seats in one booking.`);
    const next = new Set(selected);
    next.add(i);
    holdKey.current = null;
    setSelected(next);
  };

  const hold = async (seatIds) => {
    if (!user) return navigate(`/login?next=${encodeURIComponent(`/events/${eventId}`)}`);
    setBusy(true);
    setHoldError(null);
    holdKey.current ??= idempotencyKey('hold');
    const headers = { 'Idempotency-Key': holdKey.current };
    const token = queueToken(eventId);
    if (token) headers['X-Queue-Token'] = token;
    try {
      const { data } = await call('POST', '/bookings', { body: { event_id: eventId, seat_ids: seatIds }, headers });
      holdKey.current = null;
      navigate(`/bookings/${data.booking.id}`);
    } catch (e) {
      if (!e.code) throw e;
      holdKey.current = e.status === 0 ? holdKey.current : null; // a lost answer is retried with its key
      if (e.code === 'BOOKING_SEATS_UNAVAILABLE' && model) {
        const taken = (e.details.unavailable_seat_ids || []).map((id) => model.index.get(id)).filter((i) => i !== undefined);
        const next = new Set(selected);
        for (const i of taken) next.delete(i);
        setSelected(next);
      }
      if (e.code === 'EVENT_NOT_ON_SALE') setOpensAt(e.details.sale_starts_at);
      if (e.code === 'QUEUE_ADMISSION_REQUIRED') return navigate(`/events/${eventId}/queue`);
      setHoldError(e);
    } finally {
      setBusy(false);
    }
  };

  const seatIds = model ? [...selected].map((i) => model.ids[i]) : [];
  const firstAvailable = () => {
    if (!model) return 0;
    for (let i = 0; i < model.count; i++) if (model.status[i] === AVAILABLE && (tier < 0 || model.section[i] === tier)) return i;
    return 0;
  };

  return (
    <div class="event-page">
      <PageTitle title={event.name}>{event.name}</PageTitle>
      <p class="meta">
        <time datetime={event.start_time}>{when(event.start_time)}</time> · {event.venue.name}, {event.venue.address && `${event.venue.address}, `}
        {event.venue.city} {event.status !== 'upcoming' && <StatusBadge status={event.status} />}
      </p>
      {event.description && <p class="description">{event.description}</p>}
      <p class="live-count" aria-live="polite">
        <span class={`dot dot-${link}`} aria-hidden="true" /> {link === 'live' ? 'Live' : link === 'connecting' ? 'Connecting' : 'Reconnecting'} ·{' '}
        <strong data-testid="available-count">{total.toLocaleString('en-US')}</strong> of {event.capacity.toLocaleString('en-US')} seats available
      </p>
      <SaleGate event={event} opensAt={opensAt} now={now} />
      {mine.offer && (
        <Notice kind="success">
          Seats came back for you from the waitlist: {plural(mine.offer.offer.seat_ids.length, 'seat')} held for you until {when(mine.offer.offer.expires_at)}.{' '}
          <button type="button" class="primary small" disabled={busy} onClick={() => hold(mine.offer.offer.seat_ids)}>
            Book them
          </button>
        </Notice>
      )}
      {mine.pending.length > 0 && (
        <Notice>
          You have seats on hold for this event:{' '}
          {mine.pending.map((b) => (
            <Link href={`/bookings/${b.id}`}>pay for {plural(b.seats.length, 'seat')}</Link>
          ))}
          .
        </Notice>
      )}
      <div class="event-layout">
        <section class="map-panel" aria-label="Seat map">
          <div class="map-tools">
            <label for="tier-filter">Tier</label>
            <select id="tier-filter" value={tier} onChange={(e) => setTier(Number(e.currentTarget.value))}>
              <option value={-1}>All tiers</option>
              {event.price_tiers.map((t, k) => (
                <option value={k}>
                  {t.tier} ({money(t.price, event.currency)})
                </option>
              ))}
            </select>
            <Legend />
          </div>
          <ErrorAlert error={mapError} />
          {!model && !mapError && <Loading what="Loading the seat map" />}
          {model && (
            <SeatCanvas
              model={model}
              selected={selected}
              mine={mineIdx}
              tier={tier}
              focus={focus}
              revision={revision}
              initialFocus={firstAvailable()}
              onFocus={setFocus}
              onPick={pick}
              currency={event.currency}
              label={`Seat map of ${event.name}: ${total} of ${model.count} seats available`}
              onReady={(p) => {
                painter.current = p;
              }}
            />
          )}
        </section>
        <aside class="side-panel">
          <div class="panel">
            <TierTable event={event} counts={counts} />
          </div>
          {soldOut && !mine.offer ? (
            <WaitlistPanel event={event} user={user} entry={mine.waitlist} onJoined={mine.reload} />
          ) : (
            model &&
            onSale && (
              <div class="panel">
                <Selection model={model} selected={selected} currency={event.currency} onRemove={pick} />
                {notice && <Notice>{notice}</Notice>}
                {holdError && (
                  <div class="alert alert-error" role="alert">
                    {describe(holdError)}
                  </div>
                )}
                <button type="button" class="primary wide" disabled={busy || selected.size === 0 || beforeSale} onClick={() => hold(seatIds)}>
                  {user ? `Hold ${selected.size ? plural(selected.size, 'seat') : 'seats'}` : 'Log in to hold seats'}
                </button>
                <p class="hint">Seats are held for you for a few minutes while you pay.</p>
              </div>
            )
          )}
          {!onSale && <Notice>This event is {event.status}: its seats are no longer on sale.</Notice>}
        </aside>
      </div>
    </div>
  );
}
