// What the seat shapes mean; the same shapes the canvas draws, so the key never relies on colour.
const SHAPES = [
  ['available', 'Available', <rect x="1.6" y="1.6" width="12.8" height="12.8" fill="#0072B2" />],
  ['picked', 'Picked by you', [<rect x="0.3" y="0.3" width="15.4" height="15.4" fill="#111827" />, <rect x="3.2" y="3.2" width="9.6" height="9.6" fill="#0072B2" />]],
  ['yours', 'Yours', [<rect x="1.3" y="1.3" width="13.4" height="13.4" fill="#111827" />, <rect x="5.8" y="5.8" width="4.4" height="4.4" fill="#fff" />]],
  ['held', 'Held by someone', <rect x="4" y="4" width="8" height="8" fill="none" stroke="#0072B2" stroke-width="2.2" />],
  ['booked', 'Sold', <rect x="5.1" y="5.1" width="5.8" height="5.8" fill="#a3a9b4" />],
];

export function Legend() {
  return (
    <ul class="legend" aria-label="Seat key">
      {SHAPES.map(([key, text, shape]) => (
        <li data-state={key}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            {shape}
          </svg>
          {text}
        </li>
      ))}
    </ul>
  );
}
