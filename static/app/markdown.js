// The user guide's Markdown, a small subset rendered through the escaping `html` template
// (so article text can never become markup): # ## ### headings, paragraphs, "- " and "1. "
// lists, > notes, **bold**, `code`, [links](/path or https://...) and ![images](images/x.png)
// from the guide's own image folder. Anything else is plain text.
import { html } from './html.js';

// Beside this module, so the screenshots are of the same app version (app/app-version.js).
const IMAGE_FOLDER = new URL('../guide/', import.meta.url).pathname;

/** A link target the guide may use: an app path or an http(s) URL; null otherwise. */
function safeHref(href) {
  if (/^\/(?!\/)/.test(href)) return href;
  return /^https?:\/\//i.test(href) ? href : null;
}

/** Inline markup of one line of text: code, bold, images and links. */
export function inline(text) {
  const parts = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|!\[([^\]]*)\]\(([\w./-]+)\)|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    const [, code, bold, alt, src, label, href] = match;
    if (code !== undefined) parts.push(html`<code>${code}</code>`);
    else if (bold !== undefined) parts.push(html`<strong>${bold}</strong>`);
    else if (src !== undefined) parts.push(src.includes('..') ? alt : html`<img src="${IMAGE_FOLDER + src}" alt="${alt}" loading="lazy">`);
    else {
      const safe = safeHref(href);
      parts.push(safe ? html`<a href="${safe}">${label}</a>` : label);
    }
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** The article `source` as a Template. */
export function markdown(source) {
  const blocks = [];
  let list = null;
  let paragraph = [];
  const flushParagraph = () => {
    if (paragraph.length) blocks.push(html`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push(list.ordered ? html`<ol>${list.items}</ol>` : html`<ul>${list.items}</ul>`);
    list = null;
  };
  for (const raw of source.split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    const item = /^(?:(- )|(\d+)\. )(.+)$/.exec(line);
    if (!line.trim()) { flushParagraph(); flushList(); continue; }
    if (heading) {
      flushParagraph(); flushList();
      const level = heading[1].length;
      const text = inline(heading[2]);
      blocks.push(level === 1 ? html`<h1>${text}</h1>` : level === 2 ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);
    } else if (item) {
      flushParagraph();
      const ordered = item[1] === undefined;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(html`<li>${inline(item[3])}</li>`);
    } else if (line.startsWith('> ')) {
      flushParagraph(); flushList();
      blocks.push(html`<p class="guide-note">${inline(line.slice(2))}</p>`);
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return html`${blocks}`;
}

/** Plain text of `source` for searching: the markup characters removed. */
export function plainText(source) {
  return source.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/[#*`>]/g, ' ');
}
