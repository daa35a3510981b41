import { html, render } from '../app/html.js';
import { store, can } from '../app/store.js';
import { api } from '../app/api.js';
import { resolve, navigate, onRoute, visibleNavItems, currentPlace } from '../app/router.js';
import { define as defineNotifications } from './hd-notifications.js';
import { define as defineUserMenu } from './hd-user-menu.js';
import { define as defineLiveStatus } from './hd-live-status.js';
import { isShortcut } from '../app/shortcuts.js';
import { showShortcuts } from './hd-shortcuts.js';
import { followTitle } from '../app/title.js';
import { takeEarly } from '../app/boot.js';
import { define as defineGlobalSearch } from './hd-global-search.js';
import { reloadIfReplaced } from '../app/app-version.js';

/**
 * The app shell: top bar (brand, navigation, search, notifications, user menu) and the
 * page of the current route in <main>. Sends signed-out agents to the login page with
 * the place to come back to.
 */
export class App extends HTMLElement {
  #cleanup = [];
  #page = null;
  #pageKey = '';
  #goPressed = 0;

  connectedCallback() {
    this.#cleanup = [
      onRoute(() => this.update()),
      store.subscribe((keys) => {
        if (keys.includes('session')) this.update(true);
        else if (keys.includes('account')) this.showBrand();
      }),
    ];
    document.addEventListener('keydown', this);
    this.#cleanup.push(followTitle());
    this.update(true);
  }

  disconnectedCallback() {
    this.#cleanup.forEach((stop) => stop());
    document.removeEventListener('keydown', this);
  }

  async update(sessionChanged = false) {
    const session = store.state.session;
    const focusedAtStart = document.activeElement;
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
    if (route.load) await route.load().catch(reloadIfReplaced);
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
    const main = this.querySelector('main.app-main');
    const moved = main.childElementCount > 0;
    main.replaceChildren(this.#page);
    this.markNav();
    // After an in-app move, focus starts at the new page (as a page load would), so the
    // next Tab is inside it and a screen reader hears where the agent is; unless the agent
    // moved focus elsewhere while the page loaded (opened the bell, say).
    const focused = document.activeElement;
    const untouched = focused === focusedAtStart || focused === document.body || !focused?.isConnected;
    if (moved && untouched && !this.#page.contains(focused)) main.focus({ preventScroll: true });
  }

  async loadShared() {
    const early = (key, path) => (takeEarly(key) ?? api(path));
    const [agents, account] = await Promise.all([early('agents', '/api/agents').catch(() => []), early('account', '/api/account').catch(() => null)]);
    store.set({ agents, account });
  }

  showBrand() {
    const brand = this.querySelector('.brand');
    if (brand) render(this.brand(), brand);
  }

  /** The account's logo (when it has one) and name. */
  brand() {
    const account = store.state.account;
    const name = account?.name || 'Help desk';
    return html`${account?.logoUrl ? html`<img class="brand-logo" src="${account.logoUrl}" alt="">` : ''}<span class="brand-name">${name}</span>`;
  }

  renderShell() {
    const { agent } = store.state.session;
    render(html`
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/tickets">${this.brand()}</a>
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

  /** `/` focuses search, `c` opens a new ticket, `?` lists the shortcuts, `g t` / `g b` go to tickets / the board. */
  shortcut(event) {
    if (!isShortcut(event) || !store.state.session) return;
    const afterG = Date.now() - this.#goPressed < 1500;
    this.#goPressed = 0;
    if (event.key === '?') {
      event.preventDefault();
      showShortcuts();
    } else if (event.key === 'g') {
      this.#goPressed = Date.now();
    } else if (afterG && (event.key === 't' || event.key === 'b')) {
      event.preventDefault();
      navigate(event.key === 't' ? '/tickets' : '/board');
    } else if (event.key === '/') {
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
