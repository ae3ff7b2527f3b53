// The seat map on a canvas: every seat drawn with its tier (colour) and its state (shape, so
// state is never colour alone), zoom (wheel, pinch, buttons, + and -) and pan (drag, or the
// keyboard moving from seat to seat). A live change repaints only the seats it touched, on the
// next animation frame.
import { useEffect, useRef, useState } from 'preact/hooks';
import { AVAILABLE, BOOKED, HELD, describeSeat, seatAt, step } from './model.js';
import { money } from '../lib/format.js';

// Okabe–Ito: tiers stay apart for every kind of colour vision.
export const TIER_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C7A00', '#666666'];
export const tierColour = (k) => TIER_COLOURS[k % TIER_COLOURS.length];
const BACKGROUND = '#f7f8fa';
const INK = '#111827';
const TAKEN = '#a3a9b4';
const MINE = 0;
const PICKED = 1;
const MAX_SCALE = 48; // px per seat

function seatState(props, i) {
  if (props.mine?.has(i)) return 'yours';
  if (props.selected?.has(i)) return 'picked';
  return ['available', 'held', 'booked'][props.model.status[i]];
}

export function seatSentence(props, i, currency) {
  const d = describeSeat(props.model, i);
  const state = {
    yours: 'yours',
    picked: 'picked by you, not held yet',
    available: 'available',
    held: 'held by someone else',
    booked: 'sold',
  }[seatState(props, i)];
  return `${d.section}, row ${d.row}, seat ${d.number}, ${money(d.price, currency)}: ${state}`;
}

