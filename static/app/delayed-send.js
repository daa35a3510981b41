// "Undo send": a message leaves the composer at once but is posted only after a few
// seconds, during which the agent can take it back. The countdown lives in the page; a
// reload during it keeps the text as a draft (it was never posted), never sends it twice.

export class DelayedSend {
  #timer = null;
  #tick = null;
  #run = null;

  /** True while a message waits for its window to end. */
  get pending() { return this.#run !== null; }

  /**
   * Runs `run()` after `seconds` (at once for 0); `onTick(left)` each second meanwhile.
   * Only one message waits at a time: a second send flushes the first.
   */
  start(seconds, run, onTick = () => {}) {
    this.flush();
    if (seconds <= 0) return run();
    this.#run = run;
    let left = seconds;
    onTick(left);
    this.#tick = setInterval(() => { left -= 1; if (left > 0) onTick(left); }, 1000);
    this.#timer = setTimeout(() => this.flush(), seconds * 1000);
    return null;
  }

  /** Sends the waiting message now; returns what `run()` returned (or null). */
  flush() {
    const run = this.#run;
    this.#clear();
    return run ? run() : null;
  }

  /** Takes the waiting message back; true when there was one. */
  cancel() {
    const had = this.#run !== null;
    this.#clear();
    return had;
  }

  #clear() {
    clearTimeout(this.#timer);
    clearInterval(this.#tick);
    this.#timer = null;
    this.#tick = null;
    this.#run = null;
  }
}
