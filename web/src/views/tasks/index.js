// The Tasks screen (#/tasks): the open follow-ups, overdue first and marked, each with
// Done. A rep sees the tasks assigned to them (their query carries ownerUid == uid, as
// the rules require); the owner sees everyone's, with whose each is.
//
// Read live from Firestore (watchOpenTasks in data/firestore.js); Done goes through the
// admin API (data/tasks-api.js), after which the task leaves the list by itself.
import { html, nothing, render } from "lit-html";
import { listTeam, watchOpenTasks } from "../../data/firestore.js";
import { follow, listState } from "../live.js";
import { doneActions, isOverdue, sortTasks, taskItem } from "./item.js";

const MAX_TASKS = 300;
const LIST_STATE = {
  quiet: "muted",
  alert: "cd-error",
  testid: "tasks",
  loading: "Loading tasks…",
  failed: "The tasks could not be loaded.",
  empty: "Nothing to follow up. Add a follow-up from a customer's page.",
};

export function renderTasks(container, ctx) {
  const { session, config } = ctx;
  const isOwner = session.role === "owner";
  const s = { status: "loading", error: null, tasks: [], team: new Map() };
  let disposed = false;
  const screen = { update, disposed: () => disposed };
  const actions = doneActions(ctx, {
    update,
    disposed: () => disposed,
    fallback: () => container.querySelector("[data-testid=task-done]") || container.querySelector("h1"),
  });
  const unsubscribe = follow(
    screen,
    s,
    (onChange, onError) =>
      watchOpenTasks(ctx.db, { ownerUid: isOwner ? null : session.uid, max: MAX_TASKS }, onChange, onError),
    (tasks) => {
      s.tasks = tasks;
    },
  );

  function assignee(uid) {
    if (!uid) return "";
    if (uid === session.uid) return "you";
    const member = s.team.get(uid);
    return member ? member.displayName || member.email || uid : uid;
  }

  function update() {
    if (!disposed) render(template(), container);
  }

  function template() {
    const now = Date.now();
    const tasks = sortTasks(s.tasks, now);
    const overdue = tasks.filter((t) => isOverdue(t, now)).length;
    const body = listState(s, tasks.length, LIST_STATE);
    return html`<section class="tasks-screen" data-testid="tasks">
      <header class="page-head">
        <div class="page-title-row"><h1 class="page-title" tabindex="-1">Tasks</h1></div>
        <p class="page-sub muted" data-testid="tasks-summary">
          ${s.status === "ready"
            ? html`${tasks.length} open${overdue ? html`, <strong class="task-late-count">${overdue} overdue</strong>` : nothing}
              · ${isOwner ? "everyone's follow-ups" : "your follow-ups"}`
            : isOwner
              ? "Everyone's follow-ups."
              : "Your follow-ups."}
        </p>
      </header>
      <div class="panel">
        ${body ||
        html`<ul class="task-list" aria-label="Open tasks">
          ${tasks.map((task) =>
            taskItem(task, {
              timeZone: config.businessTimeZone,
              now,
              session,
              actions,
              customer: true,
              assignee: isOwner ? assignee : null,
            }),
          )}
        </ul>`}
        ${tasks.length >= MAX_TASKS
          ? html`<p class="muted task-more" data-testid="tasks-more">Showing the ${MAX_TASKS} due soonest; finish some to see the rest.</p>`
          : nothing}
      </div>
    </section>`;
  }

  async function loadTeam() {
    try {
      for (const member of await listTeam(ctx.db)) s.team.set(member.uid, member);
      update();
    } catch {
      /* names are a nicety: the uid is shown instead */
    }
  }

  document.title = "Tasks · Hearth";
  update();
  if (isOwner) loadTeam();
  // "Overdue" comes true as time passes, even before the sweep marks it.
  const tick = setInterval(update, 60_000);

  return () => {
    disposed = true;
    clearInterval(tick);
    unsubscribe();
    render(nothing, container);
  };
}
