import { html, render } from '../app/html.js';
import { store } from '../app/store.js';
import { api } from '../app/api.js';
import { live } from '../app/live.js';
import { navigate } from '../app/router.js';
import { relative, formatDateTime } from '../app/format.js';
import { desktopNotify } from '../app/desktop-notifications.js';
import { icon } from '../app/icons.js';

const ROOM = 'notifications';

/**
 * The notification bell: the unread count, the feed (`GET /api/notifications`) with live
 * additions from the `notifications` room (and, when the agent opted in, a desktop
 * notification while the tab is in the background), read marks, and a link to the
 * preferences page. Only clicks (and Enter or Space on a control, which click) act: a Tab
 * through the panel never opens, marks or follows anything. Escape closes it.
 * State: `store.state.notifications` and `store.state.unreadCount`.
 */
export class Notifications extends HTMLElement {
  #stops = [];

  connectedCallback() {
    render(html`
      <button type="button" class="icon-button bell" aria-expanded="false" aria-controls="notification-panel">
        ${icon('bell')}<span class="visually-hidden bell-label">Notifications</span>
        <span class="badge" aria-hidden="true" hidden></span>
      </button>
      <section id="notification-panel" class="popover bell-panel" role="region" aria-label="Notifications" hidden>
        <div class="notification-head"><h2 class="popover-title">Notifications</h2>
          <button type="button" class="link-button" data-action="read-all">Mark all as read</button>
          <a class="link-button" href="/preferences" data-action="prefs">Preferences</a></div>
        <ul class="notification-list" aria-live="polite"></ul>
      </section>`, this);
    this.#stops = [
      store.subscribe((keys) => { if (keys.includes('notifications') || keys.includes('unreadCount')) this.update(); }),
      store.on('event', (message) => { if (message.room === ROOM) this.arrived(message.event); }),
      store.on('resync', (message) => { if (message.room === ROOM) this.load(); }),
      live.join(ROOM),
    ];
    for (const type of ['click', 'keydown', 'focusout']) this.addEventListener(type, this);
    document.addEventListener('click', this);
    this.load();
  }

  disconnectedCallback() {
    this.#stops.forEach((stop) => stop());
    for (const type of ['click', 'keydown', 'focusout']) this.removeEventListener(type, this);
    document.removeEventListener('click', this);
  }

  async load() {
    try {
      const feed = await api('/api/notifications?limit=30');
      store.set({ notifications: feed.notifications, unreadCount: feed.unreadCount });
    } catch {
      store.set({ notifications: [], unreadCount: 0 });
    }
  }

  arrived(event) {
    if (event.kind !== 'notification.created') return;
    const known = store.state.notifications || [];
    const rest = known.filter((item) => item.id !== event.notification.id);
    store.set({ notifications: [event.notification, ...rest], unreadCount: event.unreadCount });
    desktopNotify(event.notification);
  }

  update() {
    const items = store.state.notifications || [];
    const unread = store.state.unreadCount || 0;
    const badge = this.querySelector('.badge');
    badge.hidden = unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    this.querySelector('.bell-label').textContent = unread ? `Notifications, ${unread} unread` : 'Notifications';
    this.querySelector('[data-action="read-all"]').hidden = unread === 0;
    render(items.length ? items.map((item) => html`<li class="${item.readAt ? '' : 'unread'}">
        <a href="${item.ticketId ? `/tickets/${item.ticketId}` : '/tickets'}" data-notification="${item.id}">
          ${item.readAt ? '' : html`<span class="visually-hidden">Unread: </span>`}${item.title}
          <time datetime="${item.createdAt}" title="${formatDateTime(item.createdAt)}">${item.ticketReference} · ${relative(item.createdAt)}</time></a></li>`)
      : html`<li class="muted">No notifications</li>`, this.querySelector('.notification-list'));
  }

  async markRead(body) {
    try {
      const { unreadCount } = await api('/api/notifications/read', { method: 'POST', body });
      const now = new Date().toISOString();
      const read = (item) => (body.all || body.ids.includes(item.id) ? { ...item, readAt: item.readAt || now } : item);
      store.set({ notifications: (store.state.notifications || []).map(read), unreadCount });
    } catch { /* the badge stays as it was; the next load corrects it */ }
  }

  toggle(open) {
    this.querySelector('button.bell').setAttribute('aria-expanded', String(open));
    this.querySelector('.popover').hidden = !open;
  }

  handleEvent(event) {
    const inside = this.contains(event.target);
    const target = event.target.closest?.('[data-action], [data-notification], button.bell');
    if (event.type === 'focusout') {
      // Tabbing out of the panel closes it (a disclosure, not a trap); moving within keeps it.
      if (event.relatedTarget && !this.contains(event.relatedTarget)) this.toggle(false);
    } else if (event.type === 'keydown') {
      // Only Escape: Tab and every other key move focus or type, they never act.
      if (event.key !== 'Escape' || this.querySelector('.popover').hidden) return;
      this.toggle(false);
      this.querySelector('button.bell').focus();
    } else if (event.currentTarget === document) {
      if (!inside) this.toggle(false);
    } else if (target?.matches('button.bell')) {
      this.toggle(this.querySelector('.popover').hidden);
    } else if (target?.dataset.action === 'read-all') {
      this.markRead({ all: true });
    } else if (target?.dataset.action === 'prefs') {
      this.toggle(false);
    } else if (target?.dataset.notification) {
      event.preventDefault();
      const id = Number(target.dataset.notification);
      if (!store.state.notifications.find((item) => item.id === id)?.readAt) this.markRead({ ids: [id] });
      this.toggle(false);
      navigate(target.getAttribute('href'));
    }
  }
}

export function define() {
  if (!customElements.get('hd-notifications')) customElements.define('hd-notifications', Notifications);
}
