// The web app's pure logic, without a browser: row labels as typed, and the seat model's layout,
// hit testing and keyboard steps.
import { assert } from './harness.mjs';
import { parseRows, rowsText } from '../../web/src/lib/rows.js';
import { AVAILABLE, BOOKED, availableByTier, fromConfiguration, fromSeatMap, seatAt, step } from '../../web/src/seatmap/model.js';

function rows() {
  assert.deepEqual(parseRows('A-D'), ['A', 'B', 'C', 'D']);
  assert.deepEqual(parseRows('R1-R3, X'), ['R1', 'R2', 'R3', 'X']);
  assert.deepEqual(parseRows(' 9-11 '), ['9', '10', '11']);
  assert.deepEqual(parseRows('D-A'), ['D-A'], 'a backwards range is sent as typed');
  assert.deepEqual(parseRows('A,,B'), ['A', 'B']);
  for (const labels of [['A', 'B', 'C'], ['G1', 'G2', 'G3', 'G4'], ['A', 'C', 'F'], ['Z']]) {
    assert.deepEqual(parseRows(rowsText(labels)), labels);
  }
}

function model() {
  const seat = (id, n, status = 'available') => ({ id, seat_number: String(n), price: 10, status });
  const m = fromSeatMap({
    sections: [
      { name: 'Front', rows: [{ row: 'A', seats: [seat('a1', 1), seat('a2', 2, 'booked')] }] },
      { name: 'Back', rows: [{ row: 'B', seats: [seat('b1', 1), seat('b2', 2), seat('b3', 3), seat('b4', 4)] }, { row: 'C', seats: [seat('c2', 2)] }] },
    ],
  });
  assert.equal(m.count, 7);
  assert.equal(m.status[m.index.get('a2')], BOOKED);
  assert.equal(m.status[m.index.get('b1')], AVAILABLE);
  assert.deepEqual(availableByTier(m), { Front: 1, Back: 5 });
  // Narrow sections are centred over the widest; a seat's cell is [x, x+1) × [y, y+1).
  const a1 = m.index.get('a1');
  assert.equal(m.x[a1], 1);
  assert.equal(seatAt(m, m.x[a1] + 0.5, m.y[a1] + 0.5), a1);
  assert.equal(seatAt(m, -5, -5), -1);
  const c2 = m.index.get('c2');
  assert.equal(seatAt(m, m.x[c2] - 0.5, m.y[c2] + 0.5), -1, 'row C has no seat 1');
  // Keyboard steps: along a row (stopping at its ends), to the nearest seat of the next row,
  // and from section to section.
  assert.equal(step(m, a1, 1, 0), m.index.get('a2'));
  assert.equal(step(m, m.index.get('a2'), 1, 0), m.index.get('a2'));
  assert.equal(step(m, m.index.get('a2'), 0, 1), m.index.get('b3'));
  assert.equal(step(m, m.index.get('b4'), 0, 1), c2);
  assert.equal(step(m, c2, 0, -Infinity), a1);
  assert.equal(step(m, -1, 1, 0), 0);
  // The editor's preview: a configuration as typed, odd entries drawn empty.
  const preview = fromConfiguration([{ name: 'V', rows: ['A', 'B'], seats_per_row: 3 }, { name: '', rows: 'x', seats_per_row: 'lots' }]);
  assert.equal(preview.count, 6);
  assert.equal(preview.sections[1].name, '(unnamed)');
  assert.equal(fromConfiguration([{ name: 'Big', rows: ['A', 'B'], seats_per_row: 1000 }], 1500).count, 1500);
}

export default [
  ['logic: row labels as typed', rows],
  ['logic: the seat model (layout, hit testing, keyboard steps)', model],
];
