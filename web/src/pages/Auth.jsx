// Log in and sign up; both go back to where the buyer was (`?next=`).
import { login, register } from '../lib/api.js';
import { reloadProfile } from '../lib/session.js';
import { Link, navigate } from '../lib/router.js';
import { PageTitle } from '../components/common.jsx';
import { Field, FormError, Submit, useForm } from '../components/forms.jsx';

// Only this app's own paths: never an absolute URL someone put into the link.
function next(query) {
  const to = query.get('next') || '/';
  return to.startsWith('/') && !to.startsWith('//') ? to : '/';
}

export function LoginPage({ query }) {
  const form = useForm({ email: '', password: '' });
  return (
    <div class="narrow">
      <PageTitle>Log in</PageTitle>
      <form
        noValidate
        onSubmit={form.submit(async (v) => {
          await login(v.email, v.password);
          await reloadProfile();
          navigate(next(query), { replace: true });
        })}
      >
        <Field form={form} name="email" type="email" label="Email" autoComplete="username" />
        <Field form={form} name="password" type="password" label="Password" autoComplete="current-password" />
        <FormError form={form} shown={['email', 'password']} />
        <Submit form={form}>Log in</Submit>
      </form>
      <p class="hint">
        Demo accounts: <code>test@evently.com</code> / <code>TestPass123!</code> (buyer), <code>admin@evently.com</code> / <code>AdminPass123!</code> (box office).
      </p>
      <p>
        New here? <Link href={`/register?next=${encodeURIComponent(next(query))}`}>Create an account</Link>.
      </p>
    </div>
  );
}

export function RegisterPage({ query }) {
  const form = useForm({ full_name: '', email: '', password: '', phone: '' });
  return (
    <div class="narrow">
      <PageTitle>Create an account</PageTitle>
      <form
        noValidate
        onSubmit={form.submit(async (v) => {
          const account = { email: v.email, password: v.password, full_name: v.full_name };
          if (v.phone.trim()) account.phone = v.phone.trim();
          await register(account);
          await reloadProfile();
          navigate(next(query), { replace: true });
        })}
      >
        <Field form={form} name="full_name" label="Full name" autoComplete="name" />
        <Field form={form} name="email" type="email" label="Email" autoComplete="email" />
        <Field form={form} name="password" type="password" label="Password" autoComplete="new-password" hint="8 to 128 characters, with at least one letter and one digit." />
        <Field form={form} name="phone" type="tel" label="Phone (optional)" autoComplete="tel" hint="In international form, like +14155550123: for text messages about your seats." />
        <FormError form={form} shown={['full_name', 'email', 'password', 'phone']} />
        <Submit form={form}>Create account</Submit>
      </form>
      <p>
        Already have one? <Link href={`/login?next=${encodeURIComponent(next(query))}`}>Log in</Link>.
      </p>
    </div>
  );
}
