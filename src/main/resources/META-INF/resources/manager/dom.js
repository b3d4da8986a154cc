// Small DOM and formatting helpers. Everything from the server goes in as text, never as HTML.

/** Creates an element: h('td', {class: 'num'}, 'text', child, [more children]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    // through the CSSOM: the Content-Security-Policy refuses style attributes, not styles set by script
    else if (name === 'style') el.style.cssText = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Replaces a container's children, keeping keyboard focus on the element with the same
 * data-key if the focus was inside (live updates must not throw a keyboard user out).
 */
export function replaceKeepingFocus(container, children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : undefined;
  container.replaceChildren(...children.filter(Boolean));
  if (key !== undefined) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus({ preventScroll: true });
  }
}

/** "12s", "4m 05s", "2h 10m". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "just now", "3 min ago", "2 h ago", relative to the server's clock when known. */
export function ago(instant, now = Date.now()) {
  if (!instant) return 'never';
  const s = Math.round((now - Date.parse(instant)) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A <time> whose text is kept relative by refreshRelativeTimes(). */
export function relTime(instant, now) {
  if (!instant) return h('span', { class: 'muted' }, 'never');
  return h('time', { datetime: instant, title: new Date(instant).toLocaleString(), 'data-rel': '' }, ago(instant, now));
}

export function refreshRelativeTimes(root, now) {
  for (const el of root.querySelectorAll('time[data-rel]')) el.textContent = ago(el.getAttribute('datetime'), now);
}

export function clock(instant) {
  return new Date(instant).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function pct(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`;
}

export function num(x, digits = 2) {
  if (x === null || x === undefined) return '–';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** A horizontal meter: value of max, with a label for screen readers and a visible figure. */
export function meter(value, max, label, text) {
  const ratio = max > 0 ? Math.min(1, value / max) : (value > 0 ? 1 : 0);
  const level = ratio >= 1 ? 'full' : ratio >= 0.75 ? 'high' : 'ok';
  return h('span', { class: 'meter-wrap' },
    h('span', { class: `meter meter-${level}`, role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': max,
      'aria-valuenow': value, 'aria-label': label },
    h('span', { class: 'meter-fill', style: `width:${(ratio * 100).toFixed(1)}%` })),
    h('span', { class: 'meter-text' }, text ?? `${value} / ${max}`));
}
