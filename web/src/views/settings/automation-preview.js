// What the follow-up rules as edited would have made from the last 30 days of events:
// how many tasks each rule would have made and the tasks themselves (customer, task, due
// time in the business time zone). The asking is preview-runner.js's.
import { html, nothing } from "lit-html";
import { formatCount, formatDateTime } from "../../lib/format.js";
import { previewRunner } from "./preview-runner.js";

const SHOWN = 100;

/** screen; api: automationsApi; timeZone; rules(): the rules to send, or null; refused(res). */
export function rulesPreview(screen, { api, timeZone, rules, refused }) {
  function counts(tasks, sent) {
    const made = new Map();
    for (const task of tasks) made.set(task.rule, (made.get(task.rule) || 0) + 1);
    return html`<ul class="au-pv-counts" data-testid="preview-counts" aria-label="Tasks per rule">
      ${sent.map(
        (rule) => html`<li data-testid="preview-count" data-rule=${rule.id}>
          <span>${rule.title || rule.id}</span>
          <strong data-testid="preview-count-n">${rule.enabled ? formatCount(made.get(rule.id) || 0) : "off"}</strong>
        </li>`,
      )}
    </ul>`;
  }

  function task(t) {
    const who = t.customerName || t.customer;
    return html`<li class="au-pv-task" data-testid="preview-task" data-rule=${t.rule} data-customer=${t.customer}>
      <a href=${`#/customers/${encodeURIComponent(t.customer)}`} data-testid="preview-customer">${who}</a>
      <span data-testid="preview-title">${t.title}</span>
      <time datetime=${t.due} data-testid="preview-due">${formatDateTime(t.due, timeZone)}</time>
    </li>`;
  }

  function show(r, sent) {
    const tasks = Array.isArray(r.tasks) ? r.tasks : [];
    const events = Number.isInteger(r.events) ? r.events : 0;
    return html`<p class="bs-help" data-testid="preview-summary">${formatCount(tasks.length)} ${tasks.length === 1 ? "task" : "tasks"} from
        ${formatCount(events)} ${events === 1 ? "event" : "events"}${r.complete === false ? " (the latest 5,000 events only)" : ""}. Nothing was saved
        or created.</p>
      ${counts(tasks, sent)}
      ${tasks.length
        ? html`<ul class="au-pv-list" aria-label="Tasks the rules would have made">${tasks.slice(0, SHOWN).map(task)}</ul>
            ${tasks.length > SHOWN ? html`<p class="bs-hint">And ${formatCount(tasks.length - SHOWN)} more.</p>` : nothing}`
        : html`<p class="bs-help" data-testid="preview-none">No task: nothing in the last 30 days matches these rules.</p>`}`;
  }

  return previewRunner(screen, {
    api,
    body: rules,
    refused,
    button: "automations-preview",
    prefix: "",
    title: "What these rules would have made in the last 30 days",
    hint: "Shows what the rules as they stand here would have made, before you save.",
    show,
  });
}
