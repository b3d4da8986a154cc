// The agent client: sign-in, the socket, and the rep's offers and leads as the server tells them.
import { AgentConnection, socketUrl } from './socket.js';
import * as fmt from './format.js';
import * as alert from './alert.js';
import { h, $ } from './dom.js';
import { offerCard, updateOfferCard } from './offers.js';
import { leadRow, updateLeadRow } from './leads.js';

const TOKEN_KEY = 'leadrouter.agent.token';
const STATUS_LABELS = { AVAILABLE: 'Available', BUSY: 'Busy', AWAY: 'Away', OFFLINE: 'Offline' };
const WITHDRAWN = {
  EXPIRED: (t) => `The offer for ${t} expired.`,
  TAKEN: (t) => `${t} was assigned to someone else.`,
  CANCELLED: (t) => `The offer for ${t} was withdrawn.`,
};

const state = {
  repId: null,
  status: null,
  mode: 'PUSH',
  queueDepth: 0,
  slaSeconds: null,
  /** offerId -> {frame, firstSeen, card} */
  offers: new Map(),
  /** leadId -> {lead, row} */
  leads: new Map(),
  seenOffers: new Set(),
  declinedHere: new Set(),
  connection: { state: 'stopped', reason: 'signed-out' },
  welcomed: false,
  /** The request whose answer may come back as an error frame. */
  pending: null,
};

let connection = null;

// ---- sign-in ------------------------------------------------------------------------------

function tokenFromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token !== null) {
    history.replaceState(null, '', location.pathname + location.search);
  }
  return token && token.trim();
}

function showSignIn(error) {
  $('#workspace').hidden = true;
  $('#session').hidden = true;
  $('#signin').hidden = false;
  const message = $('#signin-error');
  message.hidden = !error;
  message.textContent = error || '';
  const input = $('#token-input');
  input.value = '';
  input.focus();
}

function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#signin').hidden = true;
  $('#workspace').hidden = false;
  $('#session').hidden = false;
  resetState();
  connection = new AgentConnection({
    url: socketUrl(location),
    token,
    onFrame: handleFrame,
    onState: connectionChanged,
  });
  connection.start();
}

function signOut(reason = 'signed-out') {
  sessionStorage.removeItem(TOKEN_KEY);
  const current = connection;
  connection = null;
  if (current) current.stop(reason);
  resetState();
  renderConnection();
  const errors = {
    rejected: 'Token rejected: this sign-in link or token is not valid (it may have expired). Ask your manager for a new one.',
    inactive: 'Your rep account is deactivated, so you cannot take leads. Talk to your manager.',
    revoked: 'Your sign-in was revoked. Ask your manager for a new sign-in link.',
  };
  showSignIn(errors[reason]);
}

function resetState() {
  state.offers.forEach((o) => o.card.remove());
  state.leads.forEach((l) => l.row.remove());
  state.offers.clear();
  state.leads.clear();
  state.seenOffers.clear();
  state.declinedHere.clear();
  state.repId = null;
  state.status = null;
  state.mode = 'PUSH';
  state.queueDepth = 0;
  state.slaSeconds = null;
  state.welcomed = false;
  state.pending = null;
  $('#notes').replaceChildren();
  renderAll();
}

// ---- the connection -------------------------------------------------------------------------

function connectionChanged(next) {
  const was = state.connection.state;
  state.connection = next;
  if (next.state === 'stopped' && next.reason !== 'signed-out' && connection) {
    signOut(next.reason);
    return;
  }
  if (next.state === 'reconnecting' && was === 'live') {
    announce('Connection lost. Reconnecting.');
  }
  renderConnection();
  renderControls();
}

function send(frame, pending) {
  if (!connection || !connection.send(frame)) {
    note('Not connected right now. Try again once the connection is live.', 'warn');
    return false;
  }
  state.pending = pending || null;
  return true;
}

// ---- frames -------------------------------------------------------------------------------

function handleFrame(frame) {
  switch (frame.type) {
    case 'welcome': return welcome(frame);
    case 'offer': return addOffer(frame, true);
    case 'offer-withdrawn': return offerWithdrawn(frame);
    case 'assigned': return assigned(frame.lead);
    case 'closed': return closed(frame.lead);
    case 'lead-taken-back': return takenBack(frame);
    case 'duplicate': return duplicate(frame);
    case 'mode': return modeChanged(frame);
    case 'status': return statusChanged(frame);
    case 'paused': return paused(frame);
    case 'queue-empty': return queueEmpty();
    case 'error': return serverError(frame);
    default: return undefined;
  }
}

