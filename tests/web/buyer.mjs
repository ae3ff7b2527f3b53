// Test 1: a buyer finds the demo festival, picks two seats with the keyboard, holds, pays with the
// test card, sees the booking code and finds it under My bookings; cancels it and sees the refund.
import { BUYER, FESTIVAL, assert, assertCanvasDrawn, assertFitsWidth, closePage, login, openPage, pickWithKeyboard, shot } from './harness.mjs';

async function buyerFlow({ browser, server }) {
  const page = await openPage(browser, server);
  await login(page, BUYER);
  await page.goto('/');
  await shot(page, 'events');
  await page.getByLabel('Search').fill('summer');
  await page.getByRole('button', { name: 'Find events' }).click();
  await page.waitForURL(/search=summer/);
  const card = page.locator('.event-card', { hasText: 'Summer Music Festival' });
  await assert.doesNotReject(card.waitFor());
  assert.equal(await page.locator('.event-card').count(), 1, 'the search finds the festival alone');
  await card.getByRole('link', { name: 'Summer Music Festival' }).click();
  await page.waitForURL(`**/events/${FESTIVAL}`);

  // The tiers and prices, then the map: 50,000 seats drawn.
  const vip = page.locator('tr[data-tier="VIP"]');
  await assert.doesNotReject(vip.waitFor());
  assert.match(await vip.textContent(), /\$500\.00/);
  await assertCanvasDrawn(page);
  await shot(page, 'seat-map');

  // Two seats side by side, with the keyboard alone; the announcer says what is focused.
  await pickWithKeyboard(page);
  await pickWithKeyboard(page, ['ArrowRight']);
  const picked = page.getByRole('list', { name: 'Picked seats' }).getByRole('listitem');
  assert.equal(await picked.count(), 2);
  assert.match(await page.getByTestId('seat-announcer').textContent(), /^VIP, row A, seat \d+, \$500\.00: picked by you/);
  const holdButton = page.getByRole('button', { name: 'Hold 2 seats' });
  const [holdAnswer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/bookings') && r.request().method() === 'POST'), holdButton.click()]);
  assert.equal(holdAnswer.status(), 201);
  assert.match(holdAnswer.request().headers()['idempotency-key'], /^web-hold-[0-9a-f]{32}$/);

  // Checkout: the countdown, the test card hint, and the booking code once paid.
  await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
  assert.match(await page.getByTestId('hold-countdown').textContent(), /^[0-4]:\d\d$/);
  await shot(page, 'checkout');
  await page.getByRole('button', { name: 'Use the test card' }).click();
  assert.equal(await page.getByLabel('Card number').inputValue(), '4242424242424242');
  await page.getByRole('button', { name: /^Pay \$1,000\.00$/ }).click();
  const code = (await page.getByTestId('booking-code').textContent()).trim();
  assert.match(code, /^EVT\d{8}\d{5,}$/);
  await shot(page, 'confirmed');

  // My bookings: the code is there; cancel it and see the refund.
  await page.getByRole('link', { name: 'My bookings' }).first().click();
  const row = page.locator(`li.booking-row[data-code="${code}"]`);
  await assert.doesNotReject(row.waitFor());
  assert.match(await row.textContent(), /confirmed/i);
  await shot(page, 'my-bookings');
  await row.getByRole('button', { name: 'Cancel booking' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await assert.doesNotReject(page.locator(`li.booking-row[data-code="${code}"] [data-testid="refund-status"]`).waitFor());
  assert.match(await row.getByTestId('refund-status').textContent(), /^(Refund processing|Refunded): \$1,000\.00$/);
  await shot(page, 'cancelled');
  await closePage(page);
}

// The same pages at 375 px: nothing scrolls sideways, the map still draws.
async function phoneWidth({ browser, server }) {
  const page = await openPage(browser, server, { viewport: { width: 375, height: 740 } });
  await page.goto('/');
  await page.locator('.event-card').first().waitFor();
  await assertFitsWidth(page);
  await page.goto(`/events/${FESTIVAL}`);
  await assertCanvasDrawn(page);
  await assertFitsWidth(page);
  await shot(page, 'seat-map-375px');
  await page.goto('/login');
  await assertFitsWidth(page);
  await closePage(page);
}

export default [
  ['buyer: find, pick two seats by keyboard, hold, pay, booking code, cancel with refund', buyerFlow],
  ['buyer: usable at 375 px', phoneWidth],
];
