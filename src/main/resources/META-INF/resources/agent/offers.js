// The offer card: the lead's key facts, why it came to this rep, a countdown, Accept and Decline.
import { h, $ } from './dom.js';
import * as fmt from './format.js';

const DECLINE_REASONS = [
  'Outside my territory',
  'Not my product',
  'Language I do not speak',
  'Too busy right now',
  'Conflict of interest',
  'Other',
];

let sequence = 0;

export function offerCard(frame, { onAccept, onDecline }) {
  const id = `offer-${++sequence}`;
  const lead = frame.lead;
  const title = fmt.leadTitle(lead);
  const reason = fmt.why(frame.why);

  const fact = (label, value) => value === null || value === undefined || value === ''
    ? null : h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));

  const declineForm = h('form', { class: 'decline-form', hidden: true, 'aria-label': `Decline ${title}` },
    h('div', { class: 'field' },
      h('label', { for: `${id}-reason` }, 'Reason'),
      h('select', { id: `${id}-reason`, class: 'decline-reason' },
        DECLINE_REASONS.map((r) => h('option', { value: r }, r)))),
    h('div', { class: 'field grow' },
      h('label', { for: `${id}-note` }, 'Details (optional)'),
      h('input', { id: `${id}-note`, class: 'decline-note', type: 'text', maxlength: 300, autocomplete: 'off' })),
    h('div', { class: 'decline-actions' },
      h('button', { type: 'submit', class: 'danger' }, 'Send decline'),
      h('button', { type: 'button', class: 'ghost decline-cancel' }, 'Cancel')));

  const card = h('article', {
    class: 'offer', tabindex: 0, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-countdown`,
    dataset: { offerId: frame.offerId, leadId: lead.id },
  },
  h('div', { class: 'countdown', 'aria-hidden': 'true' }, h('div', { class: 'countdown-bar' })),
  h('header', { class: 'offer-head' },
    h('div', {},
      h('p', { class: 'eyebrow' }, 'New offer'),
      h('h3', { id: `${id}-title`, class: 'offer-title' }, title),
      h('p', { class: 'offer-sub' }, [lead.name && lead.name !== title ? lead.name : null, 'email and phone once you accept']
        .filter(Boolean).join(' · '))),
    h('div', { class: 'offer-value' },
      h('span', { class: 'value-label' }, 'Value'),
      h('span', { class: 'value-amount' }, fmt.value(lead.value)))),
  h('p', { class: 'expires', id: `${id}-countdown` }, ''),
  h('dl', { class: 'facts' },
    fact('Name', lead.name),
    fact('Country', fmt.country(lead.country)),
    fact('Product', lead.product),
    fact('Source', lead.source),
    fact('Priority', fmt.priority(lead.priority)),
    fact('Industry', lead.industry),
    fact('Language', fmt.language(lead.language)),
    lead.attempts > 1 ? fact('Offered before', `${lead.attempts - 1} time${lead.attempts === 2 ? '' : 's'}`) : null),
  reason ? h('section', { class: 'why', 'aria-label': 'Why you got this lead' },
    h('h4', {}, 'Why you', h('span', { class: 'score' }, `score ${fmt.score(reason.score)}`)),
    reason.lines.map((line) => h('p', { class: 'why-line' }, line)),
    reason.top.length ? h('ul', { class: 'chips', 'aria-label': 'Strongest factors' },
      reason.top.map((c) => h('li', { class: 'chip' }, `${c.label} ${fmt.score(c.value)}`))) : null,
    reason.relaxed.length ? h('p', { class: 'relaxed' },
      `Relaxed to find a rep: ${reason.relaxed.join(', ')}`) : null) : null,
  h('div', { class: 'offer-actions' },
    h('button', { type: 'button', class: 'primary big accept', 'aria-keyshortcuts': 'A' }, 'Accept'),
    h('button', { type: 'button', class: 'secondary big decline-open', 'aria-keyshortcuts': 'D', 'aria-expanded': 'false' }, 'Decline…')),
  declineForm);

  const openButton = $('.decline-open', card);
  $('.accept', card).addEventListener('click', () => onAccept(frame.offerId));
  openButton.addEventListener('click', () => {
    declineForm.hidden = false;
    openButton.setAttribute('aria-expanded', 'true');
    $('.decline-reason', declineForm).focus();
  });
  $('.decline-cancel', declineForm).addEventListener('click', () => {
    declineForm.hidden = true;
    openButton.setAttribute('aria-expanded', 'false');
    openButton.focus();
  });
  declineForm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') $('.decline-cancel', declineForm).click();
  });
  declineForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const choice = $('.decline-reason', declineForm).value;
    const details = $('.decline-note', declineForm).value.trim();
    onDecline(frame.offerId, details ? `${choice}: ${details}` : choice);
  });
  return card;
}

/** Countdown text and bar; the bar spans from when this tab first saw the offer to its expiry. */
export function updateOfferCard(card, frame, now, firstSeen) {
  const expiresAt = Date.parse(frame.expiresAt);
  const left = Math.max(0, (expiresAt - now) / 1000);
  const total = Math.max(1, (expiresAt - firstSeen) / 1000);
  const fraction = Math.min(1, left / total);
  const bar = $('.countdown-bar', card);
  bar.style.transform = `scaleX(${fraction})`;
  const urgency = left <= 5 ? 'urgent' : fraction < 0.34 ? 'soon' : 'ok';
  if (card.dataset.urgency !== urgency) card.dataset.urgency = urgency;
  const text = left > 0 ? `Expires in ${fmt.duration(Math.ceil(left))}` : 'Expiring…';
  const expires = $('.expires', card);
  if (expires.textContent !== text) expires.textContent = text;
}
