// The manager console: exchanges a key that may read for a console session once (POST
// /api/v1/console/sessions), keeps only the session for this tab, listens on /ws/manager (history,
// then a snapshot per console tick) and draws the queue, reps, decisions and fairness. No polling.

import { h, replaceKeepingFocus, duration, relTime, refreshRelativeTimes, ago, clock, pct, num, meter } from './dom.js';
import { drawStackedArea } from './chart.js';
import { showTrace, kindBadge } from './trace.js';
import { showLeadActions, showHeld, pauseControl, showDeclines } from './actions.js';

const SESSION_STORAGE = 'leadrouter.console.session';
/** The server closes a console whose session ended (expired, signed out, its key revoked) with this code. */
const CLOSE_SIGNED_OUT = 4401;
const WINDOW_MS = 30 * 60 * 1000;
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const TEAM_COLORS = ['#3d6fb6', '#d08a2e', '#3f9a82', '#9a5fb0', '#c0504d', '#6b8e23', '#4aa3c2', '#8c6d46'];
const PRIORITY_COLORS = { 5: '#b8433f', 4: '#d4793a', 3: '#d9b23f', 2: '#6f9fc9', 1: '#9fb3c8' };
const PRESENCE_ORDER = { AVAILABLE: 0, BUSY: 1, AWAY: 2, OFFLINE: 3 };

const $ = (id) => document.getElementById(id);

const state = {
  session: null, // {id, token, expiresAt}
  socket: null,
  attempt: 0,
  retryTimer: null,
  countdownTimer: null,
  points: [], // {t, byTeam: {team: {priority: n}}}
  snapshot: null,
  shownFeed: null, // what the decision feed was last rendered from
  clockSkew: 0, // server clock minus ours, from snapshot.at
  team: '',
  selectedDecision: null,
  teamColors: new Map(),
};

const serverNow = () => Date.now() + state.clockSkew;

// --- sign-in ---------------------------------------------------------------------------------

const SIGN_IN_REFUSALS = {
  401: 'Key rejected: the server refused this API key.',
  403: 'Key rejected: this key may not read. Sign in with a read or admin API key.',
  429: 'Too many failed sign-ins from here: wait a minute and try again.',
};

function showSignIn(message) {
  $('console-view').hidden = true;
  $('tools').hidden = true;
  $('sign-in-view').hidden = false;
  const error = $('sign-in-error');
  error.hidden = !message;
  error.textContent = message || '';
  $('api-key').value = '';
  $('api-key').focus();
}

/** Exchanges the key for a session; the key itself is forgotten once this returns. */
async function signIn(key) {
  let response;
  try {
    response = await fetch('/api/v1/console/sessions', { method: 'POST', headers: { Authorization: `Bearer ${key}` }, cache: 'no-store' });
  } catch {
    showSignIn('The service is unreachable. Try again in a moment.');
    return;
  }
  if (!response.ok) {
    showSignIn(SIGN_IN_REFUSALS[response.status] || `Sign-in failed (HTTP ${response.status}). Try again in a moment.`);
    return;
  }
  const { id, token, expiresAt } = await response.json();
  start({ id, token, expiresAt });
}

function start(session) {
  state.session = session;
  sessionStorage.setItem(SESSION_STORAGE, JSON.stringify(session));
  $('sign-in-view').hidden = true;
  $('console-view').hidden = false;
  $('tools').hidden = false;
  resetData();
  connect();
}

/** Forgets the session here; with end, also ends it on the server (signing out). */
function signOut(message, end = false) {
  const session = state.session;
  state.session = null;
  sessionStorage.removeItem(SESSION_STORAGE);
  disconnect();
  resetData();
  showSignIn(message);
  if (end && session) {
    fetch(`/api/v1/console/sessions/${encodeURIComponent(session.id)}`,
      { method: 'DELETE', headers: { Authorization: `Bearer ${session.token}` } }).catch(() => {});
  }
}

function rejected() {
  setConnection('rejected', 'Signed out');
  signOut('Your console session ended (it expired, or was ended). Sign in again with a read or admin API key.');
}

function storedSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_STORAGE));
    return session && session.token && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function resetData() {
  state.points = [];
  state.snapshot = null;
  state.selectedDecision = null;
  state.shownFeed = null;
  $('lead-actions').replaceChildren();
  $('trace').replaceChildren(h('p', { class: 'muted' },
    'Select a decision to see why its rep was chosen and why the others were not.'));
}

// --- the socket ------------------------------------------------------------------------------

function setConnection(kind, text) {
  const el = $('connection');
  el.className = `conn conn-${kind}`;
  el.replaceChildren(h('span', { class: 'conn-dot', 'aria-hidden': 'true' }), text);
  if (kind === 'waiting') {
    el.append(' ', h('button', { type: 'button', class: 'btn btn-link', onclick: () => { clearTimers(); connect(); } }, 'Retry now'));
  }
}

function clearTimers() {
  clearTimeout(state.retryTimer);
  clearInterval(state.countdownTimer);
  state.retryTimer = state.countdownTimer = null;
}

function disconnect() {
  clearTimers();
  const socket = state.socket;
  state.socket = null;
  if (socket) {
    socket.onclose = socket.onmessage = socket.onopen = socket.onerror = null;
    socket.close(1000, 'signed out');
  }
}

function connect() {
  clearTimers();
  if (!state.session) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/manager`;
  let socket;
  try {
    socket = new WebSocket(url, ['bearer-token-carrier', encodeURI(`quarkus-http-upgrade#Authorization#Bearer ${state.session.token}`)]);
  } catch {
    rejected();
    return;
  }
  state.socket = socket;
  let framed = false;
  setConnection('connecting', state.attempt ? 'Reconnecting…' : 'Connecting…');
  socket.onopen = () => setConnection('live', 'Live');
  socket.onmessage = (event) => {
    if (state.socket !== socket) return;
    if (!framed) {
      framed = true;
      state.attempt = 0;
      setConnection('live', 'Live');
    }
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type === 'history') onHistory(frame);
    else if (frame.type === 'snapshot') onSnapshot(frame);
  };
  socket.onclose = (event) => {
    if (state.socket !== socket) return;
    state.socket = null;
    if (event.code === CLOSE_SIGNED_OUT) return rejected();
    // a browser does not tell why an upgrade failed: ask the REST API whether the session is still good
    if (!framed) checkSessionThenRetry();
    else retryLater();
  };
}

async function checkSessionThenRetry() {
  const session = state.session;
  try {
    const response = await fetch('/api/v1/queue', { headers: { Authorization: `Bearer ${session.token}` }, cache: 'no-store' });
    if (state.session !== session) return;
    if (response.status === 401 || response.status === 403) return rejected();
  } catch {
    // the service is unreachable: keep trying
  }
  retryLater();
}

function retryLater() {
  if (!state.session) return;
  const delay = BACKOFF_MS[Math.min(state.attempt, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
  state.attempt++;
  const at = Date.now() + delay;
  const tick = () => setConnection('waiting', `Disconnected · retrying in ${Math.max(1, Math.ceil((at - Date.now()) / 1000))}s`);
  tick();
  state.countdownTimer = setInterval(tick, 1000);
  state.retryTimer = setTimeout(connect, delay);
}

/** GET with the session; 401/403 sign the console out, other failures throw with the problem's detail. */
async function authFetch(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${state.session.token}`, Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    rejected();
    throw new Error('session ended');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && (body.detail || body.title)) || `HTTP ${response.status}`);
  return body;
}

/**
 * POST with the session. A 403 is the session's key not being admin: said, not signed out; other failures throw
 * with the problem's detail (and, for a 422, the constraint the rep fails).
 */
async function authPost(path, body) {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${state.session.token}`, Accept: 'application/json', 'Content-Type': 'application/json' } });
  if (response.status === 401) {
    rejected();
    throw new Error('session ended');
  }
  const answer = await response.json().catch(() => null);
  if (response.status === 403) throw new Error('Manager actions need a console session opened with an admin key.');
  if (!response.ok) throw new Error((answer && (answer.detail || answer.title)) || `HTTP ${response.status}`);
  return answer;
}