function welcome(frame) {
  state.repId = frame.repId;
  state.status = frame.status;
  state.mode = frame.mode || 'PUSH';
  state.queueDepth = frame.queueDepth || 0;
  state.slaSeconds = frame.slaSeconds ?? null;
  state.pending = null;
  if (frame.paused) paused({ paused: true, reason: frame.paused });
  else dismissNote('paused');
  // the welcome is the whole truth: what it does not carry is gone
  const offers = frame.pendingOffers || [];
  const offerIds = new Set(offers.map((o) => o.offerId));
  [...state.offers.keys()].filter((id) => !offerIds.has(id)).forEach((id) => removeOffer(id));
  offers.forEach((o) => addOffer(o, !state.seenOffers.has(o.offerId)));
  const leads = frame.activeLeads || [];
  const leadIds = new Set(leads.map((l) => l.id));
  [...state.leads.keys()].filter((id) => !leadIds.has(id)).forEach((id) => removeLead(id));
  leads.forEach((l) => upsertLead(l));
  if (state.welcomed) {
    announce('Reconnected.');
  }
  state.welcomed = true;
  renderAll();
}

function addOffer(frame, fresh) {
  const known = state.offers.get(frame.offerId);
  if (known) {
    known.frame = frame;
    updateOfferCard(known.card, frame, Date.now(), known.firstSeen);
    return;
  }
  if (state.leads.has(frame.lead.id)) return; // already ours (a late duplicate)
  const entry = { frame, firstSeen: Date.now() };
  entry.card = offerCard(frame, { onAccept: accept, onDecline: decline });
  state.offers.set(frame.offerId, entry);
  state.seenOffers.add(frame.offerId);
  $('#offer-list').append(entry.card);
  updateOfferCard(entry.card, frame, Date.now(), entry.firstSeen);
  renderOffersMeta();
  if (fresh) {
    alert.beep();
    const lead = frame.lead;
    announce(`New offer: ${fmt.leadTitle(lead)}, value ${fmt.value(lead.value)}${lead.country ? ', ' + lead.country : ''}.`);
    const active = document.activeElement;
    if (!active || active === document.body) entry.card.focus({ preventScroll: false });
  }
}

function removeOffer(offerId) {
  const entry = state.offers.get(offerId);
  if (!entry) return null;
  const hadFocus = entry.card.contains(document.activeElement);
  entry.card.remove();
  state.offers.delete(offerId);
  if (hadFocus) {
    const next = $('#offer-list .offer');
    (next || $('#offers-heading')).focus();
  }
  renderOffersMeta();
  return entry.frame;
}

function offerWithdrawn(frame) {
  const offer = removeOffer(frame.offerId);
  if (!offer) return;
  const title = fmt.leadTitle(offer.lead);
  if (state.declinedHere.delete(frame.offerId)) {
    note(`You declined ${title}.`, 'info');
  } else {
    note((WITHDRAWN[frame.reason] || WITHDRAWN.CANCELLED)(title), frame.reason === 'EXPIRED' ? 'warn' : 'info');
  }
}

function assigned(lead) {
  // the offer for this lead, in this tab or another, is done
  [...state.offers.values()].filter((o) => o.frame.lead.id === lead.id).forEach((o) => removeOffer(o.frame.offerId));
  const isNew = !state.leads.has(lead.id);
  upsertLead(lead);
  if (isNew) {
    note(`${fmt.leadTitle(lead)} is yours. It is in My leads.`, 'success');
  }
  if (state.pending && (state.pending.type === 'pull' || state.pending.type === 'accept')) state.pending = null;
  renderControls();
}

function upsertLead(lead) {
  const known = state.leads.get(lead.id);
  if (known) {
    known.lead = lead;
    return;
  }
  const row = leadRow(lead, { onClose: closeLead });
  state.leads.set(lead.id, { lead, row });
  $('#lead-list').prepend(row);
  updateLeadRow(row, lead, Date.now(), state.slaSeconds);
  renderLeadsMeta();
}

