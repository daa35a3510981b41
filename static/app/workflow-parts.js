// Markup of the workflow builder's parts: the inputs that fit each trigger, condition and
// action. Pure templates over a draft; `hd-workflow-form` owns the state and the events.
import { html } from './html.js';
import { options } from './controls.js';
import { STATUSES, PRIORITIES, CATEGORIES } from './format.js';

export const TRIGGERS = [['email.received', 'Email received'], ['ticket.created', 'Ticket created'],
  ['ticket.updated', 'Ticket updated'], ['reply.added', 'Reply added'], ['sla.warning', 'SLA warning'],
  ['sla.breached', 'SLA breached'], ['survey.rated', 'Survey rated'], ['time.elapsed', 'Time in a status']];
export const OPERATORS = [['equals', 'equals'], ['not_equals', 'does not equal'], ['one_of', 'is one of'], ['contains', 'contains'],
  ['starts_with', 'starts with'], ['ends_with', 'ends with'], ['matches', 'matches pattern'], ['is_empty', 'is empty']];
export const ACTIONS = [['create_ticket', 'Create a ticket from the email'], ['set_field', 'Set a field'], ['add_tags', 'Add tags'],
  ['remove_tags', 'Remove tags'], ['assign', 'Assign'], ['add_note', 'Add an internal note'], ['send_email', 'Send an email'],
  ['call_webhook', 'Call a webhook'], ['notify_agents', 'Notify agents']];
const TICKET_FIELDS = [['', 'any field'], ['subject', 'Subject'], ['description', 'Description'], ['status', 'Status'], ['priority', 'Priority'],
  ['category', 'Category'], ['channel', 'Channel'], ['dueAt', 'Due date'], ['assignee', 'Assignee'], ['tags', 'Tags'], ['requester', 'Requester']];
const SET_FIELDS = { status: STATUSES, priority: PRIORITIES, category: CATEGORIES };
const HEADER = 'email.header.';

const field = (id, text, control) => html`<div class="field"><label for="${id}">${text}</label>${control}</div>`;

/** The inputs of the trigger `t` (`mailboxes`: [[id, name]]). */
export function triggerInputs(t, mailboxes) {
  const kind = html`${field('wf-trigger', 'When', html`<select id="wf-trigger" data-field="trigger.kind" data-rebuild>${options(TRIGGERS, t.kind)}</select>`)}`;
  switch (t.kind) {
    case 'email.received':
      return html`${kind}${field('wf-mailbox', 'At mailbox', html`<select id="wf-mailbox" data-field="trigger.mailboxId">${options([['', 'Any mailbox'], ...mailboxes], t.mailboxId ?? '')}</select>`)}`;
    case 'ticket.updated':
      return html`${kind}${field('wf-changed', 'Changed field', html`<select id="wf-changed" data-field="trigger.field">${options(TICKET_FIELDS, t.field ?? '')}</select>`)}
        ${field('wf-became', 'Status became', html`<select id="wf-became" data-field="trigger.status">${options([['', 'any status'], ...STATUSES], t.status ?? '')}</select>`)}`;
    case 'reply.added':
      return html`${kind}${field('wf-by', 'Written by', html`<select id="wf-by" data-field="trigger.by">${options([['', 'anyone'], ['requester', 'the requester'], ['agent', 'an agent']], t.by ?? '')}</select>`)}`;
    case 'time.elapsed':
      return html`${kind}${field('wf-status', 'Ticket in status', html`<select id="wf-status" data-field="trigger.status">${options(STATUSES, t.status ?? 'pending')}</select>`)}
        ${field('wf-hours', 'Unchanged for (hours)', html`<input id="wf-hours" data-field="trigger.hours" type="number" min="1" step="any" value="${t.hours ?? 24}">`)}
        <label class="toggle"><input type="checkbox" data-field="trigger.businessHours" ${t.businessHours ? html`checked` : ''}> Count business hours (the ticket's SLA calendar)</label>`;
    default:
      return kind;
  }
}

/** One condition row `c` at index `i` (`catalog.fields`: [{name, label, choices}]). */
export function conditionRow(c, i, catalog) {
  const isHeader = c.field.startsWith(HEADER);
  const fields = catalog.fields.map((f) => [f.name, f.label]).concat([[HEADER, 'Email header…']]);
  const choices = catalog.fields.find((f) => f.name === c.field)?.choices;
  const id = `wf-c${i}`;
  let value = '';
  if (c.op === 'one_of') {
    value = choices ? html`<select id="${id}-value" data-field="conditions[${i}].values" multiple size="3" aria-label="Condition ${i + 1} values">${options(choices.map((v) => [v, v]), c.values || [])}</select>`
      : html`<input id="${id}-value" data-field="conditions[${i}].values" aria-label="Condition ${i + 1} values (comma separated)" value="${(c.values || []).join(', ')}">`;
  } else if (c.op === 'matches') {
    value = html`<input id="${id}-value" data-field="conditions[${i}].value" aria-label="Condition ${i + 1} pattern" class="mono" value="${c.value ?? ''}">
      <input data-sample="${i}" aria-label="Condition ${i + 1} sample text" placeholder="Sample text">
      <button type="button" class="button" data-test-pattern="${i}">Test pattern</button><span class="pattern-result" data-result="${i}" role="status"></span>`;
  } else if (c.op !== 'is_empty') {
    value = choices ? html`<select id="${id}-value" data-field="conditions[${i}].value" aria-label="Condition ${i + 1} value">${options(choices.map((v) => [v, v]), c.value ?? choices[0])}</select>`
      : html`<input id="${id}-value" data-field="conditions[${i}].value" aria-label="Condition ${i + 1} value" value="${c.value ?? ''}">`;
  }
  return html`<li class="wf-row" data-condition="${i}">
    <select id="${id}-field" data-field="conditions[${i}].field" data-rebuild aria-label="Condition ${i + 1} field">${options(fields, isHeader ? HEADER : c.field)}</select>
    ${isHeader ? html`<input data-header="${i}" aria-label="Condition ${i + 1} header name" placeholder="X-Priority" value="${c.field.slice(HEADER.length)}">` : ''}
    <select id="${id}-op" data-field="conditions[${i}].op" data-rebuild aria-label="Condition ${i + 1} operator">${options(OPERATORS, c.op)}</select>
    ${value}
    <button type="button" class="button" data-remove-condition="${i}" aria-label="Remove condition ${i + 1}">Remove</button></li>`;
}

