// The decision trace of one lead: per decision, who was chosen and on what score, who was
// excluded and why; and "why not <rep>?" from the server's own explanation.

import { h, clock, num } from './dom.js';

const KIND_TEXT = {
  OFFER: 'Offered', PULL: 'Pulled', NO_MATCH: 'No match', HELD: 'Held', TAKEN_BACK: 'Taken back', MANUAL: 'Assigned by hand',
};

export function kindBadge(kind) {
  return h('span', { class: `badge kind kind-${kind.toLowerCase().replace('_', '-')}` }, KIND_TEXT[kind] || kind);
}

function byRank(a, b) {
  if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
  if (a.eligible) return (b.score ?? 0) - (a.score ?? 0);
  return a.repId.localeCompare(b.repId);
}

function components(map) {
  if (!map) return null;
  const entries = Object.entries(map).sort((a, b) => b[1] - a[1]);
  return h('ul', { class: 'components', 'aria-label': 'Score components' },
    entries.map(([name, value]) => h('li', { class: 'component' },
      h('span', { class: 'component-name' }, name),
      h('span', { class: 'component-bar', 'aria-hidden': 'true' },
        h('span', { style: `width:${Math.max(0, Math.min(1, value)) * 100}%` })),
      h('span', { class: 'component-value' }, num(value, 2)))));
}

function candidateRow(c, decision, nameOf) {
  const chosen = c.repId === decision.chosenRepId;
  const status = chosen ? h('span', { class: 'badge chosen' }, 'Chosen')
    : c.eligible ? h('span', { class: 'badge eligible' }, 'Eligible')
      : h('span', { class: 'badge excluded' }, c.exclusion);
  return h('tr', { class: chosen ? 'row-chosen' : c.eligible ? '' : 'row-excluded', 'data-rep': c.repId },
    h('th', { scope: 'row' }, h('span', { class: 'rep-name' }, nameOf(c.repId)),
      nameOf(c.repId) !== c.repId ? h('span', { class: 'muted small block' }, c.repId) : null),
    h('td', {}, status),
    h('td', { class: 'num' }, c.eligible ? num(c.score, 3) : '–'),
    h('td', {}, c.eligible ? components(c.components) : h('span', { class: 'detail' }, c.detail || '')));
}

function decisionBlock(d, nameOf, selected) {
  const candidates = [...(d.candidates || [])].sort(byRank);
  const chosen = candidates.find((c) => c.repId === d.chosenRepId);
  const summary = [
    kindBadge(d.kind), ' ',
    h('strong', {}, `Attempt ${d.attempt}`), ' · ', d.mode, ' · policy v', String(d.policyVersion), ' · ', clock(d.createdAt),
  ];
  const facts = h('p', { class: 'decision-facts' },
    d.chosenRepId ? ['Chosen: ', h('strong', {}, nameOf(d.chosenRepId)),
      chosen && chosen.score != null ? ` with score ${num(chosen.score, 3)}` : ''] : 'Nobody was chosen',
    d.reason ? [' · reason: ', h('strong', {}, d.reason)] : null,
    d.manual ? [' · by ', h('strong', {}, d.manual.by), d.manual.forced ? ' (forced' + (d.manual.skipped
      ? `, skipping ${d.manual.skipped.exclusion}: ${d.manual.skipped.detail})` : ')') : '',
    d.manual.previousOwnerRepId ? [' · from ', nameOf(d.manual.previousOwnerRepId)] : null] : null,
    d.relaxed && d.relaxed.length ? [' · relaxed: ', d.relaxed.join(', ')] : null,
    ` · ${candidates.filter((c) => c.eligible).length} eligible of ${candidates.length}`);
  const table = candidates.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'grid candidates' },
    h('caption', { class: 'sr-only' }, `Candidates of attempt ${d.attempt}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rep'), h('th', { scope: 'col' }, 'Outcome'),
      h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col' }, 'Components / why excluded'))),
    h('tbody', {}, candidates.map((c) => candidateRow(c, d, nameOf)))))
    : h('p', { class: 'muted' }, 'No rep was weighed in this decision.');
  return h('details', { class: `decision${selected ? ' selected' : ''}`, open: selected || undefined },
    h('summary', {}, summary), facts, table);
}

function whyNotForm(lead, decisions, nameOf, authFetch) {
  const reps = new Set();
  for (const d of decisions) for (const c of d.candidates || []) reps.add(c.repId);
  const last = decisions[decisions.length - 1];
  const options = [...reps].filter((r) => !last || r !== last.chosenRepId).sort();
  if (!options.length) return null;
  const out = h('div', { class: 'why-not-answer', 'aria-live': 'polite' });
  const select = h('select', { id: 'why-not-rep', name: 'rep' },
    options.map((r) => h('option', { value: r }, nameOf(r) === r ? r : `${nameOf(r)} (${r})`)));
  const form = h('form', { class: 'why-not' },
    h('label', { for: 'why-not-rep' }, 'Why not'), select,
    h('button', { type: 'submit', class: 'btn' }, 'Explain'), out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const rep = select.value;
    out.replaceChildren(h('p', { class: 'muted' }, 'Asking…'));
    try {
      const answer = await authFetch(`/api/v1/leads/${encodeURIComponent(lead)}/decisions?rep=${encodeURIComponent(rep)}`);
      out.replaceChildren(
        h('p', { class: 'answer' }, answer.answer),
        answer.decisions && answer.decisions.length ? h('ol', { class: 'standings' }, answer.decisions.map((s) =>
          h('li', {}, h('span', { class: `badge standing standing-${s.standing.toLowerCase().replace('_', '-')}` }, s.standing),
            ' ', `Attempt ${s.attempt}: `, s.explanation))) : '');
    } catch (error) {
      out.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not ask: ${error.message}`));
    }
  });
  return form;
}

/**
 * Loads and shows the trace of the lead of a feed entry.
 * @param authFetch (path) → parsed JSON, throwing on errors
 */
export async function showTrace(container, entry, { nameOf, authFetch }) {
  container.replaceChildren(h('p', { class: 'muted' }, `Loading the trace of ${entry.company || entry.leadId}…`));
  let decisions;
  try {
    decisions = await authFetch(`/api/v1/leads/${encodeURIComponent(entry.leadId)}/decisions`);
  } catch (error) {
    container.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not load the trace: ${error.message}`));
    return;
  }
  const selected = decisions.find((d) => d.id === entry.id) || decisions[decisions.length - 1];
  container.replaceChildren(
    h('div', { class: 'trace-head' },
      h('h3', {}, entry.company || 'Lead'),
      h('span', { class: 'muted small mono' }, entry.leadId),
      h('span', { class: 'muted small' }, `${decisions.length} decision${decisions.length === 1 ? '' : 's'}`)),
    whyNotForm(entry.leadId, decisions, nameOf, authFetch) || '',
    // the selected decision first, then the rest newest first
    ...[selected, ...decisions.filter((d) => d !== selected).reverse()].filter(Boolean)
      .map((d) => decisionBlock(d, nameOf, d === selected)));
}
