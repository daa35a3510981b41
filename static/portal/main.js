// The requester portal: one page, opened by the access link `/portal#<token>`. The token
// stays in the fragment (browsers never send it to a server) and travels in the
// Portal-Token header and the live socket's first message.
import { define as definePortal } from './hd-portal.js';

definePortal();
// Another link pasted into the same tab changes only the fragment: start over with it.
window.addEventListener('hashchange', () => location.reload());
