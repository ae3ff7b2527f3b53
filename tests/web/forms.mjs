// Test 5: bad input in every form shows the API's own message at its field, and nothing is
// created. Conflicts, expiry and rate limits read as sentences.
import { ADMIN, FESTIVAL, assert, closePage, login, openPage, pickWithKeyboard, shot } from './harness.mjs';

// Submits with `click` and checks that every issue of the API's VALIDATION_ERROR answer is shown
// under the control whose data-field is its path.
async function submitAndCheckIssues(page, click, urlPart) {
  const answer = page.waitForResponse((r) => r.url().includes(urlPart) && r.request().method() !== 'GET' && r.request().method() !== 'OPTIONS');
  await click();
  const res = await answer;
  assert.equal(res.status(), 400, `${urlPart} answered ${res.status()}`);
  const body = await res.json();
  assert.equal(body.error.code, 'VALIDATION_ERROR');
  const issues = body.error.details.fields;
  assert.ok(issues.length > 0);
  for (const { field, issue } of issues) await assertIssueAt(page, field, issue);
  return issues;
}

async function assertIssueAt(page, field, issue) {
  const control = page.locator(`[data-field="${field}"]`).first();
  await control.waitFor({ timeout: 3000 }).catch(() => assert.fail(`no control on ${page.url()} shows ${field}: ${issue}`));
  await page.waitForFunction((f) => document.querySelector(`[data-field="${f}"]`)?.getAttribute('aria-invalid') === 'true' || document.querySelector(`p.issue[data-field="${f}"]`), field, { timeout: 3000 });
  const shown = await control.evaluate((el) => {
    if (el.tagName === 'P') return el.textContent;
    return (el.getAttribute('aria-describedby') || '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent || '')
      .join(' ');
  });
  assert.ok(shown.includes(issue), `${field}: the page shows "${shown}", the API said "${issue}"`);
}

async function accountForms({ browser, server, admin }) {
  const page = await openPage(browser, server);
  const email = `bad-${Date.now().toString(36)}@example.com`;
  await page.goto('/register');
  await page.getByLabel('Full name').fill('Web Forms');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByLabel('Phone (optional)').fill('12ab');
  await submitAndCheckIssues(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/auth/register');
  await shot(page, 'register-issues');
  const found = await admin.call('GET', `/admin/users?search=${encodeURIComponent(email)}`);
  assert.equal(found.pagination.total, 0, 'no account was created');

  await page.goto('/login');
  await submitAndCheckIssues(page, () => page.getByRole('button', { name: 'Log in' }).click(), '/auth/login');
  await page.getByLabel('Email').fill('test@evently.com');
  await page.getByLabel('Password').fill('WrongPass123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'That email and password do not match an account.' }).waitFor();
  await closePage(page);

  const { tokens } = await admin.register('profile');
  const signed = await openPage(browser, server, { tokens });
  await signed.goto('/profile');
  await signed.getByLabel('Phone').fill('not a phone');
  await submitAndCheckIssues(signed, () => signed.getByRole('button', { name: 'Save' }).click(), '/users/profile');
  await closePage(signed);
}

async function boxOfficeForms({ browser, server, admin }) {
  const venuesBefore = (await admin.call('GET', '/venues?per_page=1')).pagination.total;
  const page = await openPage(browser, server);
  await login(page, ADMIN);
  await page.goto('/admin/venues/new');
  await page.getByLabel('Name', { exact: true }).fill('Nowhere Hall');
  await page.getByLabel('Capacity (people)').fill('lots');
  await page.getByLabel('Layout notes (JSON)').fill('{"stage": ');
  await submitAndCheckIssues(page, () => page.getByRole('button', { name: 'Create venue' }).click(), '/admin/venues');
  await page.getByLabel('Capacity (people)').fill('0');
  await page.getByLabel('Layout notes (JSON)').fill('{}');
  await page.getByLabel('Name', { exact: true }).fill('');
  await submitAndCheckIssues(page, () => page.getByRole('button', { name: 'Create venue' }).click(), '/admin/venues');
  assert.equal((await admin.call('GET', '/venues?per_page=1')).pagination.total, venuesBefore, 'no venue was created');

  const name = `Broken Night ${Date.now().toString(36)}`;
  await page.goto('/admin/events/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue').selectOption({ index: 1 });
  await page.getByLabel('Starts', { exact: true }).fill('2031-05-01T20:00');
  await page.getByLabel('Ends', { exact: true }).fill('2031-05-01T18:00');
  await page.getByRole('group', { name: 'Section 2' }).getByLabel('Seats per row').fill('0');
  await page.getByRole('group', { name: 'Section 3' }).getByLabel(/^Price/).fill('-5');
  const issues = await submitAndCheckIssues(page, () => page.getByRole('button', { name: 'Create event' }).click(), '/admin/events');
  await shot(page, 'admin-event-issues');
  const again = await submitAndCheckIssues(
    page,
    async () => {
      await page.getByRole('group', { name: 'Section 2' }).getByLabel('Seats per row').fill('10');
      await page.getByRole('group', { name: 'Section 3' }).getByLabel(/^Price/).fill('5');
      await page.getByRole('button', { name: 'Create event' }).click();
    },
    '/admin/events',
  );
  assert.ok(issues.length + again.length >= 2);
  const created = await admin.call('GET', `/events?search=${encodeURIComponent(name)}&status=upcoming,ongoing,completed,cancelled`);
  assert.equal(created.pagination.total, 0, 'no event was created');

  // The dashboard's range is checked by the API too.
  await page.goto('/admin?start_date=2026-03-10&end_date=2026-03-01');
  await page.locator('[data-field="end_date"][aria-invalid="true"]').waitFor();
  await closePage(page);
}

async function paymentAndSentences({ browser, server, admin }) {
  const { tokens } = await admin.register('sentences');
  const page = await openPage(browser, server, { tokens });

  // The event list's dates are checked by the API.
  await page.goto('/?start_date=2031-02-10&end_date=2031-02-01');
  await page.locator('[data-field="end_date"][aria-invalid="true"]').waitFor();

  // 409: a seat taken between picking and holding is a sentence, and leaves the pick.
  await page.goto(`/events/${FESTIVAL}`);
  await page.locator('canvas.seatmap-canvas').waitFor();
  await pickWithKeyboard(page, ['PageDown']);
  await page.route('**/api/v1/bookings', async (route) => {
    const body = JSON.parse(route.request().postData());
    await route.fulfill({
      status: 409,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ success: false, error: { code: 'BOOKING_SEATS_UNAVAILABLE', message: 'Seats unavailable', details: { unavailable_seat_ids: body.seat_ids } }, timestamp: new Date().toISOString() }),
    });
  });
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await page.getByRole('alert').filter({ hasText: 'One of your seats was just taken by someone else.' }).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Picked seats' }).count(), 0, 'the taken seat left the pick');

  // 429 with its wait.
  await page.unroute('**/api/v1/bookings');
  await page.route('**/api/v1/bookings', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Retry-After': '42', 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests', details: { retry_after: 42 } }, timestamp: new Date().toISOString() }),
    }),
  );
  await pickWithKeyboard(page, ['ArrowRight']);
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await page.getByRole('alert').filter({ hasText: 'Too many requests. Try again in 0:42.' }).waitFor();
  await page.unroute('**/api/v1/bookings');

  // A real hold, then a card number the API refuses, shown at the field.
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await page.waitForURL(/\/bookings\//);
  await page.getByLabel('Card number').fill('1234');
  await page.getByLabel('Expiry month').fill('13');
  await page.getByLabel('Expiry year').fill('2025');
  await page.getByLabel('CVC').fill('12');
  await submitAndCheckIssues(page, () => page.getByRole('button', { name: /^Pay / }).click(), '/confirm');
  await shot(page, 'payment-issues');

  // 410: the hold ran out before the payment arrived.
  await page.route('**/confirm', (route) =>
    route.fulfill({
      status: 410,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ success: false, error: { code: 'BOOKING_EXPIRED', message: 'Booking has expired', details: {} }, timestamp: new Date().toISOString() }),
    }),
  );
  await page.getByRole('button', { name: 'Use the test card' }).click();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('alert').filter({ hasText: 'This hold has expired and its seats went back on sale.' }).waitFor();
  await closePage(page);
}

export default [
  ['forms: sign-up, log-in and profile show the API issues at their fields; nothing created', accountForms],
  ['forms: venue, event editor and dashboard range show the API issues at their fields; nothing created', boxOfficeForms],
  ['forms: payment issues at the fields; 409, 410 and 429 read as sentences', paymentAndSentences],
];
