// A row of My leads: the lead, how long it has been mine, the SLA, and Close with an outcome.
import { h, $ } from './dom.js';
import * as fmt from './format.js';

let sequence = 0;

export function leadRow(lead, { onClose }) {
  const id = `lead-${++sequence}`;
  const title = fmt.leadTitle(lead);
  const details = [
    lead.name && lead.name !== title ? lead.name : null,
    lead.product,
    lead.country ? fmt.country(lead.country) : null,
  ].filter(Boolean).join(' · ');
  const contact = [lead.email, lead.phone].filter(Boolean);

  const outcome = h('select', { id: `${id}-outcome`, class: 'outcome' },
    h('option', { value: '' }, 'Choose…'),
    h('option', { value: 'CONTACTED' }, 'Contacted'),
    h('option', { value: 'CONVERTED' }, 'Converted'),
    h('option', { value: 'DISQUALIFIED' }, 'Disqualified'));
  const closeButton = h('button', { type: 'submit', class: 'secondary', dataset: { needsChoice: 'true' } }, 'Close lead');

  const row = h('li', { class: 'lead', dataset: { leadId: lead.id }, 'aria-labelledby': `${id}-title` },
    h('div', { class: 'lead-main' },
      h('div', { class: 'lead-head' },
        h('h3', { id: `${id}-title`, class: 'lead-title' }, title),
        h('span', { class: 'lead-value' }, fmt.value(lead.value))),
      details ? h('p', { class: 'lead-sub' }, details) : null,
      contact.length ? h('p', { class: 'lead-contact' }, contact.map((c, i) => [i ? ' · ' : null,
        c.includes('@') ? h('a', { href: `mailto:${c}` }, c) : h('a', { href: `tel:${c.replace(/\s+/g, '')}` }, c)])) : null,
      h('p', { class: 'lead-times' },
        h('span', { class: 'age' }, ''),
        h('span', { class: 'sla', role: 'timer' }, ''))),
    h('form', { class: 'close-form', 'aria-label': `Close ${title}` },
      h('label', { for: `${id}-outcome` }, 'Outcome'),
      outcome,
      closeButton));

  outcome.addEventListener('change', () => {
    closeButton.dataset.needsChoice = String(!outcome.value);
  });
  $('.close-form', row).addEventListener('submit', (event) => {
    event.preventDefault();
    if (outcome.value) onClose(lead.id, outcome.value);
  });
  return row;
}

export function updateLeadRow(row, lead, now, slaSeconds) {
  const assignedAt = lead.assignedAt ? Date.parse(lead.assignedAt) : null;
  const ageText = assignedAt ? `Accepted ${fmt.age((now - assignedAt) / 1000)}${fmt.age((now - assignedAt) / 1000) === 'just now' ? '' : ' ago'}` : '';
  const age = $('.age', row);
  if (age.textContent !== ageText) age.textContent = ageText;
  const sla = $('.sla', row);
  let slaText = '';
  let slaState = 'none';
  if (slaSeconds && assignedAt) {
    const left = (assignedAt + slaSeconds * 1000 - now) / 1000;
    if (left <= 0) {
      slaText = 'SLA passed: close it now or it is taken back';
      slaState = 'over';
    } else {
      slaText = `SLA ${fmt.duration(left)} left`;
      slaState = left <= Math.max(60, slaSeconds * 0.2) ? 'warn' : 'ok';
    }
  }
  if (sla.textContent !== slaText) sla.textContent = slaText;
  if (row.dataset.sla !== slaState) row.dataset.sla = slaState;
}
