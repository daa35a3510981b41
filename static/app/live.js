// The one WebSocket of this tab to /api/live (protocol.md section 2). Screens ask for
// rooms with `live.join(room)` and call the returned release function when they leave;
// rooms are reference-counted, so two screens sharing `board` subscribe once. Protocol
// messages become store actions of the same name; the connection state is
// `store.state.live` ('connecting', 'connected', 'reconnecting' or 'offline').
import { store } from './store.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

class Live {
  #socket = null;
  #rooms = new Map(); // room -> { count, seq }
  #retries = 0;
  #retryTimer = null;
  #heartbeat = null;
  #running = false;
  #onOnline = () => { if (this.#running && !this.#socket) this.#connectNow(); };

  /** Opens the socket (after sign-in); harmless when already running. */
  start() {
    if (this.#running) return;
    this.#running = true;
    window.addEventListener('online', this.#onOnline);
    this.#open();
  }

  /** Closes the socket and forgets every room (on sign-out). */
  stop() {
    this.#running = false;
    window.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    this.#rooms.clear();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000);
    store.set({ live: 'offline' });
  }

  /** Follows `room` for a screen; returns the function that releases it. */
  join(room) {
    const entry = this.#rooms.get(room) || { count: 0, seq: null };
    entry.count += 1;
    this.#rooms.set(room, entry);
    if (entry.count === 1) this.#subscribe(room, entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.count -= 1;
      if (entry.count > 0 || this.#rooms.get(room) !== entry) return;
      this.#rooms.delete(room);
      this.send({ type: 'unsubscribe', room });
    };
  }

  /** The latest `viewers` and `typing` of a followed ticket room (for screens drawn after `subscribed`). */
  people(room) {
    const entry = this.#rooms.get(room);
    return { viewers: entry?.viewers || [], typing: entry?.typing || [] };
  }

  /** Sends a client message when connected; returns false otherwise (it is not queued). */
  send(message) {
    if (store.state.live !== 'connected' || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Drops the connection as a network failure would (for tests and diagnostics). */
  drop() {
    this.#socket?.close(4000, 'dropped by the client');
  }

  #subscribe(room, entry) {
    const message = { type: 'subscribe', room };
    if (entry.seq !== null) message.since = entry.seq;
    this.send(message);
  }

  #open() {
    store.set({ live: this.#retries === 0 ? 'connecting' : 'reconnecting' });
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/live`);
    this.#socket = socket;
    socket.addEventListener('message', (event) => { if (this.#socket === socket) this.#receive(event.data); });
    socket.addEventListener('close', () => { if (this.#socket === socket) this.#closed(); });
  }

  #closed() {
    this.#socket = null;
    clearInterval(this.#heartbeat);
    for (const entry of this.#rooms.values()) Object.assign(entry, { viewers: [], typing: [] });
    if (!this.#running) return;
    store.set({ live: 'reconnecting' });
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#retries);
    this.#retries += 1;
    // Full jitter in the upper half: clients dropped together do not return together.
    this.#retryTimer = setTimeout(() => this.#open(), ceiling / 2 + Math.random() * ceiling / 2);
  }

  #connectNow() {
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  #receive(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    const entry = message.room ? this.#rooms.get(message.room) : null;
    switch (message.type) {
      case 'hello': return this.#hello(message);
      case 'event':
        if (!entry) return;
        if (entry.seq !== null && message.seq <= entry.seq) return;
        entry.seq = message.seq;
        return store.act('event', message);
      case 'subscribed':
        if (!entry) return;
        if (entry.seq === null || message.seq > entry.seq) entry.seq = message.seq;
        Object.assign(entry, { viewers: message.viewers, typing: message.typing });
        return store.act('subscribed', message);
      case 'resync':
        if (!entry) return;
        entry.seq = message.seq;
        return store.act('resync', message);
      case 'presence': case 'typing':
        if (!entry) return undefined;
        entry[message.type === 'presence' ? 'viewers' : 'typing'] = message[message.type === 'presence' ? 'viewers' : 'typing'];
        return store.act(message.type, message);
      case 'viewing':
        if (entry) store.act(message.type, message);
        return undefined;
      case 'error': return console.warn('live:', message.code, message.message);
      default: return undefined;
    }
  }

  #hello(message) {
    this.#retries = 0;
    store.set({ live: 'connected', liveUser: message.user });
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => this.send({ type: 'ping' }), (message.heartbeatSeconds || 20) * 1000);
    for (const [room, entry] of this.#rooms) this.#subscribe(room, entry);
  }
}

export const live = new Live();

/** The signed-in agent's id, to tell "me" from colleagues in presence lists. */
export function myId() {
  return store.state.session?.agent?.id ?? store.state.liveUser?.userId;
}
