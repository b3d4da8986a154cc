// Manager actions from the console: assign a lead to a named rep, requeue or close held leads in bulk,
// pause and resume reps, and the declines with their reasons. Every action asks for a reason; a console
// session opened with a read key is refused (403) and says so, without signing out.

import { h, relTime } from './dom.js';

/** The lead's state, its declines with their reasons, and the assign form (unless it is closed). */
export async function showLeadActions(container, leadId, { reps, nameOf, authFetch, authPost, onDone }) {
  container.replaceChildren(h('p', { class: 'muted small' }, 'Loading the lead…'));
  let lead;
  try {
    lead = await authFetch(`/api/v1/leads/${encodeURIComponent(leadId)}`);
  } catch (error) {
    container.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not load the lead: ${error.message}`));
    return;
  }
  const declines = lead.declines || [];
  // replaceChildren would write a null as "null": the parts the lead has not are left out
  container.replaceChildren(...[
    h('p', { class: 'lead-state' }, h('strong', {}, lead.status),
      lead.ownerRepId ? [' · owner ', h('strong', {}, nameOf(lead.ownerRepId))] : null,
      lead.holdReason ? [' · held: ', lead.holdReason] : null),
    declines.length ? h('ul', { class: 'declines', 'aria-label': 'Declines of this lead' }, declines.map((d) =>
      h('li', {}, h('strong', {}, nameOf(d.repId)), ` declined attempt ${d.attempt}: `,
        d.reason ? h('q', {}, d.reason) : h('span', { class: 'muted' }, 'no reason given')))) : null,
    lead.status === 'CLOSED' ? null : assignForm(lead, reps.filter((r) => r.active), nameOf, authPost, onDone),
  ].filter(Boolean));
}

function assignForm(lead, reps, nameOf, authPost, onDone) {
  const out = h('p', { class: 'action-result', 'aria-live': 'polite' });
  const select = h('select', { id: 'assign-rep', name: 'repId' }, reps
    .sort((a, b) => (a.team === lead.team ? 0 : 1) - (b.team === lead.team ? 0 : 1) || a.id.localeCompare(b.id))
    .map((r) => h('option', { value: r.id }, `${nameOf(r.id)}${r.team === lead.team ? '' : ` (${r.team})`}`)));
  const reason = h('input', { id: 'assign-reason', name: 'reason', required: true, maxlength: 500, placeholder: 'why' });
  const force = h('input', { id: 'assign-force', name: 'force', type: 'checkbox' });
  const form = h('form', { class: 'manager-form', 'aria-label': 'Assign this lead' },
    h('label', { for: 'assign-rep' }, lead.ownerRepId ? 'Reassign to' : 'Assign to'), select,
    h('label', { for: 'assign-reason' }, 'Reason'), reason,
    h('label', { class: 'inline' }, force, ' skip the rep\'s constraints'),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Assign'), out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    out.textContent = 'Assigning…';
    try {
      const assigned = await authPost(`/api/v1/leads/${encodeURIComponent(lead.id)}/assign`,
        { repId: select.value, reason: reason.value, force: force.checked });
      out.textContent = `Assigned to ${nameOf(assigned.ownerRepId)}.`;
      onDone();
    } catch (error) {
      out.replaceChildren(h('span', { class: 'alert', role: 'alert' }, error.message));
    }
  });
  return form;
}

/** The held leads of the team shown (all teams when none), with bulk requeue and close. */
export async function showHeld(container, team, { nameOf, authFetch, authPost }) {
  let leads;
  try {
    leads = await authFetch(`/api/v1/leads?status=HELD&limit=200${team ? `&team=${encodeURIComponent(team)}` : ''}`);
  } catch (error) {
    container.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not load held leads: ${error.message}`));
    return;
  }
  if (!leads.length) {
    container.replaceChildren(h('p', { class: 'muted' }, 'No held leads.'));
    return;
  }
  const boxes = leads.map((l) => h('input', { type: 'checkbox', value: l.id, 'aria-label': `Select ${l.company || l.id}` }));
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all held leads',
    onchange: (e) => boxes.forEach((b) => { b.checked = e.target.checked; }) });
  const reason = h('input', { id: 'held-reason', maxlength: 500, placeholder: 'why (optional)' });
  const outcome = h('select', { id: 'held-outcome', 'aria-label': 'Close as' },
    ['DISQUALIFIED', 'CONTACTED', 'CONVERTED'].map((o) => h('option', { value: o }, o)));
  const out = h('p', { class: 'action-result', 'aria-live': 'polite' });
  const act = async (what) => {
    const ids = boxes.filter((b) => b.checked).map((b) => b.value);
    if (!ids.length) {
      out.textContent = 'Select held leads first.';
      return;
    }
    const body = { ids, reason: reason.value || undefined, outcome: what === 'close' ? outcome.value : undefined };
    try {
      const result = await authPost(`/api/v1/leads/held/${what}`, body);
      out.textContent = `${what === 'close' ? 'Closed' : 'Requeued'} ${result.done}${result.skipped ? `, ${result.skipped} no longer held` : ''}.`;
      setTimeout(() => showHeld(container, team, { nameOf, authFetch, authPost }), 1500);
    } catch (error) {
      out.replaceChildren(h('span', { class: 'alert', role: 'alert' }, error.message));
    }
  };
  container.replaceChildren(
    h('div', { class: 'manager-form' },
      h('button', { type: 'button', class: 'btn', onclick: () => act('requeue') }, 'Requeue selected'),
      h('label', { for: 'held-outcome' }, 'Close as'), outcome,
      h('button', { type: 'button', class: 'btn', onclick: () => act('close') }, 'Close selected'),
      h('label', { for: 'held-reason' }, 'Reason'), reason, out),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'held-table' },
      h('caption', { class: 'sr-only' }, 'Held leads'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), h('th', { scope: 'col' }, 'Lead'),
        h('th', { scope: 'col' }, 'Team'), h('th', { scope: 'col' }, 'Held for'), h('th', { scope: 'col' }, 'Arrived'))),
      h('tbody', {}, leads.map((l, i) => h('tr', { 'data-lead': l.id },
        h('td', {}, boxes[i]), h('th', { scope: 'row' }, l.company || l.id), h('td', {}, l.team),
        h('td', {}, h('span', { class: 'badge excluded' }, l.holdReason)), h('td', {}, relTime(l.createdAt, Date.now()))))))));
}

