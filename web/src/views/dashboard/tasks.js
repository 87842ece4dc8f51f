// The owner's "Open tasks" panel: how many follow-ups are open and how many of them are
// overdue (two aggregation queries on tasks, data/firestore.js: no task is read), with
// a link to the Tasks screen. The owner only: a manager may not read tasks.
import { html } from "lit-html";
import { countOpenTasks } from "../../data/firestore.js";
import { formatCount } from "../../lib/format.js";
import { loading } from "../states.js";

/** {state: {status, open, overdue}, count(), stop()}; update() redraws. */
export function tasksCounter(ctx, update) {
  const state = { status: "loading", open: 0, overdue: 0 };
  let alive = true;
  async function count() {
    try {
      Object.assign(state, await countOpenTasks(ctx.db), { status: "ready" });
    } catch {
      state.status = "error";
    }
    if (alive) update();
  }
  return { state, count, stop: () => (alive = false) };
}

export function tasksPanel(state) {
  let body;
  if (state.status === "loading") body = loading("Counting the tasks…");
  else if (state.status === "error") body = html`<p class="muted">The tasks could not be counted just now.</p>`;
  else {
    body = html`<div class="tiles tiles-small">
      <a class="tile" href="#/tasks" data-testid="tasks-open"
        ><span class="tile-value">${formatCount(state.open)}</span><span class="tile-label">Open</span></a>
      <a class="tile ${state.overdue ? "tile-overdue" : ""}" href="#/tasks" data-testid="tasks-overdue"
        ><span class="tile-value">${formatCount(state.overdue)}</span><span class="tile-label">Overdue</span></a>
    </div>`;
  }
  return html`<section class="panel" data-testid="open-tasks" aria-labelledby="open-tasks-title">
    <div class="panel-head tasks-panel-head">
      <h2 class="panel-title" id="open-tasks-title">Open tasks</h2>
      <a href="#/tasks" data-testid="tasks-link">All tasks</a>
    </div>
    ${body}
  </section>`;
}
