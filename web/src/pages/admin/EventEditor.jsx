// Create or edit an event: the seat-configuration editor (sections, rows, seats per row, price)
// previews the map as it is typed; an existing event changes only what was changed, and can be
// cancelled (with a confirmation).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, post, put } from '../../lib/api.js';
import { isoToLocal, localToIso, money, plural, when } from '../../lib/format.js';
import { Link, navigate } from '../../lib/router.js';
import { ConfirmDialog, ErrorAlert, Loading, Notice, PageTitle, StatusBadge } from '../../components/common.jsx';
import { Field, FormError, Submit, issueAt, numberOrText, useForm } from '../../components/forms.jsx';
import { SeatCanvas } from '../../seatmap/SeatCanvas.jsx';
import { fromConfiguration, fromSeatMap } from '../../seatmap/model.js';
import { parseRows, rowsText } from '../../lib/rows.js';

const NEW_SECTION = { name: '', rows: '', seats_per_row: '', price: '' };
const STARTER = [
  { name: 'VIP', rows: 'A-B', seats_per_row: '10', price: '150.00' },
  { name: 'Stalls', rows: 'C-J', seats_per_row: '20', price: '60.00' },
  { name: 'Balcony', rows: 'K-N', seats_per_row: '16', price: '35.00' },
];

const sectionBody = (s) => ({ name: s.name, rows: parseRows(s.rows), seats_per_row: numberOrText(s.seats_per_row), price: numberOrText(s.price) });

function SectionsEditor({ sections, setSections, fields, currency }) {
  const at = (i, name) => `seat_configuration.sections[${i}].${name}`;
  const update = (i, name, value) => setSections(sections.map((s, k) => (k === i ? { ...s, [name]: value } : s)));
  const move = (i, by) => {
    const next = [...sections];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSections(next);
  };
  const issueOf = (i, name) => issueAt(fields, at(i, name));
  const general = fields['seat_configuration.sections'] || fields.seat_configuration;
  return (
    <fieldset class="sections-editor">
      <legend>Seat configuration</legend>
      <p class="hint">One section per price tier, in the order they face the stage. Rows like "A-D", "R1-R40" or "A, C, F".</p>
      {general && (
        <p class="issue" role="alert" data-field="seat_configuration.sections">
          {general}
        </p>
      )}
      {sections.map((s, i) => (
        <div class="section-row" role="group" aria-label={`Section ${i + 1}`}>
          {[
            ['name', 'Name (tier)', 'text'],
            ['rows', 'Rows', 'text'],
            ['seats_per_row', 'Seats per row', 'numeric'],
            ['price', `Price (${currency || 'USD'})`, 'decimal'],
          ].map(([name, label, mode]) => {
            const id = `sec-${i}-${name}`;
            const issue = issueOf(i, name);
            return (
              <div class={`field${issue ? ' has-issue' : ''}`}>
                <label for={id}>{label}</label>
                <input
                  id={id}
                  value={s[name]}
                  inputMode={mode === 'text' ? undefined : mode}
                  data-field={at(i, name)}
                  aria-invalid={issue ? 'true' : undefined}
                  aria-describedby={issue ? `${id}-issue` : undefined}
                  onInput={(e) => update(i, name, e.currentTarget.value)}
                />
                {issue && (
                  <p class="issue" id={`${id}-issue`} role="alert">
                    {issue}
                  </p>
                )}
              </div>
            );
          })}
          <div class="section-actions">
            <button type="button" class="small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move section ${i + 1} up`}>
              ↑
            </button>
            <button type="button" class="small" disabled={i === sections.length - 1} onClick={() => move(i, 1)} aria-label={`Move section ${i + 1} down`}>
              ↓
            </button>
            <button type="button" class="small" onClick={() => setSections(sections.filter((_, k) => k !== i))} aria-label={`Remove section ${i + 1}`}>
              Remove
            </button>
          </div>
        </div>
      ))}
      <button type="button" onClick={() => setSections([...sections, { ...NEW_SECTION }])}>
        Add a section
      </button>
    </fieldset>
  );
}

function Preview({ sections, currency }) {
  const config = sections.map(sectionBody);
  const model = useMemo(() => fromConfiguration(config), [JSON.stringify(config)]);
  return (
    <section class="preview" aria-label="Preview">
      <h2>Preview</h2>
      <p data-testid="preview-count" role="status">
        {plural(model.count, 'seat')} in {plural(model.sections.length, 'section')}
        {model.sections.map((s) => ` · ${s.name} ${s.seats}${Number.isFinite(s.price) ? ` at ${money(s.price, /^[A-Z]{3}$/.test(currency) ? currency : 'USD')}` : ''}`)}
      </p>
      {model.count > 0 && <SeatCanvas model={model} preview tier={-1} focus={-1} onFocus={() => {}} onPick={() => {}} currency="USD" label={`Preview of the seat map: ${model.count} seats`} />}
    </section>
  );
}

