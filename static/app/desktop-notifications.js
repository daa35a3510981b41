// Optional desktop notifications (the browser's Notification API), off until the agent
// turns them on in Preferences, which asks the browser's permission. Shown only while the
// tab is in the background: in front, the bell already says it.

const KEY = 'hd.desktopNotifications';

/** True when this browser can show them at all. */
export function desktopSupported() {
  return typeof Notification !== 'undefined';
}

/** True when the agent turned them on here and the browser allows them. */
export function desktopEnabled() {
  return desktopSupported() && localStorage.getItem(KEY) === 'on' && Notification.permission === 'granted';
}

/** Turns them on (asking the browser first) or off; resolves to the resulting state. */
export async function setDesktop(on) {
  if (!on) { localStorage.removeItem(KEY); return false; }
  if (!desktopSupported()) return false;
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') return false;
  localStorage.setItem(KEY, 'on');
  return true;
}

/** Shows `notification` (from the feed) on the desktop when enabled and the tab is hidden. */
export function desktopNotify(notification, hidden = document.hidden) {
  if (!hidden || !desktopEnabled()) return null;
  const shown = new Notification(notification.title, { tag: `hd-${notification.id}`, body: notification.ticketReference });
  shown.addEventListener('click', () => {
    window.focus();
    if (notification.ticketId) location.assign(`/tickets/${notification.ticketId}`);
  });
  return shown;
}
