// Waiting-room admissions (CONTRACT.md, On-sale): the admission token of each event, kept for
// this tab until it lapses, and sent as X-Queue-Token with a hold.
const key = (eventId) => `evently.queue.${eventId}`;

export function saveQueueToken(eventId, token, expiresAt) {
  sessionStorage.setItem(key(eventId), JSON.stringify({ token, expiresAt }));
}

export function queueToken(eventId) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key(eventId)));
    if (saved && (!saved.expiresAt || Date.parse(saved.expiresAt) > Date.now())) return saved.token;
  } catch {
    // nothing saved
  }
  return null;
}
