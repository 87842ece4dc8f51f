// Two panels that read Firestore directly (data/firestore.js), as the rules allow:
// the owner's pipeline counted by stage (aggregation queries on customers, which a
// manager may not run, so a manager's page never asks), and the forms kept out as spam
// (intake_stats, owner and manager). Neither names a customer.
import { html, nothing } from "lit-html";
import { styleMap } from "lit-html/directives/style-map.js";
import { countActiveInStage, watchIntakeStats } from "../../data/firestore.js";
import { formatCount } from "../../lib/format.js";
import { COLOURS } from "../../stages.js";
import { loading } from "../states.js";

const STATS_DAYS = 14;
const SPAM_LABELS = { honeypot: "Hidden field filled", too_fast: "Sent too fast" };

/** The owner's pipeline: {status, counts}, and count() to (re)count it; update() redraws. */
export function pipelineCounter(ctx, update) {
  const state = { status: "loading", counts: new Map() };
  let alive = true;
  async function count() {
    try {
      const results = await Promise.all(
        ctx.stages.list.map((st) => countActiveInStage(ctx.db, st.id).then((n) => [st.id, n])),
      );
      state.status = "ready";
      state.counts = new Map(results);
    } catch {
      state.status = "error";
    }
    if (alive) update();
  }
  return { state, count, stop: () => (alive = false) };
}

export function pipelinePanel(state, stages) {
  let body;
  if (state.status === "loading") body = loading("Counting the pipeline…");
  else if (state.status === "error") body = html`<p class="muted">The pipeline could not be counted just now.</p>`;
  else {
    // Lost has a tile only in a pipeline that has a lost stage.
    const colours = COLOURS.filter((c) => c.id !== "lost" || stages.inGroup("lost").length);
    const byGroup = colours.map((colour) => ({
      group: colour.id,
      label: colour.label,
      total: colour.groups
        .flatMap((g) => stages.inGroup(g))
        .reduce((sum, id) => sum + (state.counts.get(id) || 0), 0),
    }));
    const max = Math.max(1, ...state.counts.values());
    body = html`<div class="tiles">
        ${byGroup.map(
          (g) => html`<a class="tile tile-${g.group}" href="#/customers">
            <span class="tile-value">${formatCount(g.total)}</span>
            <span class="tile-label">${g.label}</span>
          </a>`,
        )}
      </div>
      <ul class="bars">
        ${stages.list.map((st) => {
          const n = state.counts.get(st.id) || 0;
          return html`<li class="bar-row">
            <span class="bar-label"><span class="pill pill-${st.group}" data-group=${st.group}>${st.label}</span></span>
            <span class="bar-track" aria-hidden="true"><span class="bar bar-${st.group}" style=${styleMap({ width: `${Math.round((n / max) * 100)}%` })}></span></span>
            <span class="bar-value">${formatCount(n)}</span>
          </li>`;
        })}
      </ul>`;
  }
  return html`<section class="panel" data-testid="pipeline" aria-label="Pipeline"><h2 class="panel-title">Pipeline</h2>${body}</section>`;
}

/** intake_stats of the last days, live: the state {days} and the unsubscribe. */
export function watchSpam(db, state, update) {
  const since = new Date(Date.now() - STATS_DAYS * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return watchIntakeStats(
    db,
    since,
    STATS_DAYS + 1,
    (days) => {
      state.days = days;
      update();
    },
    () => {
      // Spam counts are a footnote: without them the panel simply stays away.
      state.days = [];
      update();
    },
  );
}

/** The spam panel, or nothing when nothing was kept out. */
export function spamPanel(state) {
  const totals = {};
  for (const day of state.days || []) {
    for (const [k, v] of Object.entries(day)) if (typeof v === "number") totals[k] = (totals[k] || 0) + v;
  }
  const reasons = Object.entries(totals);
  if (!reasons.length) return nothing;
  return html`<section class="panel" data-testid="spam" aria-label="Spam kept out">
    <h2 class="panel-title">Spam kept out <span class="muted">last ${STATS_DAYS} days</span></h2>
    <div class="tiles tiles-small">
      ${reasons.map(
        ([k, v]) => html`<div class="tile"><span class="tile-value">${formatCount(v)}</span><span class="tile-label">${SPAM_LABELS[k] || k}</span></div>`,
      )}
    </div>
  </section>`;
}
