// How a thread message that travelled by email is shown (the message JSON's `email`, see
// the OpenAPI MessageEmail schema): a "via email" marker with the sender, quoted history
// and signature folded behind a <details> (the full text one click away), and an outgoing
// reply's delivery state, a permanent failure shown on the reply itself; and the raw
// message of an ingested email as a download.
import { html } from './html.js';

/** The marker in the message header, or nothing for a message that was not an email. */
export function emailMark(message) {
  const email = message.email;
  if (!email) return '';
  if (email.direction === 'in') {
    return html`<span class="via-email">via email${email.address ? html` from <span class="email-address">${email.address}</span>` : ''}</span>
      ${email.originalUrl ? html`<a class="email-original" href="${email.originalUrl}" download>Download original (.eml)</a>` : ''}`;
  }
  if (email.delivery === 'sent') return html`<span class="via-email">emailed to <span class="email-address">${email.address}</span></span>`;
  if (email.delivery === 'queued') return html`<span class="via-email">email to <span class="email-address">${email.address}</span> queued</span>`;
  return '';
}

/** The body: the full text, or for an email with quoted history the reply with the rest folded. */
export function emailBody(message) {
  const email = message.email;
  const failed = email?.direction === 'out' && email.delivery === 'failed'
    ? html`<p class="delivery-failed"><strong>Not delivered</strong> to <span class="email-address">${email.address}</span>: ${email.error || 'the mail server refused it.'}</p>`
    : '';
  if (!email?.replyText) return html`${failed}<div class="body">${message.body}</div>`;
  return html`<div class="body folded">${email.replyText}</div>
    <details class="email-full"><summary>Show quoted text and signature</summary><div class="body">${message.body}</div></details>`;
}
