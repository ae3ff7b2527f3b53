// Sold out: join the event's waitlist (email and text message preferences) and see the position.
import { post } from '../lib/api.js';
import { Link } from '../lib/router.js';
import { Field, FormError, Submit, useForm } from '../components/forms.jsx';
import { useState } from 'preact/hooks';

export function WaitlistEntrySummary({ entry }) {
  if (entry.status === 'offered') return <p>Seats are being offered to you: book them before the offer ends.</p>;
  return (
    <p data-testid="waitlist-position">
      You are <strong>number {entry.position}</strong> on the waitlist. Estimated wait: {entry.estimated_wait_time || 'unknown'}.
    </p>
  );
}

export function WaitlistPanel({ event, user, entry, onJoined }) {
  const form = useForm({ email: true, sms: false });
  const [joined, setJoined] = useState(null);
  const current = joined || entry;
  if (!user) {
    return (
      <div class="panel waitlist">
        <h2>Sold out</h2>
        <p>
          <Link href={`/login?next=${encodeURIComponent(`/events/${event.id}`)}`}>Log in</Link> to join the waitlist: when seats come back they are offered in turn.
        </p>
      </div>
    );
  }
  return (
    <div class="panel waitlist">
      <h2>Sold out</h2>
      {current ? (
        <div role="status">
          <WaitlistEntrySummary entry={current} />
          <p class="hint">
            We will tell you here <Link href="/notifications">in your notifications</Link>
            {current.notification_preferences?.email ? ' and by email' : ''}
            {current.notification_preferences?.sms ? ' and by text message' : ''} when seats are held for you. <Link href="/waitlist">Your waitlist</Link>
          </p>
        </div>
      ) : (
        <form
          noValidate
          onSubmit={form.submit(async (v) => {
            const { data } = await post('/waitlist/join', { event_id: event.id, notification_preferences: { email: v.email, sms: v.sms } });
            setJoined(data);
            onJoined?.();
          })}
        >
          <p>Every seat is taken. Join the waitlist: seats that come back are offered in turn, and held for you for a while.</p>
          <fieldset>
            <legend>Tell me by</legend>
            <Field form={form} name="email" field="notification_preferences.email" type="checkbox" label="Email" />
            <Field form={form} name="sms" field="notification_preferences.sms" type="checkbox" label="Text message" />
          </fieldset>
          <FormError form={form} shown={['notification_preferences.email', 'notification_preferences.sms']} />
          <Submit form={form}>Join the waitlist</Submit>
        </form>
      )}
    </div>
  );
}