/** The held leads and declines cards, read on demand (the snapshot does not carry them). */
function refreshManaged() {
  if (!state.session) return;
  const tools = { nameOf: repNames(), authFetch, authPost };
  showHeld($('held'), state.team, tools);
  showDeclines($('declines'), state.team, tools);
}

// --- frames ----------------------------------------------------------------------------------

function onHistory(frame) {
  state.points = (frame.samples || []).map((s) => ({ t: Date.parse(s.at), byTeam: s.byTeam || {} }));
}

function onSnapshot(snap) {
  state.clockSkew = Date.parse(snap.at) - Date.now();
  const byTeam = {};
  for (const [team, q] of Object.entries(snap.queue.teams || {})) byTeam[team] = q.byPriority || {};
  state.points.push({ t: Date.parse(snap.at), byTeam });
  const cutoff = Date.parse(snap.at) - WINDOW_MS - 60000;
  while (state.points.length && state.points[0].t < cutoff) state.points.shift();
  const first = !state.snapshot;
  state.snapshot = snap;
  render();
  if (first) refreshManaged();
}

// --- rendering -------------------------------------------------------------------------------

function teamColor(team) {
  if (!state.teamColors.has(team)) state.teamColors.set(team, TEAM_COLORS[state.teamColors.size % TEAM_COLORS.length]);
  return state.teamColors.get(team);
}

function repNames() {
  const names = new Map();
  for (const { rep } of state.snapshot?.reps || []) names.set(rep.id, rep.name || rep.id);
  return (id) => names.get(id) || id;
}

// a rep in several teams is in each, in its order
function teamsOf(rep) {
  return rep.teams || [rep.team];
}

function allTeams() {
  const teams = new Set();
  const snap = state.snapshot;
  for (const team of Object.keys(snap?.queue.teams || {})) teams.add(team);
  for (const { rep } of snap?.reps || []) for (const team of teamsOf(rep)) teams.add(team);
  for (const p of state.points) for (const team of Object.keys(p.byTeam)) teams.add(team);
  return [...teams].sort();
}

function render() {
  const snap = state.snapshot;
  if (!snap) return;
  const teams = allTeams();
  teams.forEach(teamColor);
  renderTeamFilter(teams);
  renderKpis(snap);
  renderTeams(snap, teams);
  renderChart();
  renderReps(snap);
  renderFeed(snap);
  renderFairness(snap);
  $('updated').textContent = `Updated ${ago(snap.at, serverNow())}`;
}

function renderTeamFilter(teams) {
  const select = $('team-filter');
  const current = state.team;
  const wanted = ['', ...teams];
  const have = [...select.options].map((o) => o.value);
  if (wanted.join('\n') !== have.join('\n')) {
    select.replaceChildren(h('option', { value: '' }, 'All teams'), ...teams.map((t) => h('option', { value: t }, t)));
    select.value = teams.includes(current) ? current : '';
    state.team = select.value;
  }
}

function inTeam(team) {
  return !state.team || state.team === team;
}

function renderKpis(snap) {
  const q = snap.queue;
  const scoped = state.team ? q.teams[state.team] : q;
  $('kpi-depth').textContent = scoped ? scoped.depth : 0;
  $('kpi-oldest').textContent = scoped && scoped.depth ? duration(scoped.oldestWaitingSeconds) : '–';
  $('kpi-held').textContent = q.held;
  $('kpi-available').textContent = scoped ? scoped.availableReps : 0;
  const fair = (snap.fairness?.teams || []).filter((t) => inTeam(t.team));
  $('kpi-assigned').textContent = fair.reduce((sum, t) => sum + t.assigned, 0);
}

function modeBadge(mode) {
  return mode ? h('span', { class: `badge mode mode-${mode.toLowerCase()}`, title: mode === 'PUSH'
    ? 'Leads are offered to reps' : 'Leads wait; reps pull the next best' }, mode) : h('span', { class: 'muted' }, '–');
}

