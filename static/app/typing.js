// The composer's typing signal: tells the page that the agent is writing (at most every
// 3 s, the repeat protocol.md asks for; the server forgets typing after 8 s without one)
// and when they stopped.

const REPEAT_MS = 3000;

export class TypingSignal {
  #element;
  #sentAt = 0;
  #mode = null;

  /** Signals through `composing` / `composing-stop` events bubbling from `element`. */
  constructor(element) { this.#element = element; }

  /** The agent typed in `mode` ('reply' or 'note'); `writing` false means the box is empty. */
  typed(mode, writing) {
    if (!writing) return this.stop();
    const now = Date.now();
    if (this.#mode === mode && now - this.#sentAt < REPEAT_MS) return;
    this.#sentAt = now;
    this.#mode = mode;
    this.#element.dispatchEvent(new CustomEvent('composing', { bubbles: true, detail: { composing: mode } }));
  }

  /** True after a `composing` signal until `stop()`. */
  get active() { return this.#mode !== null; }

  /** The agent sent, cleared the box or left. */
  stop() {
    if (this.#mode === null) return;
    this.#mode = null;
    this.#sentAt = 0;
    this.#element.dispatchEvent(new CustomEvent('composing-stop', { bubbles: true }));
  }
}
