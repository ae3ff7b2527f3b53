// The event's live feed (/ws/events/{id}): a snapshot on every (re)connect, then seat changes
// (one `seat_update` or a batch of `seat_updates`) in commit order, and waiting-room updates for
// a watched ticket. Reconnects by itself with a growing pause.

export function openLive(eventId, handlers) {
  let socket = null;
  let closed = false;
  let attempt = 0;
  let timer = 0;
  let watched = null;

  const status = (s) => handlers.onStatus?.(s);

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${location.host}/ws/events/${encodeURIComponent(eventId)}`);
    status('connecting');
    socket.onopen = () => {
      attempt = 0;
      status('live');
      if (watched) socket.send(JSON.stringify({ action: 'watch_queue', ticket_id: watched }));
    };
    socket.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.type === 'snapshot') handlers.onSnapshot?.(frame.data);
      else if (frame.type === 'seat_update') handlers.onUpdates?.([frame.data]);
      else if (frame.type === 'seat_updates') handlers.onUpdates?.(frame.data);
      else if (frame.type === 'queue_update') handlers.onQueue?.(frame.data);
      else if (frame.type === 'error') handlers.onError?.(frame.error);
    };
    socket.onclose = () => {
      socket = null;
      if (closed) return;
      status('reconnecting');
      const pause = Math.min(5000, 250 * 2 ** attempt++);
      timer = setTimeout(connect, pause);
    };
  }

  connect();
  return {
    // Waiting-room updates for this ticket, now and after every reconnect.
    watchQueue(ticketId) {
      watched = ticketId;
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'watch_queue', ticket_id: ticketId }));
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
