// "Preview last 30 days": what the rules as edited (saved or not) would have made from
// the last 30 days of events, asked of the server (POST .../preview, which writes
// nothing) so the preview and the sweep decide with the same code. Shows how many tasks
// each rule would have made and the tasks themselves: customer, task, due time in the
// business time zone. Once the rules change, the preview says it is out of date.
import { html, nothing } from "lit-html";
import { formatCount, formatDateTime } from "../../lib/format.js";

const SHOWN = 100;

/**
 * screen: {container, update, disposed()}; api: automationsApi; timeZone; rules(): the
 * rules to send, or null when the editor refused them itself; refused(res): the editor
 * shows a 400's field errors beside its inputs.
 */
export function rulesPreview(screen, { api, timeZone, rules, refused }) {
  const { container, update } = screen;
  const p = { busy: false, result: null, sent: [], outdated: false, error: "" };

  async function run() {
    if (p.busy) return;
    const sent = rules();
    if (!sent) return;
    p.busy = true;
    p.error = "";
    update();
    const res = await api.preview(sent);
    p.busy = false;
    if (screen.disposed()) return;
    if (!res.ok) {
      p.result = null;
      if (res.status === 400) refused(res);
      else p.error = res.message;
      update();
      return;
    }
    p.result = res.body || { tasks: [] };
    p.sent = sent;
    p.outdated = false;
    update();
    queueMicrotask(() => container.querySelector("[data-testid=preview-result]")?.focus());
  }

  /** The rules changed since the last preview. */
  function changed() {
    if (p.result) p.outdated = true;
  }

  function counts(tasks) {
    const made = new Map();
    for (const task of tasks) made.set(task.rule, (made.get(task.rule) || 0) + 1);
    return html`<ul class="au-pv-counts" data-testid="preview-counts" aria-label="Tasks per rule">
      ${p.sent.map(
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

  function result() {
    const r = p.result;
    const tasks = Array.isArray(r.tasks) ? r.tasks : [];
    const events = Number.isInteger(r.events) ? r.events : 0;
    return html`<section class="au-pv" data-testid="preview-result" tabindex="-1" aria-labelledby="au-pv-title">
      <h3 class="bs-subtitle" id="au-pv-title">What these rules would have made in the last 30 days</h3>
      ${p.outdated
        ? html`<p class="bs-status bs-status-dirty" data-testid="preview-outdated">The rules changed since: preview again to see what they make now.</p>`
        : nothing}
      <p class="bs-help" data-testid="preview-summary">${formatCount(tasks.length)} ${tasks.length === 1 ? "task" : "tasks"} from
        ${formatCount(events)} ${events === 1 ? "event" : "events"}${r.complete === false ? " (the latest 5,000 events only)" : ""}. Nothing was saved
        or created.</p>
      ${counts(tasks)}
      ${tasks.length
        ? html`<ul class="au-pv-list" aria-label="Tasks the rules would have made">${tasks.slice(0, SHOWN).map(task)}</ul>
            ${tasks.length > SHOWN ? html`<p class="bs-hint">And ${formatCount(tasks.length - SHOWN)} more.</p>` : nothing}`
        : html`<p class="bs-help" data-testid="preview-none">No task: nothing in the last 30 days matches these rules.</p>`}
    </section>`;
  }

  function template() {
    return html`<div class="au-pv-bar">
        <button type="button" class="button" data-testid="automations-preview" ?disabled=${p.busy} @click=${run}>
          ${p.busy ? "Previewing…" : "Preview last 30 days"}</button>
        <span class="bs-hint">Shows what the rules as they stand here would have made, before you save.</span>
      </div>
      ${p.error ? html`<p class="bs-alert" role="alert" data-testid="preview-error">${p.error}</p>` : nothing}
      ${p.result ? result() : nothing}`;
  }

  return { template, changed };
}
