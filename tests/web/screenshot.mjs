// The README's screenshot (docs/web-seat-map.png): the demo festival's seat map in headless
// Chromium, with some seats sold and held by others and two picked. `node tests/web/screenshot.mjs`
// (EVENTLY_BIN picks the binary, as for the tests).
import { join } from 'node:path';
import { Api, FESTIVAL, ROOT, Server, assertCanvasDrawn, launchBrowser, openPage, pickWithKeyboard } from './harness.mjs';

const server = await new Server('screenshot').start();
const browser = await launchBrowser();
try {
  const admin = new Api(server.base);
  const others = await admin.register('others');
  const vip = await others.api.seats(FESTIVAL, 'price_tier=VIP');
  const premium = await others.api.seats(FESTIVAL, 'price_tier=Premium');
  for (const pick of [[2, 3, 4, 5], [30, 31], [52, 53, 54]]) {
    await others.api.pay((await others.api.hold(FESTIVAL, pick.map((k) => vip[k].id))).booking.id);
  }
  await others.api.hold(FESTIVAL, [8, 9, 60, 61].map((k) => vip[k].id));
  await others.api.hold(FESTIVAL, [0, 1, 2, 51, 52].map((k) => premium[k].id));
  const buyer = await admin.register('buyer');
  const page = await openPage(browser, server, { tokens: buyer.tokens, viewport: { width: 1280, height: 860 } });
  await page.goto(`/events/${FESTIVAL}`);
  await assertCanvasDrawn(page);
  await pickWithKeyboard(page); // A-1, the first seat on sale
  await pickWithKeyboard(page, ['ArrowRight']);
  await page.locator('canvas.seatmap-canvas').blur();
  await page.evaluate(() => scrollTo(0, 0));
  const file = join(ROOT, 'docs', 'web-seat-map.png');
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
  await page.context().close();
} finally {
  await browser.close();
  await server.stop();
}