function removeLead(leadId) {
  const entry = state.leads.get(leadId);
  if (!entry) return null;
  const hadFocus = entry.row.contains(document.activeElement);
  entry.row.remove();
  state.leads.delete(leadId);
  if (hadFocus) $('#leads-heading').focus();
  renderLeadsMeta();
  return entry.lead;
}

function closed(lead) {
  if (removeLead(lead.id)) {
    note(`${fmt.leadTitle(lead)} closed as ${fmt.outcome(lead.outcome)}.`, 'success');
  }
  if (state.pending && state.pending.type === 'close' && state.pending.leadId === lead.id) state.pending = null;
}

function takenBack(frame) {
  const lead = removeLead(frame.leadId);
  const title = lead ? fmt.leadTitle(lead) : 'A lead';
  const why = frame.reason === 'UNTENDED' ? ' because it stayed open past the SLA'
    : frame.reason === 'REASSIGNED' ? ': a manager gave it to another rep' : '';
  note(`${title} was taken back${why}. It goes to another rep.`, 'warn');
}

function duplicate(frame) {
  const entry = state.leads.get(frame.leadId);
  const title = entry ? fmt.leadTitle(entry.lead) : 'One of your leads';
  const sent = frame.duplicate || {};
  const who = sent.name || sent.email || sent.company;
  note(`${title} came in again${who ? ` as ${who}` : ''}${sent.source ? ` from ${sent.source}` : ''}. It stays with you.`, 'info');
}

function modeChanged(frame) {
  const was = state.mode;
  state.mode = frame.mode;
  state.queueDepth = frame.queueDepth ?? state.queueDepth;
  if (was !== state.mode) {
    note(state.mode === 'PULL'
      ? 'Your team switched to pull mode: take the next lead when you are ready.'
      : 'Your team is back in push mode: leads come to you as offers.', 'info');
  }
  renderPull();
}

function statusChanged(frame) {
  state.status = frame.status;
  if (frame.reason === 'MISSED_OFFER') {
    note('You were set Away because an offer expired unanswered. Set yourself Available to get offers again.', 'warn', 'away');
  } else if (frame.reason) {
    note(`Your status is now ${STATUS_LABELS[frame.status] || frame.status} (${frame.reason.toLowerCase().replace(/_/g, ' ')}).`, 'info');
  }
  if (frame.status === 'AVAILABLE') dismissNote('away');
  renderPresence();
  renderOffersMeta();
}

/** A manager paused this rep (no offers, no pulls; its leads stay) or resumed it. */
function paused(frame) {
  if (frame.paused) {
    note(`A manager paused you${frame.reason ? `: ${frame.reason}` : ''}. No new offers or pulls until you are resumed; your leads stay with you.`, 'warn', 'paused');
  } else {
    dismissNote('paused');
    note('A manager resumed you: offers come again.', 'info');
  }
}

function queueEmpty() {
  if (state.pending && state.pending.type === 'pull') state.pending = null;
  note('Nothing to pull right now: no waiting lead fits you. Check back in a moment.', 'info');
  renderControls();
}

function serverError(frame) {
  const pending = state.pending;
  state.pending = null;
  const messages = {
    AT_CAPACITY: `You are at capacity. ${frame.message || 'Close a lead before taking another.'}`,
    CAP_REACHED: `You have reached your lead cap: ${frame.message || ''}`.trim(),
    OFFER_EXPIRED: 'That offer had already expired.',
    OFFER_NOT_FOUND: 'That offer is no longer open.',
    NOT_YOURS: 'That offer is no longer yours.',
    NOT_FOUND: 'That lead is no longer yours.',
    ALREADY_CLOSED: 'That lead was already closed.',
    NOT_CONNECTED: 'The server does not see you connected yet. Try again in a moment.',
    REP_INACTIVE: 'Your rep account is deactivated.',
    PAUSED: `You are paused by a manager and cannot pull. ${frame.message || ''}`.trim(),
  };
  note(messages[frame.code] || frame.message || `Something went wrong (${frame.code}).`, 'error');
  if (pending && pending.offerId && ['OFFER_EXPIRED', 'OFFER_NOT_FOUND', 'NOT_YOURS'].includes(frame.code)) {
    removeOffer(pending.offerId);
  } else if (pending && pending.offerId) {
    const entry = state.offers.get(pending.offerId);
    if (entry) entry.card.dataset.busy = '';
  }
  if (pending && pending.leadId && ['NOT_FOUND', 'ALREADY_CLOSED'].includes(frame.code)) {
    removeLead(pending.leadId);
  } else if (pending && pending.leadId) {
    const entry = state.leads.get(pending.leadId);
    if (entry) entry.row.dataset.busy = '';
  }
  renderPresence(); // a refused status change puts the selector back
  renderControls();
}

