// Test 4: a sold-out event offers its waitlist, and joining shows a position. A declined card
// shows the decline, and the seats stay held by that buyer.
import { DECLINED_CARD, assert, closePage, openPage, pickWithKeyboard, shot } from './harness.mjs';

async function soldOutWaitlist({ browser, server, admin }) {
  const event = await admin.createEvent(`Tiny Recital ${Date.now().toString(36)}`, [['Salon', ['A'], 2, 40]]);
  const first = await admin.register('sellout');
  const seats = await first.api.seats(event.id);
  await first.api.pay((await first.api.hold(event.id, seats.map((s) => s.id))).booking.id);

  const late = await admin.register('late');
  const page = await openPage(browser, server, { tokens: late.tokens });
  await page.goto(`/events/${event.id}`);
  await page.getByRole('heading', { name: 'Sold out' }).waitFor();
  assert.equal(await page.getByTestId('left-Salon').textContent(), 'Sold out');
  await page.getByLabel('Text message').check();
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await page.getByTestId('waitlist-position').waitFor();
  assert.match(await page.getByTestId('waitlist-position').textContent(), /You are number 1 on the waitlist\. Estimated wait: .+\./);
  await shot(page, 'waitlist-joined');
  await page.getByRole('link', { name: 'Waitlist' }).first().click();
  await page.locator('li.booking-row', { hasText: event.name }).getByText('Number 1 in line').waitFor();
  await shot(page, 'my-waitlist');
  await closePage(page);
}

async function declinedCard({ browser, server, admin }) {
  const event = await admin.createEvent(`Decline Night ${Date.now().toString(36)}`, [['Floor', ['A', 'B'], 5, 25]]);
  const buyer = await admin.register('decline');
  const page = await openPage(browser, server, { tokens: buyer.tokens });
  await page.goto(`/events/${event.id}`);
  await page.locator('canvas.seatmap-canvas').waitFor();
  await pickWithKeyboard(page);
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await page.waitForURL(/\/bookings\//);
  const bookingId = new URL(page.url()).pathname.split('/').pop();
  await page.getByLabel('Card number').fill(DECLINED_CARD.number);
  await page.getByLabel('Expiry month').fill('12');
  await page.getByLabel('Expiry year').fill('2025');
  await page.getByLabel('CVC').fill('123');
  const answer = page.waitForResponse((r) => r.url().endsWith('/confirm'));
  await page.getByRole('button', { name: /^Pay / }).click();
  assert.equal((await answer).status(), 402);
  const alert = page.getByRole('alert').filter({ hasText: 'declined' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Your card was declined.*Your seats stay held for you/);
  // Still held by this buyer: the countdown runs on, the booking is pending, the map says yours.
  await page.getByTestId('hold-countdown').waitFor();
  await shot(page, 'payment-declined');
  const booking = await buyer.api.ok('GET', `/bookings/${bookingId}`);
  assert.equal(booking.status, 'pending');
  const map = await buyer.api.ok('GET', `/events/${event.id}/seats?status=all`);
  assert.equal(map.sections[0].rows[0].seats[0].status, 'held');
  await page.getByRole('link', { name: event.name }).click();
  await page.getByText('You have seats on hold for this event').waitFor();
  await page.locator('canvas.seatmap-canvas').focus(); // on the first seat on sale, A-2
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('seat-announcer').filter({ hasText: /seat 1, .*: yours$/ }).waitFor();
  await closePage(page);
}

export default [
  ['waitlist: sold out, join, see the position', soldOutWaitlist],
  ['payment: a declined card is shown and the seats stay held', declinedCard],
];
