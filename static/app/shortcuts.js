// Single-key shortcuts: what they do is listed once here for the `?` overlay, and the
// screens bind their own (the list binds j/k, the ticket page r/n/i/s). A key never fires
// while the agent types in a field, has a dialog open or holds a modifier.

/** Every shortcut by screen, as the `?` overlay lists them. */
export const SHORTCUTS = [
  { screen: 'Everywhere', keys: [['?', 'Show these shortcuts'], ['/', 'Search tickets'], ['c', 'New ticket'], ['g then t', 'Go to tickets'], ['g then b', 'Go to the board']] },
  { screen: 'Ticket list', keys: [['j', 'Next ticket'], ['k', 'Previous ticket'], ['Enter', 'Open the ticket'], ['x', 'Select or unselect the ticket']] },
  { screen: 'Ticket page', keys: [['r', 'Reply to the customer'], ['n', 'Write an internal note'], ['i', 'Assign to me'], ['s', 'Change the status'],
    ['Ctrl+Enter', 'Send'], ['Escape', 'Leave the message box (the draft stays)'], ['u', 'Back to the ticket list']] },
];

/** True when `event` is a plain key press meant as a shortcut (not typing, no modifier, no dialog). */
export function isShortcut(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target;
  if (target.closest?.('input, textarea, select, [contenteditable], dialog, [role="listbox"]')) return false;
  return !document.querySelector('dialog[open]');
}
