// Small markup helpers shared by forms.
import { html } from './html.js';

/** <option>s for [[value, label], ...], marking `selected` (a value or a list). */
export function options(pairs, selected) {
  const chosen = new Set([].concat(selected ?? []).map(String));
  return pairs.map(([value, text]) => html`<option value="${value}" ${chosen.has(String(value)) ? html`selected` : ''}>${text}</option>`);
}

/** The agents as option pairs. */
export function agentOptions(agents) {
  return agents.filter((agent) => agent.active).map((agent) => [String(agent.id), agent.name]);
}

/** Shows a server problem at its field in `form` (aria-invalid + message), or returns false. */
export function showFieldError(form, error) {
  clearFieldErrors(form);
  const name = error.field;
  const input = name && (form.elements.namedItem(name) || form.querySelector(`[data-field="${CSS.escape(name)}"]`));
  if (!input || !input.id) return false;
  input.setAttribute('aria-invalid', 'true');
  const message = document.createElement('p');
  message.className = 'field-error';
  message.id = `${input.id}-error`;
  message.textContent = error.message;
  input.setAttribute('aria-describedby', message.id);
  input.insertAdjacentElement('afterend', message);
  input.focus();
  return true;
}

/** Removes every field error shown in `form`. */
export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid]').forEach((node) => {
    node.removeAttribute('aria-invalid');
    node.removeAttribute('aria-describedby');
  });
}

/** Announces `message` to screen readers and shows it as a toast. */
export function announce(message, tone = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const toast = document.createElement('p');
  toast.className = `toast toast-${tone}`;
  toast.textContent = message;
  region.append(toast);
  toast.addEventListener('animationend', () => toast.remove());
}