function createRenderer(canvas, props) {
  const ctx = canvas.getContext('2d', { alpha: false });
  const view = { scale: 1, ox: 0, oy: 0, width: 0, height: 0, dpr: 1, fitted: false };
  const dirty = new Set();
  let full = true;
  let frame = 0;

  function fit() {
    const m = props.current.model;
    const pad = 16;
    const scale = Math.min((view.width - 2 * pad) / Math.max(1, m.width), (view.height - 2 * pad) / Math.max(1, m.height));
    view.scale = Math.max(0.05, scale);
    view.ox = (view.width - m.width * view.scale) / 2;
    view.oy = (view.height - m.height * view.scale) / 2;
    view.fitted = true;
    request(true);
  }

  // A new size keeps the buyer's zoom and the centre of what they looked at; an untouched view
  // is fitted again.
  function resize() {
    const rect = canvas.getBoundingClientRect();
    const before = { width: view.width, height: view.height };
    view.dpr = devicePixelRatio || 1;
    view.width = rect.width;
    view.height = rect.height;
    canvas.width = Math.round(rect.width * view.dpr);
    canvas.height = Math.round(rect.height * view.dpr);
    if (view.fitted || before.width === 0) return fit();
    view.ox += (view.width - before.width) / 2;
    view.oy += (view.height - before.height) / 2;
    return request(true);
  }

  function request(all, indices) {
    if (all) full = true;
    else if (indices) for (const i of indices) dirty.add(i);
    if (!frame) frame = requestAnimationFrame(paint);
  }

  function worldTransform() {
    const { dpr, scale, ox, oy } = view;
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * ox, dpr * oy);
  }

  // One seat inside its own cell [x, x+1) × [y, y+1), so repainting a cell never touches another.
  function drawSeat(i, p) {
    const m = p.model;
    const x = m.x[i];
    const y = m.y[i];
    const dim = p.tier >= 0 && m.section[i] !== p.tier;
    const colour = tierColour(m.section[i]);
    const fine = view.scale >= 6;
    ctx.globalAlpha = dim ? 0.18 : 1;
    const state = p.mine?.has(i) ? MINE : p.selected?.has(i) ? PICKED : -1;
    if (state === MINE) {
      ctx.fillStyle = INK;
      ctx.fillRect(x + 0.08, y + 0.08, 0.84, 0.84);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(x + 0.36, y + 0.36, 0.28, 0.28);
    } else if (state === PICKED) {
      ctx.fillStyle = INK;
      ctx.fillRect(x + 0.02, y + 0.02, 0.96, 0.96);
      ctx.fillStyle = colour;
      ctx.fillRect(x + 0.2, y + 0.2, 0.6, 0.6);
    } else if (m.status[i] === AVAILABLE) {
      ctx.fillStyle = colour;
      ctx.fillRect(x + 0.1, y + 0.1, 0.8, 0.8);
    } else if (m.status[i] === HELD) {
      // hollow: the seat is there but someone else has it for now
      ctx.strokeStyle = colour;
      ctx.lineWidth = fine ? 0.14 : 0.3;
      ctx.strokeRect(x + 0.22, y + 0.22, 0.56, 0.56);
    } else if (m.status[i] === BOOKED) {
      ctx.fillStyle = TAKEN;
      ctx.fillRect(x + 0.32, y + 0.32, 0.36, 0.36);
    }
    if (i === p.focus && p.focused) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = '#c1121f';
      ctx.lineWidth = Math.min(0.2, 3 / view.scale);
      ctx.strokeRect(x + 0.05, y + 0.05, 0.9, 0.9);
    }
    ctx.globalAlpha = 1;
  }

  function clearCell(i, p) {
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(p.model.x[i], p.model.y[i], 1, 1);
  }

  function drawLabels(p) {
    const m = p.model;
    const { dpr, scale, ox, oy } = view;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#d9dde4';
    const st = m.stage;
    ctx.fillRect(ox + st.x * scale, oy + st.y * scale, st.width * scale, st.height * scale);
    ctx.fillStyle = INK;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `600 ${Math.max(10, Math.min(16, st.height * scale * 0.5))}px system-ui, sans-serif`;
    ctx.fillText('STAGE', ox + (st.x + st.width / 2) * scale, oy + (st.y + st.height / 2) * scale);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.font = `600 ${Math.max(9, Math.min(15, m.labelRoom * scale * 0.8))}px system-ui, sans-serif`;
    m.sections.forEach((s, k) => {
      ctx.globalAlpha = p.tier >= 0 && p.tier !== k ? 0.35 : 1;
      ctx.fillStyle = tierColour(k);
      ctx.fillText(s.name, Math.max(4, ox + s.x * scale), oy + s.y * scale - Math.min(3, m.labelRoom * scale * 0.15));
    });
    ctx.globalAlpha = 1;
    if (scale >= 9) {
      ctx.fillStyle = '#4b5563';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.font = `${Math.min(12, scale * 0.7)}px system-ui, sans-serif`;
      for (const row of m.rows) {
        const sy = oy + (row.y + 0.5) * scale;
        if (sy < 0 || sy > view.height) continue;
        ctx.fillText(row.label, ox + m.sections[row.section].x * scale - 4, sy);
      }
    }
  }

  function paintAll(p) {
    const m = p.model;
    ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, view.width, view.height);
    drawLabels(p);
    worldTransform();
    // Visible rows only; the common case (available seats of one tier) goes in one path per tier.
    const top = -view.oy / view.scale - 1;
    const bottom = (view.height - view.oy) / view.scale;
    const left = -view.ox / view.scale - 1;
    const right = (view.width - view.ox) / view.scale;
    const plain = m.sections.map(() => new Path2D());
    const others = [];
    for (const row of m.rows) {
      if (row.y < top || row.y > bottom) continue;
      for (let i = row.first; i < row.first + row.count; i++) {
        const x = m.x[i];
        if (x < left || x > right) continue;
        const special = p.mine?.has(i) || p.selected?.has(i) || i === p.focus || m.status[i] !== AVAILABLE;
        if (special || (p.tier >= 0 && m.section[i] !== p.tier)) others.push(i);
        else plain[m.section[i]].rect(x + 0.1, m.y[i] + 0.1, 0.8, 0.8);
      }
    }
    plain.forEach((path, k) => {
      ctx.fillStyle = tierColour(k);
      ctx.fill(path);
    });
    for (const i of others) drawSeat(i, p);
  }

  function paint() {
    frame = 0;
    const p = props.current;
    if (!p.model || view.width === 0) return;
    let painted;
    if (full) {
      paintAll(p);
      painted = null;
    } else {
      worldTransform();
      for (const i of dirty) {
        clearCell(i, p);
        drawSeat(i, p);
      }
      painted = [...dirty];
    }
    full = false;
    dirty.clear();
    publishFocus(p);
    // For bench/web.sh: which seats reached the screen, and when.
    globalThis.eventlyPaintProbe?.(painted, p.model);
  }

  // The focused seat's box in CSS pixels, for the tooltip (and the tests' pixel checks).
  function publishFocus(p) {
    if (p.focus < 0) {
      canvas.removeAttribute('data-focus-rect');
      return;
    }
    const r = screenBox(p.focus);
    canvas.dataset.focusRect = `${r.x.toFixed(1)},${r.y.toFixed(1)},${r.size.toFixed(1)},${r.size.toFixed(1)}`;
  }

  function screenBox(i) {
    const m = props.current.model;
    return { x: view.ox + m.x[i] * view.scale, y: view.oy + m.y[i] * view.scale, size: view.scale };
  }

  function worldAt(cx, cy) {
    return { wx: (cx - view.ox) / view.scale, wy: (cy - view.oy) / view.scale };
  }

  function zoomAt(factor, cx = view.width / 2, cy = view.height / 2) {
    const { wx, wy } = worldAt(cx, cy);
    const m = props.current.model;
    const fitScale = Math.min(view.width / Math.max(1, m.width), view.height / Math.max(1, m.height));
    view.scale = Math.min(MAX_SCALE, Math.max(fitScale * 0.5, view.scale * factor));
    view.ox = cx - wx * view.scale;
    view.oy = cy - wy * view.scale;
    view.fitted = false;
    request(true);
  }

  function panBy(dx, dy) {
    view.ox += dx;
    view.oy += dy;
    view.fitted = false;
    request(true);
  }

  // Brings seat i into view, zoomed in far enough to tell seats apart.
  function reveal(i) {
    if (view.scale < 10) {
      const r = screenBox(i);
      zoomAt(14 / view.scale, r.x, r.y);
    }
    const r = screenBox(i);
    const margin = 40;
    let dx = 0;
    let dy = 0;
    if (r.x < margin) dx = margin - r.x;
    else if (r.x + r.size > view.width - margin) dx = view.width - margin - r.x - r.size;
    if (r.y < margin) dy = margin - r.y;
    else if (r.y + r.size > view.height - margin) dy = view.height - margin - r.y - r.size;
    if (dx || dy) panBy(dx, dy);
    else request(true);
  }

  return { view, fit, resize, request, zoomAt, panBy, reveal, worldAt, screenBox, stop: () => cancelAnimationFrame(frame) };
}

