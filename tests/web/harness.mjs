// The browser tests' harness: a real `evently serve` on SQLite with the demo data (stopped by its
// PID whatever happens), Debian's Chromium driven by playwright-core, an API client for set-up,
// screenshots into the build folder, and the checks every page gets (no script error, no
// Content-Security-Policy violation, every control labelled).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = resolve(ROOT, process.env.EVENTLY_BIN || 'build/asan/src/evently');
export const SHOTS = resolve(ROOT, process.env.EVENTLY_WEB_SHOTS || join(BIN, '../../web-screenshots'));
export const FESTIVAL = '550e8400-e29b-41d4-a716-446655440001';
export const BUYER = { email: 'test@evently.com', password: 'TestPass123!' };
export const ADMIN = { email: 'admin@evently.com', password: 'AdminPass123!' };
export const TEST_CARD = { number: '4242424242424242', exp_month: 12, exp_year: 2025, cvc: '123' };
export const DECLINED_CARD = { ...TEST_CARD, number: '4000000000000002' };

const servers = new Set();

export class Server {
  constructor(name, env = {}) {
    this.name = name;
    this.dir = mkdtempSync(join(tmpdir(), `evently-web-${name}-`));
    this.env = {
      ...process.env,
      EVENTLY_DATABASE_URL: `sqlite:${join(this.dir, 'evently.db')}`,
      EVENTLY_HOST: '127.0.0.1',
      EVENTLY_PORT: '0',
      EVENTLY_ACCESS_LOG: 'false',
      EVENTLY_PASSWORD_HASH: 'fast',
      EVENTLY_RATE_LIMITS: 'off',
      EVENTLY_LOG_LEVEL: 'warn',
      ...env,
    };
    this.log = join(this.dir, 'server.log');
  }