function priorityChips(byPriority) {
  const entries = Object.entries(byPriority || {}).filter(([, n]) => n > 0).sort((a, b) => b[0] - a[0]);
  if (!entries.length) return h('span', { class: 'muted' }, '–');
  return h('span', { class: 'chips' }, entries.map(([p, n]) =>
    h('span', { class: `chip prio-${p}`, title: `priority ${p}: ${n} queued` }, `P${p} `, h('strong', {}, n))));
}

function renderTeams(snap, teams) {
  const repTeams = new Set((snap.reps || []).flatMap((r) => teamsOf(r.rep)));
  const rows = teams.filter(inTeam).filter((t) => snap.queue.teams[t] || repTeams.has(t)).map((team) => {
    const q = snap.queue.teams[team];
    return h('tr', { 'data-team': team },
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${teamColor(team)}`, 'aria-hidden': 'true' }), team),
      h('td', {}, modeBadge(q?.mode)),
      h('td', { class: 'num' }, h('strong', {}, q ? q.depth : 0)),
      h('td', {}, priorityChips(q?.byPriority)),
      h('td', { class: 'num' }, q && q.depth ? duration(q.oldestWaitingSeconds) : '–'),
      h('td', { class: 'num' }, q ? q.availableReps : 0));
  });
  $('teams-table').tBodies[0].replaceChildren(...(rows.length ? rows
    : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Nothing queued and no reps yet.'))]));
}

function renderChart() {
  const figure = $('chart');
  let keys, points, colorOf, labelOf, title;
  if (state.team) {
    keys = ['5', '4', '3', '2', '1'];
    points = state.points.map((p) => ({ t: p.t, values: p.byTeam[state.team] || {} }));
    colorOf = (k) => PRIORITY_COLORS[k] || '#999';
    labelOf = (k) => `P${k}`;
    title = `Queue depth of ${state.team} by priority`;
  } else {
    const seen = new Set();
    for (const p of state.points) for (const [team, byP] of Object.entries(p.byTeam)) {
      if (Object.values(byP).some((n) => n > 0)) seen.add(team);
    }
    keys = [...seen].sort();
    points = state.points.map((p) => ({ t: p.t, values: Object.fromEntries(Object.entries(p.byTeam)
      .map(([team, byP]) => [team, Object.values(byP).reduce((a, b) => a + b, 0)])) }));
    colorOf = teamColor;
    labelOf = (k) => k;
    title = 'Queue depth by team';
  }
  drawStackedArea(figure, { points, keys, colorOf, labelOf, now: serverNow(), windowMs: WINDOW_MS, title });
  $('chart-legend').replaceChildren(...(keys.length ? keys.map((k) => h('span', { class: 'legend-item' },
    h('span', { class: 'swatch', style: `background:${colorOf(k)}` }), labelOf(k)))
    : [h('span', { class: 'muted small' }, 'queue empty for 30 minutes')]));
}

function capCell(rep) {
  const caps = rep.caps;
  const used = rep.capUsage || { day: 0, week: 0, month: 0 };
  return h('span', { class: 'caps' }, ['day', 'week', 'month'].map((period) => {
    const cap = caps ? caps[period] : null;
    return cap == null
      ? h('span', { class: 'cap', title: `${period}: ${used[period]} assigned, no cap` }, h('span', { class: 'cap-label' }, period[0]), ` ${used[period]}`, h('span', { class: 'muted' }, '/∞'))
      : h('span', { class: `cap${used[period] >= cap ? ' cap-full' : ''}`, title: `${period}: ${used[period]} of ${cap}` },
        h('span', { class: 'cap-label' }, period[0]), ` ${used[period]}`, h('span', { class: 'muted' }, `/${cap}`));
  }));
}

function renderReps(snap) {
  const now = serverNow();
  const reps = (snap.reps || []).filter((r) => teamsOf(r.rep).some(inTeam)).sort((a, b) =>
    a.rep.team.localeCompare(b.rep.team) || PRESENCE_ORDER[a.rep.presence] - PRESENCE_ORDER[b.rep.presence]
    || (a.rep.name || a.rep.id).localeCompare(b.rep.name || b.rep.id));
  const rows = reps.map(({ rep, offersToday, acceptedToday, acceptRate }) => h('tr', { 'data-rep': rep.id },
    h('th', { scope: 'row' }, h('span', { class: 'rep-name' }, rep.name || rep.id),
      rep.name && rep.name !== rep.id ? h('span', { class: 'muted small block' }, rep.id) : null),
    h('td', { class: 'nowrap' }, teamsOf(rep).join(', ')),
    h('td', {}, h('span', { class: `pill presence-${rep.presence.toLowerCase()}` }, rep.presence)),
    h('td', {}, rep.connected ? h('span', { class: 'connected' }, 'Connected') : h('span', { class: 'muted' }, 'Not connected')),
    h('td', {}, meter(rep.activeLoad, rep.maxLoad, `Load of ${rep.name || rep.id}`, `${rep.activeLoad} / ${rep.maxLoad}`)),
    h('td', {}, capCell(rep)),
    h('td', {}, relTime(rep.lastAssignedAt, now)),
    h('td', { class: 'num' }, h('span', { title: `${acceptedToday} accepted of ${offersToday} offered today` }, pct(acceptRate)),
      h('span', { class: 'muted small' }, ` ${acceptedToday}/${offersToday}`)),
    h('td', {}, pauseControl(rep, { authPost, onDone: () => {} }))));
  $('reps-table').tBodies[0].replaceChildren(...(rows.length ? rows
    : [h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No active reps.'))]));
  const online = reps.filter((r) => r.rep.connected).length;
  $('reps-count').textContent = `${reps.length} active · ${online} connected`;
}

function renderFeed(snap) {
  const nameOf = repNames();
  // an unchanged feed keeps its buttons: rebuilt on every snapshot, one could be replaced under a click
  // (its times move with refreshRelativeTimes)
  const shown = JSON.stringify([snap.decisions || [], (snap.decisions || []).map((d) => d.chosenRepId && nameOf(d.chosenRepId)),
    state.selectedDecision]);
  if (shown === state.shownFeed) return;
  state.shownFeed = shown;
  const now = serverNow();
  const items = (snap.decisions || []).map((d) => {
    const outcome = d.chosenRepId ? ['→ ', h('strong', {}, nameOf(d.chosenRepId))]
      : d.reason ? h('span', { class: 'muted' }, d.reason.replaceAll('_', ' ').toLowerCase()) : h('span', { class: 'muted' }, 'no rep');
    const label = `${d.kind} ${d.company || d.leadId}${d.chosenRepId ? ` to ${nameOf(d.chosenRepId)}` : ''}, attempt ${d.attempt}`;
    return h('li', {}, h('button', {
      type: 'button', class: 'feed-item', 'data-key': String(d.id), 'aria-pressed': String(state.selectedDecision === d.id),
      'aria-label': label,
      // selected on press: a snapshot that re-renders the feed between press and release would swallow the click
      onpointerdown: (e) => { if (e.button === 0) openTrace(d); },
      onclick: () => { if (state.selectedDecision !== d.id) openTrace(d); },
    },
    h('span', { class: 'feed-time' }, relTime(d.createdAt, now)),
    kindBadge(d.kind),
    h('span', { class: 'feed-main' }, h('span', { class: 'feed-company' }, d.company || d.leadId), ' ', outcome),
    h('span', { class: 'feed-meta muted small' }, `${d.mode} · #${d.attempt} · ${d.candidates} cand.`,
      d.relaxed && d.relaxed.length ? ` · relaxed ${d.relaxed.join(', ')}` : '')));
  });
  replaceKeepingFocus($('feed'), items.length ? items : [h('li', { class: 'muted empty' }, 'No decisions yet.')]);
}