// ---- actions --------------------------------------------------------------------------------

function accept(offerId) {
  const entry = state.offers.get(offerId);
  if (!entry) return;
  if (send({ type: 'accept', offerId }, { type: 'accept', offerId })) {
    entry.card.dataset.busy = 'accept';
  }
}

function decline(offerId, reason) {
  const entry = state.offers.get(offerId);
  if (!entry) return;
  const frame = { type: 'decline', offerId };
  if (reason) frame.reason = reason;
  if (send(frame, { type: 'decline', offerId })) {
    entry.card.dataset.busy = 'decline';
    state.declinedHere.add(offerId);
  }
}

function closeLead(leadId, outcome) {
  const entry = state.leads.get(leadId);
  if (!entry) return;
  if (send({ type: 'close', leadId, outcome }, { type: 'close', leadId })) {
    entry.row.dataset.busy = 'close';
  }
}

function pull() {
  if (send({ type: 'pull' }, { type: 'pull' })) renderControls();
}

function setStatus(status) {
  send({ type: 'status', status }, { type: 'status' });
}

// ---- notes --------------------------------------------------------------------------------

const MAX_NOTES = 4;

function note(text, kind = 'info', key = null) {
  const list = $('#notes');
  if (key) dismissNote(key);
  const item = h('li', { class: `note note-${kind}`, 'data-key': key || '' },
    h('span', { class: 'note-text' }, text),
    h('button', { type: 'button', class: 'note-dismiss', 'aria-label': 'Dismiss note', onclick: () => item.remove() }, '×'));
  list.prepend(item);
  while (list.children.length > MAX_NOTES) list.lastElementChild.remove();
  if (kind === 'info' || kind === 'success') {
    setTimeout(() => item.remove(), 12_000);
  }
}

function dismissNote(key) {
  document.querySelectorAll(`#notes [data-key="${key}"]`).forEach((n) => n.remove());
}

function announce(text) {
  const region = $('#announcer');
  region.textContent = '';
  // a fresh text node after a tick is announced even when the text repeats
  setTimeout(() => { region.textContent = text; }, 30);
}

// ---- rendering ------------------------------------------------------------------------------

function renderAll() {
  renderConnection();
  renderPresence();
  renderPull();
  renderOffersMeta();
  renderLeadsMeta();
  renderControls();
}

function renderConnection() {
  const c = state.connection;
  const box = $('#connection');
  box.dataset.state = c.state === 'stopped' ? 'stopped' : c.state;
  const labels = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting', stopped: 'Signed out' };
  const text = $('#connection-text');
  if (text.textContent !== labels[c.state]) text.textContent = labels[c.state];
  $('#connection-countdown').textContent = c.state === 'reconnecting' && c.retryAt
    ? ` in ${Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000))}s` : '';
  $('#retry-now').hidden = c.state !== 'reconnecting';
}

function renderPresence() {
  const select = $('#presence-select');
  const box = $('#presence');
  box.dataset.status = state.status || '';
  if (state.status && STATUS_LABELS[state.status] && state.status !== 'OFFLINE') {
    select.value = state.status;
  }
  $('#rep-id').textContent = state.repId || '';
}

function renderPull() {
  const pullMode = state.mode === 'PULL';
  $('#pull').hidden = !pullMode;
  const depth = state.queueDepth;
  $('#queue-depth').textContent = String(depth);
  $('#next-lead').setAttribute('aria-label', `Next lead (${depth} waiting)`);
  $('#pull-text').textContent = depth > 0
    ? `${depth} lead${depth === 1 ? '' : 's'} waiting for your team. Take the next one when you are ready.`
    : 'The queue is empty for now.';
  renderControls();
}

