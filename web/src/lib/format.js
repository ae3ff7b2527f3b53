// How money, instants and waits read on the page.

const moneyFormats = new Map();

export function money(amount, currency = 'USD') {
  if (!moneyFormats.has(currency)) {
    moneyFormats.set(currency, new Intl.NumberFormat('en-US', { style: 'currency', currency }));
  }
  return moneyFormats.get(currency).format(amount);
}

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

export const when = (iso) => (iso ? dateTime.format(new Date(iso)) : '');
export const day = (iso) => (iso ? dateOnly.format(new Date(iso)) : '');

// "4:05" or "1:02:03" for a number of seconds.
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

// "about 3 minutes" for a number of seconds.
export function wait(seconds) {
  if (seconds === null || seconds === undefined) return 'unknown';
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `about ${Math.round(minutes / 60)} hours`;
}

export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

// YYYY-MM-DD of a Date in UTC (the API's days are UTC days).
export const isoDay = (date) => date.toISOString().slice(0, 10);

// A datetime-local input's value (local time) as RFC 3339 UTC, or the text as typed when it is
// not a date (the API then says what is wrong with it).
export function localToIso(value) {
  if (!value) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace('.000Z', 'Z');
}

export function isoToLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const seatLabel = (s) => `${s.section} ${s.row}-${s.seat_number}`;
