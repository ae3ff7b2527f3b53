// Test 6 and the rest of the app: every page screenshot into the build folder (with the checks
// every shot makes: labels, no script error or CSP violation), keyboard basics, notifications,
// the box office's lists, client-side routes beside the API's own 404s.
import { ADMIN, BUYER, assert, closePage, login, openPage, shot } from './harness.mjs';

async function buyerPages({ browser, server, admin }) {
  const page = await openPage(browser, server);
  await page.goto('/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');

  // An unknown client-side route is the app's page; an unknown API path keeps its JSON 404.
  await page.goto('/no/such/page');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  const api404 = await page.evaluate(async () => {
    const r = await fetch('/api/v1/no/such/route');
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
  });
  assert.equal(api404.status, 404);
  assert.match(api404.type, /^application\/json/);
  assert.equal(api404.body.error.code, 'NOT_FOUND');

  // Notifications: someone's booking leaves an in-app notification; reading it clears the badge.
  const buyer = await admin.register('notes');
  const seats = await buyer.api.seats('0190a5c0-0000-7000-8000-000000000102');
  await buyer.api.pay((await buyer.api.hold('0190a5c0-0000-7000-8000-000000000102', [seats[seats.length - 1].id])).booking.id);
  await login(page, { email: buyer.email, password: buyer.password });
  await page.goto('/notifications');
  const unread = page.locator('.notifications li.unread').first();
  await unread.waitFor({ timeout: 15_000 });
  const badge = Number(await page.getByTestId('unread-count').textContent().then((t) => t.replace(/\D/g, '')));
  await shot(page, 'notifications');
  await unread.getByRole('button', { name: 'Mark as read' }).click();
  await page.waitForFunction((n) => (Number(document.querySelector('[data-testid="unread-count"]')?.textContent.replace(/\D/g, '')) || 0) === n - 1, badge);
  await page.goto('/profile');
  await page.getByText('Upcoming events').waitFor();
  await shot(page, 'profile');
  await page.goto('/bookings?status=confirmed');
  await page.locator('li.booking-row').first().waitFor();
  await closePage(page);
}

async function boxOfficePages({ browser, server }) {
  const page = await openPage(browser, server);
  await login(page, ADMIN);
  await page.goto('/admin/events');
  await page.getByRole('link', { name: 'Summer Music Festival' }).waitFor();
  await shot(page, 'admin-events');
  await page.getByRole('link', { name: 'Summer Music Festival' }).click();
  await page.getByRole('button', { name: 'Save changes' }).waitFor();
  await shot(page, 'admin-event-edit');
  // Cancelling asks first; keeping it changes nothing.
  await page.getByRole('button', { name: 'Cancel this event' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).click();
  await page.goto('/admin/venues');
  await page.getByRole('link', { name: 'Central Park Arena' }).waitFor();
  await shot(page, 'admin-venues');
  await page.goto('/admin/users?search=test%40evently.com');
  const row = page.locator(`tr[data-email="${BUYER.email}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: `Make ${BUYER.email} an admin` }).click();
  const dialog = page.getByRole('dialog', { name: 'Change role?' });
  await dialog.waitFor();
  await shot(page, 'admin-users');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await closePage(page);
}

export default [
  ['pages: keyboard skip link, client routes vs API 404, notifications, profile', buyerPages],
  ['pages: box office lists, edit page, confirmations before changes', boxOfficePages],
];
