import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { api } from '../app/api.js';
import { resolve, navigate, onRoute, visibleNavItems, currentPlace } from '../app/router.js';
import { define as defineNotifications } from './hd-notifications.js';
import { define as defineUserMenu } from './hd-user-menu.js';
import { define as defineLiveStatus } from './hd-live-status.js';
import { define as defineGlobalSearch } from './hd-global-search.js';

/**
 * The app shell: top bar (brand, navigation, search, notifications, user menu) and the
 * page of the current route in <main>. Sends signed-out agents to the login page with
 * the place to come back to.
 */
export class App extends HTMLElement {
  #cleanup = [];
  #page = null;
  #pageKey = '';

  connectedCallback() {
    this.#cleanup = [
      onRoute(() => this.update()),
      store.subscribe((keys) => {
        if (keys.includes('session')) this.update(true);
        else if (keys.includes('account')) this.showBrand();
      }),
    ];
    document.addEventListener('keydown', this);
    this.update(true);
  }

  disconnectedCallback() {
    this.#cleanup.forEach((stop) => stop());
    document.removeEventListener('keydown', this);
  }

  async update(sessionChanged = false) {
    const session = store.state.session;
    if (location.pathname === '/') return navigate('/tickets', { replace: true });
    const { route, tag, params } = resolve();
    if (!route.anonymous && !session) {
      return navigate(`/login?next=${encodeURIComponent(currentPlace())}`, { replace: true });
    }
    if (route.anonymous && session && route.tag === 'hd-login') {
      const next = new URLSearchParams(location.search).get('next') || '';
      return navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/tickets', { replace: true });
    }
    const needsShell = !route.bare && session && (sessionChanged || !this.querySelector('main.app-main'));
    if (needsShell) await this.loadShared();
    if (route.load) await route.load();
    const key = `${tag}|${JSON.stringify(params)}|${route.bare}`;
    if (key === this.#pageKey && !needsShell) {
      this.#page?.routeChanged?.();
      this.markNav();
      return;
    }
    this.#pageKey = key;
    this.#page = document.createElement(tag);
    this.#page.params = params;
    if (route.bare || !session) {
      this.replaceChildren(this.#page);
      return;
    }
    if (needsShell) this.renderShell();
    this.querySelector('main.app-main').replaceChildren(this.#page);
    this.markNav();
  }

  async loadShared() {
    const [agents, account] = await Promise.all([api('/api/agents').catch(() => []), api('/api/account').catch(() => null)]);
    store.set({ agents, account });
  }

  showBrand() {
    const brand = this.querySelector('.brand');
    if (brand) brand.textContent = store.state.account?.name || 'Help desk';
  }

  renderShell() {
    const { agent } = store.state.session;
    const brand = store.state.account?.name || 'Help desk';
    render(html`
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/tickets">${brand}</a>
        <nav class="mainnav" aria-label="Main">
          <ul>${visibleNavItems().map((item) => html`<li><a href="${item.href}" data-match="${item.match}">${item.label}</a></li>`)}</ul>
        </nav>
        <hd-global-search></hd-global-search>
        ${can('ticket.create') ? html`<a class="button primary new-ticket" href="/tickets/new" aria-keyshortcuts="c">New ticket</a>` : ''}
        <hd-live-status></hd-live-status>
        <hd-notifications></hd-notifications>
        <hd-user-menu data-name="${agent.name}"></hd-user-menu>
      </header>
      <main id="main" class="app-main" tabindex="-1"></main>`, this);
  }

  markNav() {
    for (const link of this.querySelectorAll('.mainnav a')) {
      const current = location.pathname.startsWith(link.dataset.match);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const search = this.querySelector('#global-search');
    if (search && document.activeElement !== search) {
      search.value = location.pathname === '/tickets' ? new URLSearchParams(location.search).get('q') || '' : '';
    }
  }

  handleEvent(event) {
    if (event.type === 'keydown') {
      this.shortcut(event);
    }
  }

  /** `/` focuses search and `c` opens a new ticket, unless the agent is typing. */
  shortcut(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest?.('input, textarea, select, [contenteditable], dialog');
    if (typing || !store.state.session) return;
    if (event.key === '/') {
      event.preventDefault();
      this.querySelector('#global-search')?.focus();
    } else if (event.key === 'c' && can('ticket.create')) {
      event.preventDefault();
      navigate('/tickets/new');
    }
  }
}

export function define() {
  defineNotifications();
  defineUserMenu();
  defineLiveStatus();
  defineGlobalSearch();
  if (!customElements.get('hd-app')) customElements.define('hd-app', App);
}
