// Test 2: two browsers on one event. One holds a seat; the other shows it taken within a second,
// without a reload. The hold expires (a server with a 4-second hold time) and both show the seat
// available again.
import { Api, FESTIVAL, Server, assert, assertCanvasDrawn, closePage, focusedSeatPixel, openPage, waitForFocusedSeat, pickWithKeyboard, shot } from './harness.mjs';

const HOLD_SECONDS = 4;

async function twoBrowsers({ browser }) {
  const server = await new Server('live', { EVENTLY_HOLD_SECONDS: String(HOLD_SECONDS) }).start();
  try {
    const buyer = await new Api(server.base).register('live');
    const holder = await openPage(browser, server, { tokens: buyer.tokens });
    const watcher = await openPage(browser, server);
    for (const page of [holder, watcher]) {
      await page.goto(`/events/${FESTIVAL}`);
      await assertCanvasDrawn(page);
      await page.getByText('Live ·').waitFor();
    }
    // The watcher rests on the first available seat: the one the holder is about to take.
    await watcher.locator('canvas.seatmap-canvas').focus();
    const announcer = watcher.getByTestId('seat-announcer');
    await watcher.waitForFunction(() => /: available$/.test(document.querySelector('[data-testid="seat-announcer"]').textContent));
    const seatName = (await announcer.textContent()).split(':')[0];
    const freeColour = await focusedSeatPixel(watcher);
    const vipLeft = Number(await watcher.getByTestId('left-VIP').textContent());

    await pickWithKeyboard(holder);
    const answer = holder.waitForResponse((r) => r.url().endsWith('/api/v1/bookings') && r.request().method() === 'POST');
    await holder.getByRole('button', { name: 'Hold 1 seat' }).click();
    assert.equal((await answer).status(), 201);
    const heldAt = Date.now();
    await watcher.waitForFunction((name) => document.querySelector('[data-testid="seat-announcer"]').textContent === `${name}: held by someone else`, seatName, { timeout: 1000 });
    const seenAfter = Date.now() - heldAt;
    assert.ok(seenAfter <= 1000, `the other browser showed the hold after ${seenAfter} ms`);
    assert.equal(Number(await watcher.getByTestId('left-VIP').textContent()), vipLeft - 1);
    await waitForFocusedSeat(watcher, freeColour, { not: true }); // the held seat is drawn differently
    await shot(watcher, 'seat-map-live-held');

    // The holder goes back to the map: the seat is drawn as theirs. Then the hold lapses.
    await holder.waitForURL(/\/bookings\//);
    await holder.getByTestId('hold-countdown').waitFor();
    await holder.goBack();
    await holder.getByText('You have seats on hold for this event').waitFor();
    await watcher.waitForFunction((name) => document.querySelector('[data-testid="seat-announcer"]').textContent === `${name}: available`, seatName, { timeout: HOLD_SECONDS * 1000 + 4000 });
    await waitForFocusedSeat(watcher, freeColour);
    for (const page of [holder, watcher]) {
      await page.waitForFunction((n) => document.querySelector('[data-testid="left-VIP"]').textContent === String(n), vipLeft, { timeout: 3000 });
    }
    await holder.getByText('You have seats on hold for this event').waitFor({ state: 'detached', timeout: 3000 });
    // Not one reload on either page: the same documents throughout.
    for (const page of [holder, watcher]) assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1);
    await closePage(holder);
    await closePage(watcher);
  } finally {
    await server.stop();
  }
}

export default [['live: two browsers, a hold shows within a second, its expiry frees the seat on both', twoBrowsers]];