function openTrace(entry) {
  state.selectedDecision = entry.id;
  for (const button of $('feed').querySelectorAll('button[aria-pressed]')) {
    button.setAttribute('aria-pressed', String(button.dataset.key === String(entry.id)));
  }
  showLeadActions($('lead-actions'), entry.leadId, { reps: (state.snapshot?.reps || []).map((r) => r.rep), nameOf: repNames(),
    authFetch, authPost, onDone: () => openTrace(entry) });
  showTrace($('trace'), entry, { nameOf: repNames(), authFetch });
  if (window.matchMedia('(max-width: 900px)').matches) $('trace-card').scrollIntoView({ behavior: 'smooth' });
}

function renderFairness(snap) {
  const fair = snap.fairness;
  $('fairness-since').textContent = fair ? `since ${new Date(fair.from).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })} · assigned leads vs weighted share` : '';
  const teams = (fair?.teams || []).filter((t) => inTeam(t.team));
  const cards = teams.map((t) => {
    const scale = Math.max(1, ...t.reps.map((r) => Math.max(r.assigned, r.expected)));
    return h('article', { class: 'fair-team', 'data-team': t.team, 'aria-label': `Fairness of ${t.team}` },
      h('header', { class: 'fair-head' },
        h('h3', {}, h('span', { class: 'swatch', style: `background:${teamColor(t.team)}`, 'aria-hidden': 'true' }), t.team),
        h('dl', { class: 'fair-stats' },
          h('div', {}, h('dt', {}, 'Assigned'), h('dd', {}, t.assigned)),
          h('div', {}, h('dt', {}, 'Max/min'), h('dd', { title: t.maxMinRatio == null ? 'a rep got none while another got some' : '' },
            t.maxMinRatio == null ? (t.assigned ? '∞' : '–') : num(t.maxMinRatio, 2))),
          h('div', {}, h('dt', {}, 'Gini'), h('dd', { class: t.gini > 0.3 && t.assigned >= 4 ? 'warn' : '' }, num(t.gini, 2))))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid fair-reps' },
        h('caption', { class: 'sr-only' }, `Assigned vs expected in ${t.team}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rep'), h('th', { scope: 'col', class: 'num' }, 'Weight'),
          h('th', { scope: 'col' }, 'Assigned vs expected'), h('th', { scope: 'col', class: 'num' }, 'Ratio'))),
        h('tbody', {}, t.reps.map((r) => h('tr', { 'data-rep': r.repId },
          h('th', { scope: 'row' }, r.name || r.repId),
          h('td', { class: 'num' }, num(r.weight, 2)),
          h('td', {}, h('span', { class: 'fair-bar', role: 'img',
            'aria-label': `${r.assigned} assigned, ${num(r.expected, 1)} expected` },
          h('span', { class: 'fair-assigned', style: `width:${(r.assigned / scale) * 100}%` }),
          h('span', { class: 'fair-expected', style: `left:${(r.expected / scale) * 100}%` })),
          h('span', { class: 'fair-text small' }, `${r.assigned} / ${num(r.expected, 1)}`)),
          h('td', { class: `num${r.ratio != null && (r.ratio > 1.5 || r.ratio < 0.5) && t.assigned >= 4 ? ' warn' : ''}` },
            r.ratio == null ? '–' : num(r.ratio, 2))))))));
  });
  $('fairness').replaceChildren(...(cards.length ? cards : [h('p', { class: 'muted' }, 'No active reps.')]));
}

// --- wiring ----------------------------------------------------------------------------------

function wire() {
  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    $('api-key').value = '';
    if (key) signIn(key);
  });
  $('sign-out').addEventListener('click', () => signOut('Signed out.', true));
  $('team-filter').addEventListener('change', (event) => {
    state.team = event.target.value;
    render();
    refreshManaged();
  });
  $('held-refresh').addEventListener('click', refreshManaged);
  $('declines-refresh').addEventListener('click', refreshManaged);
  setInterval(() => {
    refreshRelativeTimes(document.body, serverNow());
    if (state.snapshot) $('updated').textContent = `Updated ${ago(state.snapshot.at, serverNow())}`;
  }, 1000);
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => state.snapshot && renderChart(), 150);
  });
  window.addEventListener('online', () => { if (state.session && !state.socket) connect(); });

  const session = storedSession();
  if (session) start(session);
  else showSignIn();
}

wire();
