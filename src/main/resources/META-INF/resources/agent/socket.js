// The agent socket: one WebSocket to /ws/agent, the rep token carried in the sub-protocol list,
// reconnecting with exponential backoff and jitter until it is told to stop.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
/** Handshakes refused in a row, with the server reachable, before the token is taken as rejected. */
const REFUSALS_BEFORE_REJECTED = 2;
/** Close code the server uses for a rep that may not connect: deactivated, or its sign-in revoked (reason 'token revoked'). */
export const CLOSE_REP_INACTIVE = 4403;

/** The delay before reconnect attempt n (0-based): 0.5 s doubling to a 10 s cap, with jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}

export function socketUrl(location) {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/agent`;
}

/**
 * States reported to onState: {state: 'connecting' | 'live' | 'reconnecting' | 'stopped', retryAt?,
 * reason?} — 'stopped' carries reason 'signed-out', 'rejected' (bad token), 'inactive' or 'revoked' (4403).
 */
export class AgentConnection {
  constructor({ url, token, onFrame, onState, probe = serverReachable }) {
    this.url = url;
    this.token = token;
    this.onFrame = onFrame;
    this.onState = onState;
    this.probe = probe;
    this.ws = null;
    this.attempt = 0;
    this.refusals = 0;
    this.timer = null;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    this.onState({ state: 'connecting' });
    let ws;
    try {
      ws = new WebSocket(this.url, ['bearer-token-carrier',
        encodeURI('quarkus-http-upgrade#Authorization#Bearer ' + this.token)]);
    } catch (e) {
      this.stop('rejected');
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type === 'welcome') {
        this.attempt = 0;
        this.refusals = 0;
        this.onState({ state: 'live' });
      }
      this.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (event.code === CLOSE_REP_INACTIVE) {
        this.stop(event.reason === 'token revoked' ? 'revoked' : 'inactive');
        return;
      }
      if (opened) {
        this.refusals = 0;
        this.scheduleReconnect();
        return;
      }
      // The upgrade failed. A browser cannot tell a refused token from a server that is down, so
      // ask whether the server answers plain HTTP: if it does, the refusal was about us.
      this.probe().then((reachable) => {
        if (this.stopped || this.ws) return;
        this.refusals = reachable ? this.refusals + 1 : 0;
        if (this.refusals >= REFUSALS_BEFORE_REJECTED) {
          this.stop('rejected');
        } else {
          this.scheduleReconnect();
        }
      });
    };
  }

  scheduleReconnect() {
    const delay = backoffDelay(this.attempt++);
    this.onState({ state: 'reconnecting', retryAt: Date.now() + delay });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Reconnect at once (the "Retry now" button). */
  retryNow() {
    if (!this.stopped && !this.ws) this.connect();
  }

  /** Close the current socket as a network drop would; the connection reconnects by itself. */
  drop() {
    if (this.ws) this.ws.close(4000, 'dropped by the client');
  }

  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  get open() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  stop(reason = 'signed-out') {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000, reason);
    this.onState({ state: 'stopped', reason });
  }
}

async function serverReachable() {
  try {
    const response = await fetch('/agent/agent.css', { method: 'HEAD', cache: 'no-store' });
    return response.ok;
  } catch (e) {
    return false;
  }
}
