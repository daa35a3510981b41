import { html, render } from '../app/html.js';
import { markdown, plainText } from '../app/markdown.js';
import { navigate } from '../app/router.js';

// Beside this module, so the guide is of the same app version (app/app-version.js).
const GUIDE = new URL('../guide/', import.meta.url).pathname;
const SNIPPET_CHARS = 160;

let loaded = null;

/** Every article: { slug, title, summary, source, text } (fetched once per page load). */
function articles() {
  loaded ??= (async () => {
    const index = await (await fetch(`${GUIDE}articles.json`, { credentials: 'same-origin' })).json();
    return Promise.all(index.articles.map(async (article) => {
      const source = await (await fetch(`${GUIDE}${article.slug}.md`, { credentials: 'same-origin' })).text();
      return { ...article, source, text: plainText(source) };
    }));
  })().catch((error) => { loaded = null; throw error; });
  return loaded;
}

/**
 * Ranks `list` for `query`: every word must occur in the title, summary or text; a title
 * hit counts most. Returns [{ article, snippet }], best first.
 */
export function searchArticles(list, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const scored = [];
  for (const article of list) {
    const title = article.title.toLowerCase();
    const body = `${article.summary} ${article.text}`.toLowerCase();
    if (!words.every((word) => title.includes(word) || body.includes(word))) continue;
    const score = words.reduce((sum, word) => sum + (title.includes(word) ? 10 : 0) + body.split(word).length - 1, 0);
    const at = Math.max(0, body.indexOf(words[0]) - 40);
    const snippet = `${at > 0 ? '…' : ''}${`${article.summary} ${article.text}`.slice(at, at + SNIPPET_CHARS).replace(/\s+/g, ' ').trim()}…`;
    scored.push({ article, snippet, score });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/**
 * The user guide at /help and /help/:slug: the article list with a search box (as you
 * type, over every article's text) and the chosen article, rendered from the guide's
 * Markdown through the escaping template. Screenshots in it are taken by the browser tests.
 */
export class Help extends HTMLElement {
  params = {};
  #list = [];

  connectedCallback() {
    this.addEventListener('input', this);
    this.addEventListener('submit', this);
    this.load();
  }

  disconnectedCallback() {
    this.removeEventListener('input', this);
    this.removeEventListener('submit', this);
  }

  async load() {
    try {
      this.#list = await articles();
    } catch (error) {
      render(html`<section class="page narrow"><h1>Help</h1><p class="field-error" role="alert">The guide could not be loaded: ${error.message}</p></section>`, this);
      return;
    }
    const article = this.#list.find((candidate) => candidate.slug === this.params.slug);
    document.title = `${article ? article.title : 'User guide'} · Help desk`;
    render(html`<section class="page help-page">
      <aside class="help-index" aria-label="Guide articles">
        <form role="search" class="help-search" data-form="help-search">
          <label for="help-search">Search the guide</label>
          <input id="help-search" type="search" autocomplete="off" aria-controls="help-results">
        </form>
        <div id="help-results" aria-live="polite"></div>
        <nav aria-label="Articles"><ul class="help-articles">${this.#list.map((item) => html`<li><a href="/help/${item.slug}"
          ${item === article ? html`aria-current="page"` : ''}>${item.title}</a></li>`)}</ul></nav>
      </aside>
      <article class="help-article">${article ? markdown(article.source) : this.overview()}</article>
    </section>`, this);
    if (this.params.slug && !article) {
      render(html`<h1>No such article</h1><p>Pick one from the list.</p>`, this.querySelector('.help-article'));
    }
  }

  overview() {
    return html`<h1>User guide</h1><p>How the help desk works, screen by screen. Search above, or start with an article:</p>
      <ul class="help-overview">${this.#list.map((item) => html`<li><a href="/help/${item.slug}">${item.title}</a> <span class="muted">${item.summary}</span></li>`)}</ul>`;
  }

  showResults(query) {
    const results = searchArticles(this.#list, query);
    const target = this.querySelector('#help-results');
    if (!query.trim()) return render('', target);
    render(results.length ? html`<p class="muted">${results.length} article${results.length === 1 ? '' : 's'} found</p>
      <ul class="help-results">${results.map(({ article, snippet }) => html`<li><a href="/help/${article.slug}">${article.title}</a>
        <p class="muted">${snippet}</p></li>`)}</ul>` : html`<p class="muted">No article mentions “${query}”.</p>`, target);
  }

  handleEvent(event) {
    if (event.type === 'input' && event.target.id === 'help-search') this.showResults(event.target.value);
    else if (event.type === 'submit' && event.target.dataset.form === 'help-search') {
      event.preventDefault();
      const [first] = searchArticles(this.#list, this.querySelector('#help-search').value);
      if (first) navigate(`/help/${first.article.slug}`);
    }
  }
}

export function define() {
  if (!customElements.get('hd-help')) customElements.define('hd-help', Help);
}
