// The buyer's profile: name and phone, and what they have booked so far.
import { put } from '../lib/api.js';
import { money } from '../lib/format.js';
import { reloadProfile } from '../lib/session.js';
import { Notice, PageTitle } from '../components/common.jsx';
import { Field, FormError, Submit, useForm } from '../components/forms.jsx';
import { useState } from 'preact/hooks';

export function ProfilePage({ user }) {
  const form = useForm({ full_name: user.full_name, phone: user.phone || '' });
  const [saved, setSaved] = useState(false);
  return (
    <div class="narrow">
      <PageTitle>Your profile</PageTitle>
      <dl class="stats">
        <div>
          <dt>Bookings</dt>
          <dd>{user.stats.total_bookings}</dd>
        </div>
        <div>
          <dt>Upcoming events</dt>
          <dd>{user.stats.upcoming_events}</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd>{money(user.stats.total_spent)}</dd>
        </div>
      </dl>
      <form
        noValidate
        onSubmit={form.submit(async (v) => {
          setSaved(false);
          const change = { full_name: v.full_name };
          if (v.phone.trim()) change.phone = v.phone.trim();
          await put('/users/profile', change);
          await reloadProfile();
          setSaved(true);
        })}
      >
        <p>
          Email: <strong>{user.email}</strong>
        </p>
        <Field form={form} name="full_name" label="Full name" autoComplete="name" />
        <Field form={form} name="phone" type="tel" label="Phone" autoComplete="tel" hint="International form, like +14155550123." />
        <FormError form={form} shown={['full_name', 'phone']} />
        {saved && <Notice kind="success">Saved.</Notice>}
        <Submit form={form}>Save</Submit>
      </form>
    </div>
  );
}