// Pointer and keyboard handling; `props` holds the latest props.
function useInteraction(canvas, renderer, props, setHover, announce) {
  useEffect(() => {
    const el = canvas.current;
    const r = renderer.current;
    if (!el || !r) return undefined;
    const pointers = new Map();
    let dragged = false;
    let pinch = 0;

    const local = (e) => {
      const rect = el.getBoundingClientRect();
      return { cx: e.clientX - rect.left, cy: e.clientY - rect.top };
    };
    const hit = (e) => {
      const { cx, cy } = local(e);
      const { wx, wy } = r.worldAt(cx, cy);
      return seatAt(props.current.model, wx, wy);
    };

    const onWheel = (e) => {
      e.preventDefault();
      const { cx, cy } = local(e);
      r.zoomAt(Math.exp(-e.deltaY * 0.0015), cx, cy);
    };
    const onDown = (e) => {
      el.setPointerCapture?.(e.pointerId);
      pointers.set(e.pointerId, local(e));
      dragged = false;
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        pinch = Math.hypot(a.cx - b.cx, a.cy - b.cy);
      }
    };
    const onMove = (e) => {
      const now = local(e);
      const before = pointers.get(e.pointerId);
      if (!before) {
        const i = hit(e);
        setHover(i >= 0 ? { i, cx: now.cx, cy: now.cy } : null);
        return;
      }
      if (pointers.size === 2) {
        pointers.set(e.pointerId, now);
        const [a, b] = [...pointers.values()];
        const distance = Math.hypot(a.cx - b.cx, a.cy - b.cy);
        if (pinch > 0) r.zoomAt(distance / pinch, (a.cx + b.cx) / 2, (a.cy + b.cy) / 2);
        pinch = distance;
        dragged = true;
        return;
      }
      const dx = now.cx - before.cx;
      const dy = now.cy - before.cy;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      dragged = true;
      pointers.set(e.pointerId, now);
      setHover(null);
      r.panBy(dx, dy);
    };
    const onUp = (e) => {
      const wasDown = pointers.delete(e.pointerId);
      if (pointers.size < 2) pinch = 0;
      if (!wasDown || dragged || pointers.size > 0) return;
      const i = hit(e);
      if (i >= 0) {
        props.current.onFocus(i);
        props.current.onPick(i);
      }
    };
    const onLeave = () => setHover(null);

    const onKey = (e) => {
      const p = props.current;
      const keys = {
        ArrowLeft: [-1, 0],
        ArrowRight: [1, 0],
        ArrowUp: [0, -1],
        ArrowDown: [0, 1],
        PageUp: [0, -Infinity],
        PageDown: [0, Infinity],
      };
      if (keys[e.key]) {
        e.preventDefault();
        const next = step(p.model, p.focus, ...keys[e.key]);
        if (next >= 0) {
          p.onFocus(next);
          r.reveal(next);
          announce(next);
        }
      } else if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        const row = p.model.rows[p.model.row[Math.max(0, p.focus)]];
        const next = e.key === 'Home' ? row.first : row.first + row.count - 1;
        p.onFocus(next);
        r.reveal(next);
        announce(next);
      } else if ((e.key === 'Enter' || e.key === ' ') && p.focus >= 0) {
        e.preventDefault();
        p.onPick(p.focus);
      } else if (e.key === '+' || e.key === '=') {
        r.zoomAt(1.4);
      } else if (e.key === '-') {
        r.zoomAt(1 / 1.4);
      } else if (e.key === '0') {
        r.fit();
      }
    };

    const listeners = [
      ['wheel', onWheel, { passive: false }],
      ['pointerdown', onDown],
      ['pointermove', onMove],
      ['pointerup', onUp],
      ['pointercancel', onUp],
      ['pointerleave', onLeave],
      ['keydown', onKey],
    ];
    for (const [type, listener, options] of listeners) el.addEventListener(type, listener, options);
    return () => {
      for (const [type, listener] of listeners) el.removeEventListener(type, listener);
    };
  }, [canvas.current, renderer.current]);
}

