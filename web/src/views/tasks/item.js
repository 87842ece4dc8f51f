// One open task as a list item, shared by the Tasks screen and the customer page: what
// to do, for whom, when, marked when overdue, and a Done button for those who may.
// Every value from the database is bound as text by lit-html.
import { html, nothing } from "lit-html";
import { formatDateTime, toDate } from "../../lib/format.js";
import { tasksApi } from "../../data/tasks-api.js";

/** Overdue: the sweep has marked it, or its time has come since (the sweep runs each minute). */
export function isOverdue(task, now = Date.now()) {
  const due = toDate(task.due);
  return task.overdue === true || Boolean(due && due.getTime() <= now);
}

/** Overdue first (oldest first), then the rest by due date. */
export function sortTasks(tasks, now = Date.now()) {
  const dueOf = (t) => toDate(t.due)?.getTime() ?? Infinity;
  return [...tasks].sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || dueOf(a) - dueOf(b));
}

/** Whether this person may finish this task: the owner any, a rep their own. */
export function mayFinish(session, task) {
  return session.role === "owner" || (session.role === "rep" && task.ownerUid === session.uid);
}

/**
 * Done buttons with their state: done(task) sends it once at a time per task; busy(id) and
 * error(id) say how each stands. After a Done the list loses the item; focus then goes to
 * `fallback()` (an element to focus), so a keyboard user is not left on nothing.
 */
export function doneActions(ctx, { update, disposed, fallback }) {
  const busy = new Set();
  const errors = new Map();
  const api = tasksApi(ctx.api);
  async function done(task) {
    if (busy.has(task.id)) return;
    busy.add(task.id);
    errors.delete(task.id);
    update();
    const res = await api.done(task.id);
    busy.delete(task.id);
    if (disposed()) return;
    if (!res.ok) errors.set(task.id, res.message);
    update();
    if (res.ok) queueMicrotask(() => fallback()?.focus());
  }
  return { done, busy: (id) => busy.has(id), error: (id) => errors.get(id) };
}

/**
 * opts: {timeZone, now, session, actions (doneActions), customer: show the customer's
 * name as a link (the Tasks screen), assignee(uid) -> text or "" (the owner's list)}.
 */
export function taskItem(task, opts) {
  const overdue = isOverdue(task, opts.now);
  const busy = opts.actions.busy(task.id);
  const error = opts.actions.error(task.id);
  const who = opts.assignee ? opts.assignee(task.ownerUid) : "";
  return html`<li class="task ${overdue ? "task-overdue" : ""}" data-testid="task" data-id=${task.id}
      data-overdue=${overdue ? "true" : "false"}>
    <div class="task-main">
      <span class="task-title" data-testid="task-title">${task.title || "Follow up"}</span>
      <span class="task-meta">
        ${overdue ? html`<span class="task-badge" data-testid="task-overdue">Overdue</span>` : nothing}
        <span>Due ${formatDateTime(task.due, opts.timeZone)}</span>
        ${opts.customer && task.customer
          ? html`<span>· <a href=${`#/customers/${encodeURIComponent(task.customer)}`} data-testid="task-customer"
              >${task.customerName || task.customer}</a></span>`
          : nothing}
        ${who ? html`<span>· for ${who}</span>` : nothing}
        ${task.rule ? html`<span class="task-auto">· automatic</span>` : nothing}
      </span>
      ${error ? html`<span class="cd-error" role="alert" data-testid="task-error">${error}</span>` : nothing}
    </div>
    ${mayFinish(opts.session, task)
      ? html`<button type="button" class="cd-btn cd-btn-small task-done" data-testid="task-done" ?disabled=${busy}
          aria-label=${`Done: ${task.title || "follow up"}`} @click=${() => opts.actions.done(task)}>${busy ? "Saving…" : "Done"}</button>`
      : nothing}
  </li>`;
}