/** The Pause or Resume control of a rep's row: pausing asks why. */
export function pauseControl(rep, { authPost, onDone }) {
  const label = rep.name || rep.id;
  if (rep.paused) {
    return h('span', { class: 'pause-cell' },
      h('span', { class: 'pill paused', title: `paused by ${rep.paused.by}: ${rep.paused.reason}` }, 'Paused'), ' ',
      h('span', { class: 'muted small' }, rep.paused.reason), ' ',
      h('button', { type: 'button', class: 'btn', 'aria-label': `Resume ${label}`, onclick: async () => {
        try {
          await authPost(`/api/v1/reps/${encodeURIComponent(rep.id)}/resume`, {});
          onDone();
        } catch (error) {
          window.alert(error.message);
        }
      } }, 'Resume'));
  }
  return h('button', { type: 'button', class: 'btn', 'aria-label': `Pause ${label}`, onclick: async () => {
    const reason = window.prompt(`Why pause ${label}? No offers and no pulls until resumed; assigned leads stay.`);
    if (!reason) return;
    try {
      await authPost(`/api/v1/reps/${encodeURIComponent(rep.id)}/pause`, { reason });
      onDone();
    } catch (error) {
      window.alert(error.message);
    }
  } }, 'Pause');
}

/** Today's declines per rep, by reason. */
export async function showDeclines(container, team, { nameOf, authFetch }) {
  let stats;
  try {
    stats = await authFetch(`/api/v1/stats/declines?period=day${team ? `&team=${encodeURIComponent(team)}` : ''}`);
  } catch (error) {
    container.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not load declines: ${error.message}`));
    return;
  }
  if (!stats.reps.length) {
    container.replaceChildren(h('p', { class: 'muted' }, 'No declines today.'));
    return;
  }
  const rows = stats.reps.map((r) => h('tr', { 'data-rep': r.repId },
    h('th', { scope: 'row' }, nameOf(r.repId)),
    h('td', { class: 'num' }, r.declined),
    h('td', {}, Object.entries(r.byReason).map(([reason, n]) =>
      h('span', { class: 'chip' }, reason || 'no reason', ' ', h('strong', {}, n))))));
  const table = h('table', { class: 'grid', id: 'declines-table' },
    h('caption', { class: 'sr-only' }, 'Declines today by rep and reason'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rep'), h('th', { scope: 'col', class: 'num' }, 'Declined'),
      h('th', { scope: 'col' }, 'Reasons'))),
    h('tbody', {}, rows));
  container.replaceChildren(h('div', { class: 'table-wrap' }, table));
}