// props: model, selected (Set), mine (Set), tier (section index or -1), focus (seat index or -1),
// onFocus(i), onPick(i), label, currency, onReady({request, fit}) for repainting live changes.
export function SeatCanvas(props) {
  const canvas = useRef(null);
  const renderer = useRef(null);
  const latest = useRef(props);
  const [focused, setFocused] = useState(false);
  const [hover, setHover] = useState(null);
  const [spoken, setSpoken] = useState('');
  latest.current = { ...props, focused };

  const announce = (i) => setSpoken(seatSentence(latest.current, i, props.currency));

  useEffect(() => {
    const r = createRenderer(canvas.current, latest);
    renderer.current = r;
    r.resize();
    const observer = new ResizeObserver(() => r.resize());
    observer.observe(canvas.current);
    props.onReady?.({ request: (indices) => r.request(!indices, indices), fit: () => r.fit(), reveal: (i) => r.reveal(i) });
    return () => {
      observer.disconnect();
      r.stop();
    };
  }, []);

  // A new model (another event, or the editor's preview as typed) is fitted; other prop changes
  // repaint.
  const modelRef = useRef(props.model);
  useEffect(() => {
    if (!renderer.current) return;
    if (modelRef.current !== props.model) {
      modelRef.current = props.model;
      renderer.current.fit();
    } else renderer.current.request(true);
  }, [props.model, props.selected, props.mine, props.tier, props.focus, focused]);

  // A change to the focused seat is read out: "... : held by someone else".
  useEffect(() => {
    if (props.focus >= 0 && focused) announce(props.focus);
  }, [props.focus, props.revision, props.selected, props.mine, focused]);

  useInteraction(canvas, renderer, latest, setHover, announce);

  const hint = 'Arrow keys move between seats, Page Up and Page Down between sections, Enter or Space picks a seat, plus and minus zoom, 0 shows the whole map.';
  return (
    <div class="seatmap">
      <canvas
        ref={canvas}
        class="seatmap-canvas"
        tabIndex={props.preview ? undefined : 0}
        role={props.preview ? 'img' : 'application'}
        aria-roledescription={props.preview ? undefined : 'seat map'}
        aria-label={props.label}
        aria-describedby={props.preview ? undefined : 'seatmap-keys'}
        onFocus={() => {
          if (props.preview) return;
          setFocused(true);
          if (props.focus < 0) {
            const first = props.initialFocus ?? 0;
            props.onFocus(first);
            renderer.current?.reveal(first);
          }
        }}
        onBlur={() => setFocused(false)}
      />
      {!props.preview && (
        <>
          <p id="seatmap-keys" class="visually-hidden">
            {hint}
          </p>
          <p class="visually-hidden" aria-live="polite" data-testid="seat-announcer">
            {spoken}
          </p>
        </>
      )}
      {hover && (
        <div class="seat-tip" style={{ left: `${hover.cx + 12}px`, top: `${hover.cy + 12}px` }} aria-hidden="true">
          {seatSentence(latest.current, hover.i, props.currency)}
        </div>
      )}
      <div class="seatmap-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => renderer.current.zoomAt(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => renderer.current.zoomAt(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => renderer.current.fit()} aria-label="Show the whole map">
          ⤢
        </button>
      </div>
    </div>
  );
}
