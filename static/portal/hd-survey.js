import { html, render } from '../app/html.js';
import { formatDateTime } from '../app/format.js';
import { linkToken, PortalError } from './portal-api.js';
import { solveCaptcha } from './captcha.js';

const STARS = [1, 2, 3, 4, 5];
const WORDS = { 1: 'Very unsatisfied', 2: 'Unsatisfied', 3: 'Neutral', 4: 'Satisfied', 5: 'Very satisfied' };

async function surveyApi(method, body) {
  const response = await fetch('/api/surveys/current', { method, body: body && JSON.stringify(body), credentials: 'omit', cache: 'no-store',
    headers: { 'Survey-Token': linkToken(), Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) } });
  const type = response.headers.get('Content-Type') || '';
  const answer = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new PortalError(response.status, answer);
  return answer;
}

/**
 * The satisfaction survey: 1 to 5 stars (a radio group: arrow keys move, Space picks) and
 * an optional comment, with the spam checks; shows the expiry and the answer once given,
 * which stays changeable (the form holds it) until the survey expires.
 */
export class Survey extends HTMLElement {
  survey = null;

  connectedCallback() {
    this.addEventListener('submit', this);
    if (!linkToken()) return this.fail('This page opens from the link the support team sent you.');
    this.load();
  }

  disconnectedCallback() { this.removeEventListener('submit', this); }

  async load() {
    try {
      this.survey = await surveyApi('GET');
      this.show();
    } catch (error) {
      this.fail(error.status === 404 ? 'This survey link is not valid.' : error.message);
    }
  }

  fail(message) {
    render(html`<main class="portal narrow"><div class="error-state" role="alert"><h1>We could not open this survey</h1><p>${message}</p></div></main>`, this);
  }

  show(notice = '') {
    const s = this.survey;
    document.title = `How did we do? ${s.reference}`;
    render(html`<header class="portal-brand">
        ${s.account.logoUrl ? html`<img src="${s.account.logoUrl}" alt="" class="portal-logo">` : ''}
        <span class="portal-account">${s.account.name}</span></header>
      <main class="portal narrow">
        <h1>How did we do?</h1>
        <p class="muted"><span class="ref">${s.reference}</span> ${s.subject}</p>
        ${this.body(s)}
        <p class="visually-hidden" role="status" aria-live="polite" id="survey-status">${notice}</p>
      </main>`, this);
  }

  body(s) {
    const answered = s.status === 'answered'
      ? html`<p class="survey-done" role="status">Thank you! You rated us ${s.rating} of 5${s.comment ? html`: “${s.comment}”` : '.'}</p>` : '';
    if (s.status === 'answered' && !s.changeable) return answered;
    if (s.status === 'expired') return html`<p class="field-error" role="alert">This survey expired on ${formatDateTime(s.expiresAt)}.</p>`;
    if (s.status === 'cancelled') return html`<p class="muted" role="alert">This survey was withdrawn: the request was reopened.</p>`;
    // Pending, or answered and still open: the form, holding the current answer when there is one.
    return html`${answered}<form id="survey-form" class="card portal-reply" novalidate>
      ${s.rating ? html`<h2 class="survey-change">Change your answer</h2>` : ''}
      <fieldset class="stars"><legend>${s.question}</legend>
        ${STARS.map((n) => html`<label class="star"><input type="radio" name="rating" value="${n}" required ${n === s.rating ? html`checked` : ''}>
          <span aria-hidden="true">${'★'.repeat(n)}</span> ${n} – ${WORDS[n]}</label>`)}
      </fieldset>
      <label for="survey-comment">Comment <span class="muted">(optional)</span></label>
      <textarea id="survey-comment" name="comment" rows="4" maxlength="${s.maxCommentCharacters}">${s.comment ?? ''}</textarea>
      <div class="trap" aria-hidden="true"><label for="survey-website">Website</label>
        <input id="survey-website" name="website" tabindex="-1" autocomplete="off"></div>
      <p id="survey-error" class="field-error" role="alert"></p>
      <p class="muted">${s.rating ? 'You can change your answer until' : 'Open until'} ${formatDateTime(s.expiresAt)}.</p>
      <button type="submit" class="button primary">${s.rating ? 'Change rating' : 'Send rating'}</button>
    </form>`;
  }

  async handleEvent(event) {
    event.preventDefault();
    const form = event.target;
    const error = this.querySelector('#survey-error');
    const rating = Number(form.rating.value);
    if (!rating) { error.textContent = 'Choose 1 to 5 stars.'; form.querySelector('input[name=rating]').focus(); return; }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      this.querySelector('#survey-status').textContent = 'Sending…';
      const captcha = await solveCaptcha();
      const changed = Boolean(this.survey.rating);
      this.survey = await surveyApi('POST', { rating, comment: form.comment.value, website: form.website.value, ...captcha });
      this.show(changed ? 'Your rating was changed.' : 'Thank you for your rating.');
    } catch (failure) {
      error.textContent = failure.message;
      button.disabled = false;
    }
  }
}

export function define() {
  if (!customElements.get('hd-survey')) customElements.define('hd-survey', Survey);
}
