// The app's state: one EventTarget that announces every change. Components read
// `store.state`, subscribe with `store.subscribe(listener)` on connect and call the
// returned function on disconnect.

class Store extends EventTarget {
  #state = { session: null, agents: [], account: null };

  get state() { return this.#state; }

  /** Merges `patch` into the state and tells subscribers which keys changed. */
  set(patch) {
    this.#state = { ...this.#state, ...patch };
    this.dispatchEvent(new CustomEvent('change', { detail: Object.keys(patch) }));
  }

  /** Calls `listener(keys)` after each change; returns the unsubscribe function. */
  subscribe(listener) {
    const handler = (event) => listener(event.detail);
    this.addEventListener('change', handler);
    return () => this.removeEventListener('change', handler);
  }

  /**
   * Announces a live protocol message as an action named after its `type` in
   * protocol.md (`event`, `presence`, `typing`, `viewing`, `subscribed`, `resync`).
   */
  act(type, message) {
    this.dispatchEvent(new CustomEvent(`action:${type}`, { detail: message }));
  }

  /** Calls `listener(message)` for each `type` action; returns the unsubscribe function. */
  on(type, listener) {
    const handler = (event) => listener(event.detail);
    this.addEventListener(`action:${type}`, handler);
    return () => this.removeEventListener(`action:${type}`, handler);
  }
}

export const store = new Store();

/** True when the signed-in agent holds `permission`. */
export function can(permission) {
  return store.state.session?.permissions?.includes(permission) ?? false;
}

/** True when the agent may open any settings screen. */
export function canOpenSettings() {
  return ['users.manage', 'roles.manage', 'account.manage', 'sla.manage', 'canned.manage', 'assignment.manage', 'workflow.manage'].some(can);
}