function renderOffersMeta() {
  const n = state.offers.size;
  $('#offer-count').textContent = n ? String(n) : '';
  const empty = $('#offers-empty');
  empty.hidden = n > 0;
  if (state.status === 'AWAY' || state.status === 'BUSY') {
    empty.textContent = `You are ${STATUS_LABELS[state.status]}: no new offers until you set yourself Available.`;
  } else if (state.mode === 'PULL') {
    empty.textContent = 'No offers while your team is in pull mode: use Next lead.';
  } else {
    empty.textContent = 'No offers right now. New leads routed to you appear here.';
  }
  alert.setPendingOffers(n);
}

function renderLeadsMeta() {
  const n = state.leads.size;
  $('#lead-count').textContent = n ? String(n) : '';
  $('#leads-empty').hidden = n > 0;
  const sla = $('#sla-text');
  sla.hidden = !state.slaSeconds;
  sla.textContent = state.slaSeconds ? `Close each lead within ${fmt.duration(state.slaSeconds)} of accepting it, or it is taken back.` : '';
}

function renderControls() {
  const live = state.connection.state === 'live';
  $('#workspace').dataset.live = String(live);
  $('#presence-select').disabled = !live;
  $('#next-lead').disabled = !live || (state.pending && state.pending.type === 'pull');
  document.querySelectorAll('.offer button, .lead button, .lead select').forEach((control) => {
    const holder = control.closest('[data-busy]');
    const busy = holder && holder.dataset.busy;
    control.disabled = !live || !!busy || control.dataset.needsChoice === 'true';
  });
}

function tick() {
  const now = Date.now();
  state.offers.forEach((o) => updateOfferCard(o.card, o.frame, now, o.firstSeen));
  state.leads.forEach((l) => updateLeadRow(l.row, l.lead, now, state.slaSeconds));
  if (state.connection.state === 'reconnecting') renderConnection();
}

// ---- wiring ---------------------------------------------------------------------------------

function renderMute() {
  const muted = alert.isMuted();
  const button = $('#mute');
  button.setAttribute('aria-pressed', String(muted));
  button.title = muted ? 'New offers are silent: click to hear them again' : 'New offers beep: click to mute';
}

function keyboard(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest('input, select, textarea')) return;
  const card = target.closest('.offer');
  if (!card || card.dataset.busy || !card.querySelector('.decline-form').hidden) return;
  const key = event.key.toLowerCase();
  if (key === 'a') {
    event.preventDefault();
    accept(card.dataset.offerId);
    renderControls();
  } else if (key === 'd') {
    event.preventDefault();
    card.querySelector('.decline-open').click();
  }
}

function init() {
  $('#signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    alert.unlockAudio();
    const token = $('#token-input').value.trim();
    if (!token) {
      const message = $('#signin-error');
      message.hidden = false;
      message.textContent = 'Paste your rep token first.';
      return;
    }
    signIn(token);
  });
  $('#sign-out').addEventListener('click', () => signOut('signed-out'));
  $('#retry-now').addEventListener('click', () => connection && connection.retryNow());
  $('#presence-select').addEventListener('change', (event) => setStatus(event.target.value));
  $('#next-lead').addEventListener('click', pull);
  $('#mute').addEventListener('click', () => {
    alert.setMuted(!alert.isMuted());
    alert.unlockAudio();
    renderMute();
  });
  document.addEventListener('pointerdown', alert.unlockAudio, { once: true });
  document.addEventListener('keydown', alert.unlockAudio, { once: true });
  document.addEventListener('keydown', keyboard);
  // offers' and leads' own controls change their busy state: keep disabled flags in step
  document.addEventListener('click', () => queueMicrotask(renderControls));
  document.addEventListener('change', () => queueMicrotask(renderControls));
  window.addEventListener('hashchange', () => {
    const token = tokenFromFragment();
    if (token) {
      signOut('switch');
      signIn(token);
    }
  });
  renderMute();
  setInterval(tick, 250);

  const token = tokenFromFragment() || sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    signIn(token);
  } else {
    renderAll();
    showSignIn();
  }
}

// A small hook for tests and support: inspect state, simulate a dropped network connection.
window.leadRouterAgent = {
  dropConnection: () => connection && connection.drop(),
  get connectionState() { return state.connection.state; },
  get offers() { return [...state.offers.keys()]; },
  get leads() { return [...state.leads.keys()]; },
};

init();
