// A seat map as flat arrays for drawing 50,000 seats: sections stacked under the stage in layout
// order, each centred, its rows in configured order and its seats by number. One unit is one
// seat's pitch. Built from the API's seat map or, in the event editor, from a seat configuration.

export const AVAILABLE = 0;
export const HELD = 1;
export const BOOKED = 2;
export const STATUS_CODES = { available: AVAILABLE, held: HELD, booked: BOOKED };

// Gaps grow with the map, so that section names stay readable when the whole map is in view.
const roomFor = (rows) => Math.min(8, Math.max(1.5, rows * 0.025));

// `sections`: [{name, price, rows: [{label, numbers: [seat numbers], ids?, statuses?}]}]
function build(sections) {
  let total = 0;
  for (const s of sections) for (const r of s.rows) total += r.numbers.length;
  const model = {
    count: total,
    x: new Float32Array(total),
    y: new Float32Array(total),
    status: new Uint8Array(total),
    section: new Uint16Array(total),
    row: new Uint32Array(total),
    number: new Uint32Array(total),
    ids: new Array(total),
    index: new Map(),
    sections: [],
    rows: [],
    width: 0,
    height: 0,
    stage: null,
  };
  const widest = Math.max(1, ...sections.map((s) => Math.max(0, ...s.rows.map((r) => Math.max(0, ...r.numbers)))));
  const room = roomFor(sections.reduce((n, s) => n + s.rows.length, 0));
  const gap = room * 0.4; // between one section's last row and the next one's name
  const stageHeight = Math.max(2, room * 1.2);
  let y = stageHeight + gap;
  let i = 0;
  sections.forEach((s, si) => {
    const width = Math.max(1, ...s.rows.map((r) => Math.max(0, ...r.numbers)));
    const left = (widest - width) / 2;
    const section = { name: s.name, price: s.price, x: left, y: y + room, width, height: s.rows.length, firstRow: model.rows.length, seats: 0 };
    s.rows.forEach((r, ri) => {
      const rowIndex = model.rows.length;
      // lookup[number - 1] is the seat's index, -1 where the row has no such seat
      const lookup = new Int32Array(width).fill(-1);
      const row = { label: r.label, section: si, y: section.y + ri, first: i, count: r.numbers.length, lookup };
      r.numbers.forEach((n, k) => {
        model.x[i] = left + n - 1;
        model.y[i] = row.y;
        model.section[i] = si;
        model.row[i] = rowIndex;
        model.number[i] = n;
        model.status[i] = r.statuses ? r.statuses[k] : AVAILABLE;
        const id = r.ids ? r.ids[k] : `${si}:${ri}:${n}`;
        model.ids[i] = id;
        model.index.set(id, i);
        lookup[n - 1] = i;
        i++;
      });
      model.rows.push(row);
      section.seats += r.numbers.length;
    });
    model.sections.push(section);
    y = section.y + section.height + gap;
  });
  model.width = widest;
  model.height = y - gap;
  model.labelRoom = room;
  model.stage = { x: widest * 0.2, y: 0, width: widest * 0.6, height: stageHeight };
  return model;
}

// From GET /events/{id}/seats?status=all.
export function fromSeatMap(map) {
  return build(
    map.sections.map((s) => ({
      name: s.name,
      price: s.rows[0]?.seats[0]?.price ?? 0,
      rows: s.rows.map((r) => ({
        label: r.row,
        numbers: r.seats.map((seat) => Number(seat.seat_number)),
        ids: r.seats.map((seat) => seat.id),
        statuses: r.seats.map((seat) => STATUS_CODES[seat.status] ?? BOOKED),
      })),
    })),
  );
}

// From a seat configuration as typed in the editor ({name, rows: [labels], seats_per_row, price});
// sections that do not make sense yet are drawn empty, and a preview stops at `limit` seats.
export function fromConfiguration(sections, limit = 200_000) {
  let budget = limit;
  return build(
    sections.map((s) => {
      const perRow = Number.isInteger(s.seats_per_row) && s.seats_per_row > 0 ? Math.min(s.seats_per_row, 1000) : 0;
      const rows = Array.isArray(s.rows) ? s.rows : [];
      const numbers = Array.from({ length: perRow }, (_, k) => k + 1);
      return {
        name: s.name || '(unnamed)',
        price: s.price,
        rows: rows.map((label) => {
          const take = Math.max(0, Math.min(perRow, budget));
          budget -= take;
          return { label, numbers: take === perRow ? numbers : numbers.slice(0, take) };
        }),
      };
    }),
  );
}

// The seat at world point (wx, wy), or -1.
export function seatAt(model, wx, wy) {
  for (const s of model.sections) {
    if (wy < s.y || wy >= s.y + s.height || wx < s.x || wx >= s.x + s.width) continue;
    const row = model.rows[s.firstRow + Math.floor(wy - s.y)];
    return row.lookup[Math.floor(wx - s.x)] ?? -1;
  }
  return -1;
}

// The seat a keyboard step from `i` lands on: dx along the row, dy across rows (the seat nearest
// in x on the next row that has one), dy of ±Infinity jumps a section.
export function step(model, i, dx, dy) {
  if (model.count === 0) return -1;
  if (i < 0) return 0;
  const rowIndex = model.row[i];
  const row = model.rows[rowIndex];
  if (dx !== 0) {
    const k = Math.min(row.count - 1, Math.max(0, i - row.first + dx));
    return row.first + k;
  }
  let target = rowIndex;
  if (Number.isFinite(dy)) {
    target = Math.min(model.rows.length - 1, Math.max(0, rowIndex + dy));
  } else {
    const next = row.section + Math.sign(dy);
    const section = model.sections[Math.min(model.sections.length - 1, Math.max(0, next))];
    target = section.firstRow;
  }
  const to = model.rows[target];
  if (!to || to.count === 0) return i;
  let best = to.first;
  for (let k = to.first; k < to.first + to.count; k++) {
    if (Math.abs(model.x[k] - model.x[i]) < Math.abs(model.x[best] - model.x[i])) best = k;
  }
  return best;
}

export function describeSeat(model, i) {
  const section = model.sections[model.section[i]];
  return { section: section.name, row: model.rows[model.row[i]].label, number: model.number[i], price: section.price };
}

// Seats per section that are available, by section name.
export function availableByTier(model) {
  const out = {};
  for (const s of model.sections) out[s.name] = 0;
  for (let i = 0; i < model.count; i++) if (model.status[i] === AVAILABLE) out[model.sections[model.section[i]].name]++;
  return out;
}