  async start() {
    const seed = spawnSync(BIN, ['seed-demo'], { env: this.env, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`seed-demo failed:\n${seed.stderr}`);
    writeFileSync(this.log, '');
    const err = openSync(this.log, 'a');
    this.proc = spawn(BIN, ['serve'], { env: { ...this.env, EVENTLY_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', err] });
    servers.add(this);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(readFileSync(this.log, 'utf8'));
      if (m) {
        this.base = `http://127.0.0.1:${m[1]}`;
        return this;
      }
      if (this.proc.exitCode !== null) throw new Error(`evently exited early:\n${readFileSync(this.log, 'utf8')}`);
      await sleep(20);
    }
    throw new Error(`evently did not start:\n${readFileSync(this.log, 'utf8')}`);
  }

  // SIGTERM by PID, then SIGKILL after 20 s; the store's folder goes with it.
  async stop() {
    servers.delete(this);
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((done) => this.proc.once('exit', done));
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    const code = this.proc?.exitCode;
    if (code !== 0 && code !== null && !process.env.EVENTLY_WEB_KEEP) console.error(readFileSync(this.log, 'utf8').slice(-4000));
    if (!process.env.EVENTLY_WEB_KEEP) rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

// Whatever ends the run, no server outlives it.
function killAll() {
  for (const s of servers) if (s.proc && s.proc.exitCode === null) s.proc.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// The API, for setting the stage (users, events, bookings) and for checking what the pages did.
export class Api {
  constructor(base, token = null) {
    this.base = base;
    this.token = token;
  }

  async call(method, path, body, headers = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + '/api/v1' + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    return { status: res.status, ...json };
  }

  async ok(method, path, body, headers) {
    const r = await this.call(method, path, body, headers);
    assert.ok(r.success, `${method} ${path}: ${r.status} ${JSON.stringify(r.error)}`);
    return r.data;
  }

  async login(who) {
    const data = await this.ok('POST', '/auth/login', who);
    this.token = data.access_token;
    this.tokens = data;
    return this;
  }

  // A fresh buyer: {api, tokens, email, password}.
  async register(prefix) {
    const email = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const password = 'WebTest1234';
    const data = await this.ok('POST', '/auth/register', { email, password, full_name: `Web ${prefix}` });
    const api = new Api(this.base, data.access_token);
    api.tokens = data;
    return { api, email, password, tokens: data };
  }

  async hold(eventId, seatIds) {
    return this.ok('POST', '/bookings', { event_id: eventId, seat_ids: seatIds }, { 'Idempotency-Key': `web-test-${Math.random().toString(36).slice(2)}` });
  }

  async pay(bookingId, card = TEST_CARD) {
    return this.ok('POST', `/bookings/${bookingId}/confirm`, { payment_method: 'credit_card', payment_details: card }, { 'Idempotency-Key': `web-test-${Math.random().toString(36).slice(2)}` });
  }

  async seats(eventId, query = 'status=available') {
    const map = await this.ok('GET', `/events/${eventId}/seats?${query}`);
    return map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((seat) => ({ ...seat, section: s.name, row: r.row }))));
  }

  // An event in `days` days at the first demo venue: sections as [name, rows, seats per row, price].
  async createEvent(name, sections, extra = {}, days = 20) {
    const venues = await this.ok('GET', '/venues?per_page=100');
    const start = new Date(Date.now() + days * 86400_000);
    start.setUTCMinutes(0, 0, 0);
    const end = new Date(start.getTime() + 3 * 3600_000);
    return this.ok('POST', '/admin/events', {
      name,
      venue_id: venues[0].id,
      start_time: start.toISOString().replace('.000Z', 'Z'),
      end_time: end.toISOString().replace('.000Z', 'Z'),
      seat_configuration: { sections: sections.map(([n, rows, perRow, price]) => ({ name: n, rows, seats_per_row: perRow, price })) },
      ...extra,
    });
  }
}

export async function launchBrowser() {
  const executablePath = process.env.EVENTLY_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing (scripts/deps.sh --test installs chromium)`);
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

// A page of its own (cookies and storage apart), watched for script errors and CSP violations;
// `tokens` signs it in as that user without going through the login form.
export async function openPage(browser, server, { tokens, viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, baseURL: server.base, reducedMotion: 'reduce' });
  if (tokens) {
    const session = JSON.stringify({ access: tokens.access_token, refresh: tokens.refresh_token, expiresAt: Date.now() + tokens.expires_in * 1000 });
    await context.addInitScript((s) => {
      if (!sessionStorage.getItem('evently.test.signed')) {
        localStorage.setItem('evently.session', s);
        sessionStorage.setItem('evently.test.signed', '1');
      }
    }, session);
  }
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  page.setDefaultTimeout(10_000);
  return page;
}

export async function closePage(page) {
  const problems = page.problems;
  await page.context().close();
  assert.deepEqual(problems, [], 'the page reported problems');
}

let shotCount = 0;
// The page into the build folder (test 6), after the page-wide checks.
export async function shot(page, name) {
  await checkLabels(page);
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${String(++shotCount).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Every form control has an accessible name; every button says what it does.
export async function checkLabels(page) {
  const unlabelled = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, canvas[tabindex]')) {
      if (el.type === 'hidden' || el.closest('[hidden], dialog:not([open])')) continue;
      const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim());
      if (!labelled) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unlabelled, [], `controls without a label on ${page.url()}`);
}

// The seat map canvas has drawn seats: many pixels that are not its background.
export async function assertCanvasDrawn(page, selector = 'canvas.seatmap-canvas', minShare = 0.02) {
  await page.waitForSelector(selector);
  await page.waitForFunction((sel) => document.querySelector(sel).width > 0, selector);
  await sleep(100); // the next animation frame
  const drawn = await page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const [r0, g0, b0] = [data[0], data[1], data[2]];
    let other = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 16) {
      if (data[i] !== r0 || data[i + 1] !== g0 || data[i + 2] !== b0) {
        other++;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
    }
    return { share: other / (data.length / 16), colours: colours.size };
  }, selector);
  assert.ok(drawn.share > minShare && drawn.colours >= 3, `the seat map canvas looks blank: ${JSON.stringify(drawn)}`);
  return drawn;
}

// The colour under the centre of the focused seat (canvas pixels), for "is it drawn taken".
function centreOfFocus() {
  const canvas = document.querySelector('canvas.seatmap-canvas');
  const [x, y, w, h] = canvas.dataset.focusRect.split(',').map(Number);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const px = canvas.getContext('2d').getImageData(Math.round((x + w / 2) * scale), Math.round((y + h / 2) * scale), 1, 1).data;
  return `${px[0]},${px[1]},${px[2]}`;
}

export const focusedSeatPixel = (page) => page.evaluate(centreOfFocus);

// Waits until the focused seat is drawn in `colour` (or, with `not`, in anything else): the
// repaint comes on an animation frame after the change.
export async function waitForFocusedSeat(page, colour, { not = false, timeout = 3000 } = {}) {
  const deadline = Date.now() + timeout;
  let seen;
  while (Date.now() < deadline) {
    seen = await focusedSeatPixel(page);
    if ((seen === colour) !== not) return;
    await sleep(50);
  }
  assert.fail(`the focused seat is drawn ${seen}, ${not ? 'still' : 'not'} ${colour}`);
}

// No horizontal scrolling at this width (375 px phones).
export async function assertFitsWidth(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(scroll <= width, `${page.url()} scrolls sideways at ${width} px (${scroll} px wide)`);
}

export async function login(page, who) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

// Focus the seat map and pick the focused seat with the keyboard; `moves` are keys pressed first.
export async function pickWithKeyboard(page, moves = []) {
  const canvas = page.locator('canvas.seatmap-canvas');
  await canvas.focus();
  for (const key of moves) await page.keyboard.press(key);
  await page.keyboard.press('Enter');
}

// Thrown by a scenario that cannot run here; the runner reports the reason and goes on.
export class Skip extends Error {
  name = 'Skip';
}

export { assert };
