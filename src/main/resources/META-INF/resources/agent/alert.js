// Getting the rep's attention for a new offer: a short two-tone beep (WebAudio, no files) unless
// muted, and the tab title flashing while the page is in the background.

const MUTE_KEY = 'leadrouter.agent.muted';
const BASE_TITLE = 'Lead Router — Agent';

let audio = null;
let flashTimer = null;
let pendingCount = 0;

export function isMuted() {
  return localStorage.getItem(MUTE_KEY) === 'true';
}

export function setMuted(muted) {
  localStorage.setItem(MUTE_KEY, String(muted));
}

/** Browsers only allow audio after a user gesture: call this from one (sign in, any click). */
export function unlockAudio() {
  if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
  try {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  } catch (e) {
    audio = null;
  }
}

export function beep() {
  if (isMuted() || !audio) return;
  if (audio.state === 'suspended') audio.resume();
  const now = audio.currentTime;
  [[880, 0], [1175, 0.16]].forEach(([frequency, start]) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + start);
    gain.gain.exponentialRampToValueAtTime(0.18, now + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + start + 0.14);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + start);
    osc.stop(now + start + 0.15);
  });
}

/** Keeps the title showing how many offers wait; flashes it while the tab is hidden. */
export function setPendingOffers(count) {
  pendingCount = count;
  renderTitle(false);
  if (count > 0 && document.hidden) {
    startFlash();
  } else if (count === 0) {
    stopFlash();
  }
}

function renderTitle(alternate) {
  if (pendingCount === 0) {
    document.title = BASE_TITLE;
  } else if (alternate) {
    document.title = pendingCount === 1 ? '● New lead offer' : `● ${pendingCount} lead offers`;
  } else {
    document.title = `(${pendingCount}) ${BASE_TITLE}`;
  }
}

function startFlash() {
  if (flashTimer) return;
  let on = false;
  flashTimer = setInterval(() => {
    on = !on;
    renderTitle(on);
  }, 1000);
}

function stopFlash() {
  clearInterval(flashTimer);
  flashTimer = null;
  renderTitle(false);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) stopFlash();
  else if (pendingCount > 0) startFlash();
});
