// Presence markup shared by the ticket page, list rows and board cards.
import { html } from './html.js';
import { myId } from './live.js';

/** Viewers other than the signed-in agent. */
export function others(viewers = []) {
  const me = myId();
  return viewers.filter((viewer) => viewer.userId !== me);
}

/** Avatars (initials, the name on hover) of `viewers` other than me, or '' when none. */
export function avatars(viewers, { small = false } = {}) {
  const people = others(viewers);
  if (people.length === 0) return '';
  const names = people.map((person) => person.name).join(', ');
  return html`<span class="presence${small ? ' small' : ''}" role="img" aria-label="Also viewing: ${names}" title="Viewing now: ${names}">
    ${people.map((person) => html`<span class="avatar" title="${person.name}" data-user-id="${person.userId}">${person.initials}</span>`)}</span>`;
}

/** "Ada is writing a reply…", "Ada and Bob are writing…" for typing entries of others. */
export function typingText(typing = []) {
  const people = others(typing);
  if (people.length === 0) return '';
  if (people.length === 1) {
    const [person] = people;
    return `${person.name} is writing ${person.composing === 'note' ? 'a note' : 'a reply'}…`;
  }
  const names = people.map((person) => person.name);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are writing…`;
}
