// Test 3: an admin creates a venue and a three-section event in the editor (its preview follows
// the typing); buyers see it with the right seat count and prices. The dashboard draws its charts
// from real bookings.
import { ADMIN, Api, assert, assertCanvasDrawn, closePage, login, openPage, shot } from './harness.mjs';

const SECTIONS = [
  ['Front', 'A-B', '10', '150.00'],
  ['Middle', 'C-F', '12', '60.50'],
  ['Back', 'R1-R2', '8', '35'],
];
const SEATS = 2 * 10 + 4 * 12 + 2 * 8;

const localInput = (date) => {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

async function createVenueAndEvent({ browser, server }) {
  const tag = Date.now().toString(36);
  const page = await openPage(browser, server);
  await login(page, ADMIN);
  await page.getByRole('link', { name: 'Box office' }).click();
  await page.getByRole('link', { name: 'Venues' }).click();
  await page.getByRole('link', { name: 'New venue' }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Web Hall ${tag}`);
  await page.getByLabel('City', { exact: true }).fill('Lisbon');
  await page.getByLabel('Country', { exact: true }).fill('Portugal');
  await page.getByLabel('Capacity (people)').fill('500');
  await shot(page, 'admin-venue-new');
  await page.getByRole('button', { name: 'Create venue' }).click();
  await page.getByText('Venue created.').waitFor();

  await page.getByRole('link', { name: 'Create an event here' }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Web Gala ${tag}`);
  const start = new Date(Date.now() + 10 * 86400_000);
  start.setHours(20, 0, 0, 0);
  await page.getByLabel('Starts', { exact: true }).fill(localInput(start));
  await page.getByLabel('Ends', { exact: true }).fill(localInput(new Date(start.getTime() + 3 * 3600_000)));
  // The editor starts with three sections; type ours over them, watching the preview follow.
  for (let i = 0; i < SECTIONS.length; i++) {
    const group = page.getByRole('group', { name: `Section ${i + 1}` });
    const [name, rows, perRow, price] = SECTIONS[i];
    await group.getByLabel('Name (tier)').fill(name);
    await group.getByLabel('Rows').fill(rows);
    await group.getByLabel('Seats per row').fill(perRow);
    await group.getByLabel(/^Price/).fill(price);
  }
  await page.getByTestId('preview-count').filter({ hasText: `${SEATS} seats in 3 sections` }).waitFor();
  assert.match(await page.getByTestId('preview-count').textContent(), /Middle 48 at \$60\.50/);
  await assertCanvasDrawn(page, '.preview canvas');
  await shot(page, 'admin-event-editor');
  await page.getByRole('button', { name: 'Create event' }).click();
  await page.getByText('Event created').waitFor();
  const eventId = new URL(page.url()).pathname.split('/').pop();
  await closePage(page);

  // A buyer (not signed in) finds it with its seats and prices.
  const buyer = await openPage(browser, server);
  await buyer.goto(`/?search=${encodeURIComponent(`Web Gala ${tag}`)}`);
  const card = buyer.locator('.event-card', { hasText: `Web Gala ${tag}` });
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(`\\$35\\.00 – \\$150\\.00.*${SEATS} seats left`));
  await card.getByRole('link').click();
  await assertCanvasDrawn(buyer);
  for (const [name, , , price] of SECTIONS) {
    assert.match(await buyer.locator(`tr[data-tier="${name}"]`).textContent(), new RegExp(`\\$${Number(price).toFixed(2).replace('.', '\\.')}`));
  }
  assert.equal(await buyer.getByTestId('available-count').textContent(), String(SEATS));
  await closePage(buyer);
  return eventId;
}

async function dashboard({ browser, server, admin }, eventId) {
  // Real bookings: a buyer pays for two Front seats of the new event.
  const { api } = await admin.register('dash');
  const seats = await api.seats(eventId, 'price_tier=Front');
  const held = await api.hold(eventId, seats.slice(0, 2).map((s) => s.id));
  await api.pay(held.booking.id);
  const today = new Date().toISOString().slice(0, 10);
  const expected = await admin.ok('GET', '/admin/analytics/dashboard');

  const page = await openPage(browser, server);
  await login(page, ADMIN);
  await page.goto('/admin');
  await page.getByTestId('total-bookings').waitFor();
  assert.equal(await page.getByTestId('total-bookings').textContent(), expected.summary.total_bookings.toLocaleString('en-US'));
  assert.ok(expected.summary.total_bookings >= 1);
  // Each chart is a drawn uPlot canvas, and its table holds today's bookings and Front's revenue.
  const canvases = page.locator('.chart canvas');
  assert.equal(await canvases.count(), 2);
  for (let i = 0; i < 2; i++) await assertCanvasDrawn(page, `.chart:nth-of-type(${i + 1}) canvas`, 0.005);
  const todayRow = page.locator(`tr[data-day="${today}"]`);
  const todayExpected = expected.booking_trends.find((d) => d.date === today);
  assert.equal(Number((await todayRow.locator('td').nth(1).textContent()).trim()), todayExpected.bookings);
  assert.match(await page.locator('tr[data-category="Front"]').textContent(), /\$300\.00/);
  await shot(page, 'admin-dashboard');
  // One event's figures, from the top events.
  await page.getByRole('link', { name: /^Web Gala/ }).first().click();
  await page.getByTestId('seats-sold').waitFor();
  assert.match(await page.getByTestId('seats-sold').textContent(), new RegExp(`^2 of ${SEATS}$`));
  await shot(page, 'admin-event-figures');
  await closePage(page);
}

export default [
  [
    'admin: creates a venue and a three-section event; buyers see its seats and prices; the dashboard charts real bookings',
    async (ctx) => dashboard(ctx, await createVenueAndEvent(ctx)),
  ],
];