// The seat configuration of an existing event, read back from its seat map.
function layoutOf(map) {
  return fromSeatMap(map).sections.map((s, k) => ({
    name: s.name,
    rows: rowsText(map.sections[k].rows.map((r) => r.row)),
    seats_per_row: String(s.width),
    price: s.price.toFixed(2),
  }));
}

function OnSale({ form }) {
  return (
    <fieldset>
      <legend>On-sale (optional)</legend>
      <Field form={form} name="sale_starts_at" type="datetime-local" label="Sale starts" hint="Empty: on sale at once." />
      <Field form={form} name="max_tickets_per_user" label="Tickets per buyer at most" inputMode="numeric" />
      <Field form={form} name="queue_enabled" field="queue.enabled" type="checkbox" label="Sell through a waiting room" />
      {form.values.queue_enabled && (
        <div class="row">
          <Field form={form} name="admit_per_minute" field="queue.admit_per_minute" label="Admitted per minute" inputMode="numeric" />
          <Field form={form} name="window_seconds" field="queue.window_seconds" label="Time to buy (s)" inputMode="numeric" hint="Default 600." />
          <Field form={form} name="opens_before_seconds" field="queue.opens_before_seconds" label="Opens before the sale (s)" inputMode="numeric" hint="Default 1,800." />
        </div>
      )}
    </fieldset>
  );
}

// The on-sale fields that were filled in (CONTRACT.md, On-sale).
function onSaleBody(v) {
  const body = {};
  if (v.sale_starts_at) body.sale_starts_at = localToIso(v.sale_starts_at);
  if (String(v.max_tickets_per_user).trim()) body.max_tickets_per_user = numberOrText(v.max_tickets_per_user);
  if (v.queue_enabled) {
    body.queue = { enabled: true };
    for (const k of ['admit_per_minute', 'window_seconds', 'opens_before_seconds']) if (String(v[k]).trim()) body.queue[k] = numberOrText(v[k]);
  }
  return body;
}

function useVenues() {
  const [venues, setVenues] = useState([]);
  useEffect(() => {
    get('/venues', { per_page: 100 }).then(({ data }) => setVenues(data), () => {});
  }, []);
  return venues;
}

const blankEvent = (venueId) => ({
  name: '',
  venue_id: venueId || '',
  start_time: '',
  end_time: '',
  currency: 'USD',
  capacity: '',
  sale_starts_at: '',
  max_tickets_per_user: '',
  queue_enabled: false,
  admit_per_minute: '',
  window_seconds: '',
  opens_before_seconds: '',
});

