// The browser tests (issue 19): `node tests/web/run.mjs [name filter]`, from scripts/test.sh.
// Starts its own servers, runs each scenario in headless Chromium, prints one line per
// scenario, and exits non-zero when one failed. EVENTLY_BIN picks the binary (default: the
// ASan build).
import { rmSync } from 'node:fs';
import { Api, BIN, SHOTS, Server, launchBrowser } from './harness.mjs';
import { scenarios } from './scenarios.mjs';

const filter = process.argv[2] || '';
rmSync(SHOTS, { recursive: true, force: true }); // this run's pages only
const started = Date.now();
const server = await new Server('main').start();
const browser = await launchBrowser();
const admin = await new Api(server.base).login({ email: 'admin@evently.com', password: 'AdminPass123!' });
const ctx = { server, browser, admin };
let failed = 0;
let ran = 0;
console.log(`web: ${BIN} at ${server.base}; screenshots in ${SHOTS}`);
try {
  for (const [name, run] of scenarios) {
    if (!name.includes(filter)) continue;
    const t0 = Date.now();
    let timer;
    try {
      await Promise.race([run(ctx), new Promise((_, fail) => (timer = setTimeout(() => fail(new Error('timed out after 90 s')), 90_000)))]);
      console.log(`  ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      ran++;
    } catch (e) {
      if (e?.name === 'Skip') {
        console.log(`  skip  ${name}: ${e.message}`);
      } else {
        failed++;
        console.log(`  FAIL  ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${e?.stack || e}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
} finally {
  await browser.close();
  const code = await server.stop();
  if (code !== 0) {
    console.log(`  FAIL  the server exited with ${code}`);
    failed++;
  }
}
console.log(`web: ${ran} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