/** One action row `a` at index `i` of `count` (`agents`, `webhooks`: [[id, name]]). */
export function actionRow(a, i, count, agents, webhooks) {
  const id = `wf-a${i}`;
  const tags = (name) => html`<input id="${id}-tags" data-field="actions[${i}].tags" aria-label="Tags (comma separated)" placeholder="tags, comma separated" value="${(a.tags || []).join(', ')}">`;
  let inputs = '';
  switch (a.type) {
    case 'create_ticket':
      inputs = html`<select data-field="actions[${i}].category" aria-label="Category">${options([['', 'Category: General'], ...CATEGORIES], a.category ?? '')}</select>
        <select data-field="actions[${i}].priority" aria-label="Priority">${options([['', 'Priority: Medium'], ...PRIORITIES], a.priority ?? '')}</select>
        ${tags()}<select data-field="actions[${i}].agentId" aria-label="Assignee">${options([['', 'Assignee: auto-assignment rules'], ...agents], a.agentId ?? '')}</select>`;
      break;
    case 'set_field': {
      const which = a.field || 'priority';
      inputs = html`<select data-field="actions[${i}].field" data-rebuild aria-label="Field to set">${options([['status', 'Status'], ['priority', 'Priority'], ['category', 'Category']], which)}</select>
        <select id="${id}-value" data-field="actions[${i}].value" aria-label="New value">${options(SET_FIELDS[which], a.value ?? '')}</select>`;
      break;
    }
    case 'add_tags': case 'remove_tags': inputs = tags(); break;
    case 'assign': inputs = html`<select data-field="actions[${i}].agentId" aria-label="Agent">${options([['', 'Unassign'], ...agents], a.agentId ?? '')}</select>`; break;
    case 'add_note': inputs = html`<textarea id="${id}-body" data-field="actions[${i}].body" aria-label="Note" rows="2">${a.body ?? ''}</textarea>`; break;
    case 'send_email':
      inputs = html`<select data-field="actions[${i}].to" data-rebuild aria-label="Recipient">${options([['requester', 'To the requester'], ['assignee', 'To the assignee'], ['address', 'To an address']], a.to ?? 'requester')}</select>
        ${a.to === 'address' ? html`<input id="${id}-address" data-field="actions[${i}].address" type="email" aria-label="Address" value="${a.address ?? ''}">` : ''}
        <input id="${id}-subject" data-field="actions[${i}].subject" aria-label="Email subject" placeholder="Subject" value="${a.subject ?? ''}">
        <textarea id="${id}-body" data-field="actions[${i}].body" aria-label="Email text" rows="4">${a.body ?? ''}</textarea>`;
      break;
    case 'notify_agents':
      inputs = html`<select id="${id}-agents" data-field="actions[${i}].agentIds" multiple size="3" aria-label="Agents to notify">${options(agents, (a.agentIds || []).map(String))}</select>
        <input id="${id}-body" data-field="actions[${i}].body" aria-label="Notification text" placeholder="{{ticket.reference}} needs attention" value="${a.body ?? ''}">`;
      break;
    case 'call_webhook': inputs = html`<select id="${id}-hook" data-field="actions[${i}].webhookId" aria-label="Webhook">${options([['', 'Choose a webhook'], ...webhooks], a.webhookId ?? '')}</select>`; break;
    default: break;
  }
  return html`<li class="wf-row wf-action" data-action="${i}">
    <select id="${id}-type" data-field="actions[${i}].type" data-rebuild aria-label="Action ${i + 1}">${options(ACTIONS, a.type)}</select>
    <div class="wf-inputs">${inputs}</div>
    <div class="row-actions">
      <button type="button" class="button" data-move-action="${i}" data-delta="-1" aria-label="Move action ${i + 1} up" ${i === 0 ? html`disabled` : ''}>Up</button>
      <button type="button" class="button" data-move-action="${i}" data-delta="1" aria-label="Move action ${i + 1} down" ${i === count - 1 ? html`disabled` : ''}>Down</button>
      <button type="button" class="button" data-remove-action="${i}" aria-label="Remove action ${i + 1}">Remove</button></div></li>`;
}