function CancelEvent({ event, onCancelled }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const cancel = async () => {
    setBusy(true);
    try {
      await post(`/admin/events/${event.id}/cancel`);
      setOpen(false);
      onCancelled();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        Cancel this event
      </button>
      <ConfirmDialog open={open} busy={busy} title={`Cancel ${event.name}?`} confirmLabel="Cancel the event" onConfirm={cancel} onClose={() => setOpen(false)}>
        <p>Every hold is released, every confirmed booking is refunded, and buyers and the waitlist are told. This cannot be undone.</p>
        <ErrorAlert error={error} />
      </ConfirmDialog>
    </>
  );
}

export function EventEditorPage({ params, query }) {
  const editing = params.id;
  const venues = useVenues();
  const form = useForm(blankEvent(query.get('venue_id')));
  const [sections, setSections] = useState(editing ? [] : STARTER);
  const [event, setEvent] = useState(null);
  const [original, setOriginal] = useState(null);
  const [relayout, setRelayout] = useState(!editing);
  const [loadError, setLoadError] = useState(null);
  const [saved, setSaved] = useState(false);

  const load = () =>
    Promise.all([get(`/events/${editing}`), get(`/events/${editing}/seats`, { status: 'all' })]).then(([detail, map]) => {
      const e = detail.data;
      setEvent(e);
      const values = {
        ...blankEvent(e.venue.id),
        name: e.name,
        start_time: isoToLocal(e.start_time),
        end_time: isoToLocal(e.end_time),
        currency: e.currency,
        capacity: String(e.capacity),
        sale_starts_at: isoToLocal(e.sale_starts_at),
        max_tickets_per_user: e.max_tickets_per_user ? String(e.max_tickets_per_user) : '',
        queue_enabled: !!e.queue?.enabled,
        ...Object.fromEntries(e.price_tiers.map((t) => [`price:${t.tier}`, t.price.toFixed(2)])),
      };
      form.setValues(values);
      setOriginal(values);
      const layout = layoutOf(map.data);
      setSections(layout);
    }, setLoadError);
  useEffect(() => {
    if (editing) load();
  }, [editing]);

  if (loadError) return <ErrorAlert error={loadError} />;
  if (editing && !event) return <Loading what="Loading the event" />;

  const create = async (v) => {
    const body = { name: v.name, venue_id: v.venue_id, start_time: localToIso(v.start_time), end_time: localToIso(v.end_time), currency: v.currency, seat_configuration: { sections: sections.map(sectionBody) }, ...onSaleBody(v) };
    if (String(v.capacity).trim()) body.capacity = numberOrText(v.capacity);
    const { data } = await post('/admin/events', body);
    navigate(`/admin/events/${data.id}?created=1`);
  };
  const change = async (v) => {
    setSaved(false);
    const body = {};
    for (const k of ['name']) if (v[k] !== original[k]) body[k] = v[k];
    for (const k of ['start_time', 'end_time']) if (v[k] !== original[k]) body[k] = localToIso(v[k]);
    if (v.capacity !== original.capacity) body.capacity = numberOrText(v.capacity);
    const prices = {};
    for (const t of event.price_tiers) if (v[`price:${t.tier}`] !== original[`price:${t.tier}`]) prices[t.tier] = numberOrText(v[`price:${t.tier}`]);
    if (Object.keys(prices).length) body.prices = prices;
    if (relayout) body.seat_configuration = { sections: sections.map(sectionBody) };
    const sale = onSaleBody(v);
    const saleBefore = onSaleBody(original);
    for (const k of Object.keys(sale)) if (JSON.stringify(sale[k]) !== JSON.stringify(saleBefore[k])) body[k] = sale[k];
    if (Object.keys(body).length === 0) {
      setSaved(true);
      return;
    }
    await put(`/admin/events/${editing}`, body);
    await load();
    setRelayout(false);
    setSaved(true);
  };

  const shown = ['name', 'venue_id', 'start_time', 'end_time', 'currency', 'capacity', 'seat_configuration', 'sale_starts_at', 'max_tickets_per_user', 'queue', 'prices'];
  return (
    <div class="editor">
      <PageTitle title={editing ? `Edit ${event.name}` : 'New event'}>{editing ? event.name : 'New event'}</PageTitle>
      {editing && (
        <p class="meta">
          <StatusBadge status={event.status} /> · {when(event.start_time)} · {event.venue.name} · <Link href={`/events/${editing}`}>Buyers' page</Link> · <Link href={`/admin/events/${editing}/analytics`}>Figures</Link>
        </p>
      )}
      {query.get('created') && !saved && <Notice kind="success">Event created: it is on sale to buyers now.</Notice>}
      <div class="editor-layout">
        <form noValidate onSubmit={form.submit(editing ? change : create)} aria-label={editing ? 'Change the event' : 'Create the event'}>
          <Field form={form} name="name" label="Name" />
          {!editing && <Field form={form} name="venue_id" label="Venue" options={[['', 'Choose a venue'], ...venues.map((v) => [v.id, `${v.name}, ${v.city} (${v.capacity.toLocaleString('en-US')})`])]} />}
          <div class="row">
            <Field form={form} name="start_time" type="datetime-local" label="Starts" />
            <Field form={form} name="end_time" type="datetime-local" label="Ends" />
          </div>
          <div class="row">
            {!editing && <Field form={form} name="currency" label="Currency" hint="ISO 4217, like USD or EUR." />}
            <Field form={form} name="capacity" label="Capacity (optional)" inputMode="numeric" hint="Empty: the number of seats." />
          </div>
          {editing && (
            <fieldset>
              <legend>Prices (future sales only)</legend>
              <div class="row">
                {event.price_tiers.map((t) => (
                  <Field form={form} name={`price:${t.tier}`} field={`prices.${t.tier}`} label={`${t.tier} (${event.currency})`} inputMode="decimal" />
                ))}
              </div>
            </fieldset>
          )}
          {editing && (
            <div class="field field-check">
              <input id="relayout" type="checkbox" checked={relayout} onChange={(e) => setRelayout(e.currentTarget.checked)} />
              <label for="relayout">Change the seat layout (only before any seat is held or sold)</label>
            </div>
          )}
          {relayout && <SectionsEditor sections={sections} setSections={setSections} fields={form.fields} currency={form.values.currency} />}
          <OnSale form={form} />
          <FormError form={form} shown={shown} />
          {saved && <Notice kind="success">Saved.</Notice>}
          <div class="actions">
            <Submit form={form}>{editing ? 'Save changes' : 'Create event'}</Submit>
            {editing && event.status !== 'cancelled' && <CancelEvent event={event} onCancelled={load} />}
          </div>
        </form>
        <Preview sections={sections} currency={form.values.currency} />
      </div>
    </div>
  );
}
