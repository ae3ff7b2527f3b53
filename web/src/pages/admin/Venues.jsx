// Venues: the list, and one form for creating and editing.
import { useEffect, useState } from 'preact/hooks';
import { get, post, put } from '../../lib/api.js';
import { Link, navigate, withQuery } from '../../lib/router.js';
import { ErrorAlert, ListTitle, Listing, Loading, Notice, PageTitle, useLoad } from '../../components/common.jsx';
import { Field, FormError, Submit, numberOrText, useForm } from '../../components/forms.jsx';

const TEXT_FIELDS = [
  ['name', 'Name'],
  ['address', 'Address'],
  ['city', 'City'],
  ['state', 'State or region'],
  ['country', 'Country'],
  ['postal_code', 'Postal code'],
];

export function VenuesPage({ query }) {
  const page = Number(query.get('page') || 1);
  const state = useLoad(() => get('/venues', { page, per_page: 20 }), [page]);
  return (
    <>
      <ListTitle title="Venues" newHref="/admin/venues/new" newLabel="New venue" />
      <Listing
        state={state}
        columns={['Venue', 'City', 'Capacity']}
        onPage={(p) => navigate(withQuery('/admin/venues', { page: p }))}
        row={(v) => (
          <tr>
            <th scope="row">
              <Link href={`/admin/venues/${v.id}`}>{v.name}</Link>
            </th>
            <td>{v.city}</td>
            <td>{v.capacity.toLocaleString('en-US')}</td>
          </tr>
        )}
      />
    </>
  );
}

const blank = { name: '', address: '', city: '', state: '', country: '', postal_code: '', capacity: '', layout_config: '{}' };

// The body as typed: JSON that does not parse goes as text, and the API says what is wrong.
function venueBody(v, before) {
  const body = {};
  for (const [name] of TEXT_FIELDS) body[name] = v[name];
  body.capacity = numberOrText(v.capacity);
  try {
    body.layout_config = JSON.parse(v.layout_config || '{}');
  } catch {
    body.layout_config = v.layout_config;
  }
  if (!before) return body;
  // A change sends only what changed (VenueChanges needs at least one field).
  const changed = {};
  for (const [k, value] of Object.entries(body)) if (JSON.stringify(value) !== JSON.stringify(before[k])) changed[k] = value;
  return changed;
}

export function VenueEditorPage({ params }) {
  const editing = params.id;
  const form = useForm(blank);
  const [venue, setVenue] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!editing) return;
    get(`/venues/${editing}`).then(({ data }) => {
      setVenue(data);
      form.setValues({ ...data, capacity: String(data.capacity), layout_config: JSON.stringify(data.layout_config, null, 2) });
    }, setLoadError);
  }, [editing]);
  if (loadError) return <ErrorAlert error={loadError} />;
  if (editing && !venue) return <Loading />;
  const save = form.submit(async (v) => {
    setSaved(false);
    if (editing) {
      const { data } = await put(`/admin/venues/${editing}`, venueBody(v, venue));
      setVenue(data);
      setSaved(true);
    } else {
      const { data } = await post('/admin/venues', venueBody(v));
      navigate(`/admin/venues/${data.id}?created=1`);
    }
  });
  return (
    <div class="narrow">
      <PageTitle>{editing ? `Venue: ${venue.name}` : 'New venue'}</PageTitle>
      {new URLSearchParams(location.search).get('created') && !saved && <Notice kind="success">Venue created.</Notice>}
      <form noValidate onSubmit={save}>
        {TEXT_FIELDS.map(([name, label]) => (
          <Field form={form} name={name} label={label} />
        ))}
        <Field form={form} name="capacity" label="Capacity (people)" inputMode="numeric" />
        <Field form={form} name="layout_config" type="textarea" label="Layout notes (JSON)" rows={4} hint='Free JSON for the venue, like {"stage": "north"}.' />
        <FormError form={form} shown={[...TEXT_FIELDS.map(([n]) => n), 'capacity', 'layout_config']} />
        {saved && <Notice kind="success">Saved.</Notice>}
        <Submit form={form}>{editing ? 'Save venue' : 'Create venue'}</Submit>
      </form>
      {editing && (
        <p>
          <Link href={`/admin/events/new?venue_id=${editing}`}>Create an event here</Link>
        </p>
      )}
    </div>
  );
}
