// Reply and note drafts, one per ticket, kept in localStorage so they survive leaving
// the page, a reload and a crash of the tab. Files cannot be kept (the browser gives no
// lasting handle to a picked file), so a draft is the text and the message type.

const PREFIX = 'hd.draft.';
/** Drafts older than this are dropped when one is read: a month-old half sentence is noise. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** The saved draft of ticket `id` ({mode, body, savedAt}) or null. */
export function loadDraft(id, now = Date.now()) {
  try {
    const draft = JSON.parse(localStorage.getItem(PREFIX + id) || 'null');
    if (!draft || typeof draft.body !== 'string' || now - draft.savedAt > MAX_AGE_MS) return null;
    return draft;
  } catch {
    return null;
  }
}

/** Saves (or, for empty text, removes) the draft of ticket `id`. */
export function saveDraft(id, mode, body) {
  try {
    if (!body.trim()) localStorage.removeItem(PREFIX + id);
    else localStorage.setItem(PREFIX + id, JSON.stringify({ mode, body, savedAt: Date.now() }));
  } catch { /* storage full or disabled: the text stays in the box, only the safety net is gone */ }
}

/** Removes the draft of ticket `id` (it was sent). */
export function clearDraft(id) {
  try { localStorage.removeItem(PREFIX + id); } catch { /* nothing kept, nothing to clear */ }
}

const UNDO_KEY = 'hd.undoSendSeconds';
export const UNDO_CHOICES = [0, 5, 10, 20];
/** The default "Undo send" window: long enough to notice a slip, short enough not to wait. */
export const DEFAULT_UNDO_SECONDS = 5;

/** The agent's "Undo send" window in seconds (this browser's preference). */
export function undoSeconds() {
  const stored = Number(localStorage.getItem(UNDO_KEY));
  return localStorage.getItem(UNDO_KEY) !== null && UNDO_CHOICES.includes(stored) ? stored : DEFAULT_UNDO_SECONDS;
}

/** Sets the "Undo send" window (one of UNDO_CHOICES). */
export function setUndoSeconds(seconds) {
  localStorage.setItem(UNDO_KEY, String(seconds));
}
