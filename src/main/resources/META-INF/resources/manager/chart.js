// A stacked area chart drawn as inline SVG: queue depth over a time window, one band per key
// (a team, or a priority when one team is shown).

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Round numbers for the y axis: 0 .. a "nice" max with 2–5 steps. */
function niceScale(max) {
  if (max <= 4) return { top: Math.max(1, Math.ceil(max)), step: 1 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((c) => c >= raw);
  return { top: Math.ceil(max / step) * step, step };
}

function hhmm(t) {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * @param figure the element to draw in (its width decides the chart's)
 * @param opts.points [{t: ms, values: {key: n}}], oldest first
 * @param opts.keys band order, bottom first
 * @param opts.colorOf key → CSS colour
 * @param opts.labelOf key → legend text
 * @param opts.now ms; opts.windowMs the span shown, ending at now
 */
export function drawStackedArea(figure, { points, keys, colorOf, labelOf, now, windowMs, title }) {
  const width = Math.max(280, Math.round(figure.clientWidth || 640));
  const height = width < 480 ? 170 : 210;
  const pad = { l: 34, r: 10, t: 10, b: 22 };
  const from = now - windowMs;
  const shown = points.filter((p) => p.t >= from - 60000);
  const totals = shown.map((p) => keys.reduce((sum, k) => sum + (p.values[k] || 0), 0));
  const { top, step } = niceScale(Math.max(0, ...totals));
  const x = (t) => pad.l + ((t - from) / windowMs) * (width - pad.l - pad.r);
  const y = (v) => height - pad.b - (v / top) * (height - pad.t - pad.b);
  const latest = totals.length ? totals[totals.length - 1] : 0;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart-svg',
    'aria-label': `${title}: ${latest} queued now, peak ${Math.max(0, ...totals)} in the last ${Math.round(windowMs / 60000)} minutes` });
  const clip = `clip-${Math.random().toString(36).slice(2, 8)}`;
  svg.append(s('defs', {}, s('clipPath', { id: clip },
    s('rect', { x: pad.l, y: 0, width: width - pad.l - pad.r, height }))));

  // grid and axes
  const grid = s('g', { class: 'chart-grid' });
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid.append(s('line', { x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v) }));
    grid.append(s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, Number.isInteger(v) ? v : v.toFixed(1)));
  }
  const tickEvery = width < 480 ? 10 * 60000 : 5 * 60000;
  for (let t = Math.ceil(from / tickEvery) * tickEvery; t <= now; t += tickEvery) {
    grid.append(s('line', { class: 'tick', x1: x(t), x2: x(t), y1: height - pad.b, y2: height - pad.b + 4 }));
    grid.append(s('text', { x: x(t), y: height - 6, 'text-anchor': 'middle' }, hhmm(t)));
  }
  svg.append(grid);

  // bands, bottom first
  const bands = s('g', { 'clip-path': `url(#${clip})` });
  if (shown.length >= 1) {
    const series = shown.length === 1 ? [{ ...shown[0], t: shown[0].t - 1000 }, shown[0]] : shown;
    const base = series.map(() => 0);
    for (const key of keys) {
      const upper = series.map((p, i) => base[i] + (p.values[key] || 0));
      if (upper.every((v, i) => v === base[i])) continue;
      const fwd = series.map((p, i) => `${x(p.t).toFixed(1)},${y(upper[i]).toFixed(1)}`);
      const back = series.map((p, i) => `${x(p.t).toFixed(1)},${y(base[i]).toFixed(1)}`).reverse();
      bands.append(s('path', { d: `M${fwd.join('L')}L${back.join('L')}Z`, fill: colorOf(key), 'fill-opacity': 0.55,
        stroke: colorOf(key), 'stroke-width': 1.25, 'stroke-linejoin': 'round' }, s('title', {}, labelOf(key))));
      upper.forEach((v, i) => { base[i] = v; });
    }
  }
  svg.append(bands);
  svg.append(s('line', { class: 'chart-axis', x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0) }));

  // a readout under the pointer
  const cursor = s('line', { class: 'chart-cursor', y1: pad.t, y2: height - pad.b, visibility: 'hidden' });
  svg.append(cursor);
  const readout = document.createElement('figcaption');
  readout.className = 'chart-readout small muted';
  readout.textContent = shown.length ? 'Point at the chart for the figures at a moment.' : 'No samples yet.';
  svg.addEventListener('pointermove', (event) => {
    if (!shown.length) return;
    const box = svg.getBoundingClientRect();
    const t = from + ((event.clientX - box.left) * (width / box.width) - pad.l) / (width - pad.l - pad.r) * windowMs;
    let best = shown[0];
    for (const p of shown) if (Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
    cursor.setAttribute('x1', x(best.t));
    cursor.setAttribute('x2', x(best.t));
    cursor.setAttribute('visibility', 'visible');
    const parts = keys.filter((k) => best.values[k]).map((k) => `${labelOf(k)} ${best.values[k]}`);
    const total = keys.reduce((sum, k) => sum + (best.values[k] || 0), 0);
    readout.textContent = `${new Date(best.t).toLocaleTimeString()} · ${total} queued${parts.length ? ' · ' + parts.join(' · ') : ''}`;
  });
  svg.addEventListener('pointerleave', () => cursor.setAttribute('visibility', 'hidden'));

  figure.replaceChildren(svg, readout);
}
