import { html, render } from '../app/html.js';
import { OPTIONAL_COLUMNS, listDensity, setListDensity, visibleColumns, setVisibleColumns } from '../app/list-layout.js';

/**
 * How the ticket list looks on this computer: rows compact or comfortable (two toggle
 * buttons) and which columns show (a "Columns" panel of checkboxes; Escape closes it).
 * Saved in localStorage; emits `layout-change` {density, columns} after each change.
 */
export class ListTools extends HTMLElement {
  connectedCallback() {
    this.render();
    for (const type of ['click', 'change', 'keydown']) this.addEventListener(type, this);
    document.addEventListener('click', this);
  }

  disconnectedCallback() {
    for (const type of ['click', 'change', 'keydown']) this.removeEventListener(type, this);
    document.removeEventListener('click', this);
  }

  render() {
    const density = listDensity();
    const shown = visibleColumns();
    render(html`
      <div class="density-toggle" role="group" aria-label="Row density">
        <button type="button" class="button small" data-density="compact" aria-pressed="${density === 'compact'}">Compact</button>
        <button type="button" class="button small" data-density="comfortable" aria-pressed="${density === 'comfortable'}">Comfortable</button>
      </div>
      <div class="columns-chooser">
        <button type="button" class="button small" data-action="columns" aria-expanded="false" aria-controls="column-choices">Columns</button>
        <fieldset id="column-choices" class="popover column-choices" hidden><legend>Columns shown</legend>
          ${OPTIONAL_COLUMNS.map(([key, text]) => html`<label><input type="checkbox" name="column" value="${key}" ${shown.has(key) ? html`checked` : ''}> ${text} column</label>`)}
        </fieldset>
      </div>`, this);
  }

  open(opened) {
    this.querySelector('.column-choices').hidden = !opened;
    this.querySelector('[data-action="columns"]').setAttribute('aria-expanded', String(opened));
    if (opened) this.querySelector('.column-choices input')?.focus();
  }

  emit() {
    this.dispatchEvent(new CustomEvent('layout-change', { bubbles: true, detail: { density: listDensity(), columns: visibleColumns() } }));
  }

  handleEvent(event) {
    const { type, target } = event;
    if (type === 'click' && event.currentTarget === document) {
      if (!this.contains(target)) this.open(false);
    } else if (type === 'click' && target.closest('[data-density]')) {
      setListDensity(target.closest('[data-density]').dataset.density);
      for (const button of this.querySelectorAll('[data-density]')) button.setAttribute('aria-pressed', String(button.dataset.density === listDensity()));
      this.emit();
    } else if (type === 'click' && target.closest('[data-action="columns"]')) {
      this.open(this.querySelector('.column-choices').hidden);
    } else if (type === 'change' && target.name === 'column') {
      setVisibleColumns([...this.querySelectorAll('[name="column"]:checked')].map((box) => box.value));
      this.emit();
    } else if (type === 'keydown' && event.key === 'Escape' && !this.querySelector('.column-choices').hidden) {
      this.open(false);
      this.querySelector('[data-action="columns"]').focus();
    }
  }
}

export function define() {
  if (!customElements.get('hd-list-tools')) customElements.define('hd-list-tools', ListTools);
}
