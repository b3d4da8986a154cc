// Formatting of leads, durations and the routing explanation, free of the DOM.

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

const COMPONENT_LABELS = {
  skill: 'skills',
  language: 'language',
  territory: 'territory',
  valueTierFit: 'value fit',
  fairness: 'fair share',
  idle: 'time since last lead',
  headroom: 'free capacity',
};

const OUTCOMES = { CONVERTED: 'Converted', CONTACTED: 'Contacted', DISQUALIFIED: 'Disqualified' };

export function value(amount) {
  return amount === null || amount === undefined ? '—' : NUMBER.format(Number(amount));
}

export function outcome(code) {
  return OUTCOMES[code] || code;
}

/** The lead's headline: its company, else its name, else its email. */
export function leadTitle(lead) {
  return lead.company || lead.name || lead.email || 'Unnamed lead';
}

export function country(code) {
  if (!code) return '—';
  try {
    const name = new Intl.DisplayNames(undefined, { type: 'region' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch (e) {
    return code;
  }
}

export function language(code) {
  if (!code) return null;
  try {
    const name = new Intl.DisplayNames(undefined, { type: 'language' }).of(code);
    return name && name !== code ? name : code;
  } catch (e) {
    return code;
  }
}

/** A priority 0–100 as a word: the routing's 1–5 scale sits at the low end. */
export function priority(p) {
  if (p === null || p === undefined) return '—';
  if (p >= 50) return `Urgent (${p})`;
  if (p >= 4) return `High (${p})`;
  if (p >= 3) return `Normal (${p})`;
  return `Low (${p})`;
}

/** Seconds as "45s", "3m 05s", "2h 10m". */
export function duration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds as a coarse age: "just now", "4 min", "2 h 10 min". */
export function age(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The offer's `why` as sentences: the rank among eligible reps, the top components, relaxed criteria. */
export function why(reason) {
  if (!reason) return null;
  const lines = [];
  if (reason.eligible > 1) {
    lines.push(`Best of ${reason.eligible} eligible reps` + (reason.candidates > reason.eligible ? ` (${reason.candidates} considered)` : ''));
  } else if (reason.eligible === 1) {
    lines.push('You were the only eligible rep' + (reason.candidates > 1 ? ` of ${reason.candidates} considered` : ''));
  }
  const top = Object.entries(reason.components || {})
    .filter(([, v]) => typeof v === 'number')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => ({ key: k, label: COMPONENT_LABELS[k] || k, value: v }));
  const relaxed = (reason.relaxed || []).map((c) => String(c).toLowerCase());
  return { score: reason.score, lines, top, relaxed };
}

export function score(n) {
  return typeof n === 'number' ? n.toFixed(2) : '—';
}
