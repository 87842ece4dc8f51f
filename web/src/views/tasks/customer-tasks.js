// The customer page's tasks: this customer's open follow-ups, overdue first and marked,
// with Done, and an "Add follow-up" form for those who may change the customer.
//
// Read live (watchCustomerTasks in data/firestore.js: customer == key and done == false;
// a rep's query also carries ownerUid == uid, or the rules refuse it). Adding and Done
// go through the admin API (data/tasks-api.js), which puts both on the timeline.
import { html, nothing, render } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { watchCustomerTasks } from "../../data/firestore.js";
import { tasksApi } from "../../data/tasks-api.js";
import { newId } from "../../lib/ids.js";
import { addDays, isoDate, parseIsoDate, todayIn, zonedTime } from "../../lib/zoned.js";
import { follow, listState } from "../live.js";
import { doneActions, sortTasks, taskItem } from "./item.js";

const LIST_STATE = {
  quiet: "cd-muted",
  alert: "cd-error",
  testid: "customer-tasks",
  loading: "Loading tasks…",
  failed: "The tasks could not be loaded.",
  empty: "No open tasks.",
};

/**
 * Mounts the section into `host` (an element the customer page places in its layout).
 * opts: {canEdit: () => boolean}. Returns {update(), cleanup()}.
 */
export function mountCustomerTasks(host, ctx, key, opts) {
  const { session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const s = { status: "loading", error: null, tasks: [], form: blankForm(), busy: false, formError: "", fieldErrors: {}, message: "" };
  let disposed = false;
  const view = { update, disposed: () => disposed };
  const actions = doneActions(ctx, {
    ...view,
    fallback: () => host.querySelector("[data-testid=task-done]") || host.querySelector("[data-testid=task-title-input]"),
  });
  const unsubscribe = follow(
    view,
    s,
    (onChange, onError) =>
      watchCustomerTasks(ctx.db, { customer: key, ownerUid: session.role === "owner" ? null : session.uid }, onChange, onError),
    (tasks) => {
      s.tasks = tasks;
    },
  );

  function blankForm() {
    return { title: "", date: isoDate(addDays(todayIn(timeZone), 1)), time: "09:00", taskId: null };
  }

  function update() {
    if (!disposed) render(template(), host);
  }

  function typed(field) {
    return (event) => {
      s.form[field] = event.target.value;
      s.form.taskId = null; // a changed follow-up is a new request
    };
  }

  async function submit(event) {
    event.preventDefault();
    if (s.busy) return;
    const title = s.form.title.trim();
    const day = parseIsoDate(s.form.date);
    const time = /^(\d{2}):(\d{2})$/.exec(s.form.time || "");
    s.fieldErrors = {};
    if (!title) s.fieldErrors.title = "Say what to do.";
    if (!day) s.fieldErrors.due = "Pick a day.";
    else if (!time) s.fieldErrors.due = "Pick a time.";
    if (Object.keys(s.fieldErrors).length) {
      update();
      host.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    const due = zonedTime(day.year, day.month, day.day, Number(time[1]), Number(time[2]), timeZone);
    s.form.taskId ||= newId();
    s.busy = true;
    s.formError = "";
    update();
    const res = await tasksApi(ctx.api).add({ customer: key, title, due, task_id: s.form.taskId });
    s.busy = false;
    if (disposed) return;
    if (res.ok) {
      s.form = blankForm();
      s.message = "Follow-up added.";
    } else {
      const fields = (res.body && res.body.fields) || {};
      s.fieldErrors = { title: fields.title, due: fields.due };
      s.formError = fields.title || fields.due ? "" : res.message;
      s.message = "";
    }
    update();
  }

  function template() {
    const editable = opts.canEdit();
    const now = Date.now();
    const tasks = sortTasks(s.tasks, now);
    const body = listState(s, tasks.length, LIST_STATE);
    return html`<section class="cd-card ct" data-testid="customer-tasks" aria-labelledby="ct-title">
      <h2 id="ct-title">Tasks</h2>
      ${body ||
      html`<ul class="task-list" aria-label="Open tasks of this customer">
        ${tasks.map((task) => taskItem(task, { timeZone, now, session, actions }))}
      </ul>`}
      ${editable ? form() : nothing}
    </section>`;
  }

  function form() {
    const f = s.form;
    const e = s.fieldErrors;
    return html`<form class="cd-inline-form ct-form" data-testid="task-form" novalidate @submit=${submit} aria-label="Add follow-up">
      <label class="ct-what">What to do
        <input data-testid="task-title-input" name="title" maxlength="200" autocomplete="off" .value=${live(f.title)}
          aria-invalid=${e.title ? "true" : "false"} aria-describedby=${e.title ? "ct-title-error" : nothing}
          @input=${typed("title")} />
      </label>
      <label>Day
        <input type="date" data-testid="task-date" name="date" .value=${live(f.date)} aria-invalid=${e.due ? "true" : "false"}
          aria-describedby=${e.due ? "ct-due-error" : nothing} @input=${typed("date")} />
      </label>
      <label>Time
        <input type="time" data-testid="task-time" name="time" .value=${live(f.time)} aria-invalid=${e.due ? "true" : "false"}
          aria-describedby=${e.due ? "ct-due-error" : nothing} @input=${typed("time")} />
      </label>
      <button type="submit" class="cd-btn cd-btn-primary" data-testid="task-add" ?disabled=${s.busy}>${s.busy ? "Adding…" : "Add follow-up"}</button>
      ${e.title ? html`<span class="cd-error" id="ct-title-error" data-testid="task-title-error">${e.title}</span>` : nothing}
      ${e.due ? html`<span class="cd-error" id="ct-due-error" data-testid="task-due-error">${e.due}</span>` : nothing}
      ${s.formError ? html`<span class="cd-error" role="alert" data-testid="task-form-error">${s.formError}</span>` : nothing}
      ${s.message ? html`<span class="cd-small ct-ok" role="status" data-testid="task-form-ok">${s.message}</span>` : nothing}
    </form>`;
  }

  update();
  const tick = setInterval(update, 60_000); // "overdue" comes true as time passes

  return {
    update,
    cleanup() {
      disposed = true;
      clearInterval(tick);
      unsubscribe();
      render(nothing, host);
    },
  };
}
