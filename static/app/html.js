// Auto-escaping markup. `html` returns a Template; values interpolated into it are
// escaped unless they are Templates themselves (or arrays of them), so user text can
// never become markup. Attribute values must be quoted in the template.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for use in element content or a quoted attribute. */
export function escape(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

export class Template {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

function part(value) {
  if (value instanceof Template) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  return escape(value);
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText. */
export function html(strings, ...values) {
  let text = strings[0];
  values.forEach((value, i) => { text += part(value) + strings[i + 1]; });
  return new Template(text);
}

/** Replaces the children of `element` with `template`. */
export function render(template, element) {
  element.innerHTML = template instanceof Template ? template.text : part(template);
}

/** `attr('disabled', flag)` renders a boolean attribute only when flag is true. */
export function when(condition, then, otherwise = '') {
  return condition ? then : otherwise;
}
