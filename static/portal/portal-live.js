// The portal's live socket (protocol.md section 3): sends the token first, pings every
// `heartbeatSeconds`, reconnects with backoff, and stops for good on 4401 (the link no
// longer opens the ticket). Events go to `onEvent`; state changes to `onState`.
import { linkToken } from './portal-api.js';

const LINK_INVALID = 4401;
const MAX_BACKOFF_MS = 30_000;

export class PortalLive {
  #socket = null;
  #ping = null;
  #retry = 0;
  #stopped = false;

  constructor({ onEvent, onState }) {
    this.onEvent = onEvent;
    this.onState = onState;
  }

  start() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/portal/live`);
    this.#socket = socket;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: linkToken() })));
    socket.addEventListener('message', (event) => this.#message(JSON.parse(event.data)));
    socket.addEventListener('close', (event) => this.#closed(event.code));
  }

  stop() {
    this.#stopped = true;
    clearInterval(this.#ping);
    this.#socket?.close(1000);
  }

  #message(message) {
    if (message.type === 'welcome') {
      this.#retry = 0;
      clearInterval(this.#ping);
      this.#ping = setInterval(() => this.#socket.send('{"type":"ping"}'), message.heartbeatSeconds * 1000);
      this.onState('live');
    } else if (message.type === 'message' || message.type === 'status') {
      this.onEvent(message);
    }
  }

  #closed(code) {
    clearInterval(this.#ping);
    if (this.#stopped) return;
    if (code === LINK_INVALID) { this.onState('ended'); return; }
    this.onState('offline');
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.#retry++) * (0.5 + Math.random() / 2);
    setTimeout(() => { if (!this.#stopped) this.start(); }, delay);
  }
}
