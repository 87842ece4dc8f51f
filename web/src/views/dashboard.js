// The dashboard: roll-ups that name no individual customer, so a manager may see them.
// aggregates/* (reports written by functions as data arrives) and intake_stats/* (forms
// dropped as automated). The owner also sees the pipeline counted by stage, from
// aggregation queries on customers (which a manager may not run, so never asks).
// Loaded lazily: it is not on the first screen of the roles that land on customers.
import { html, nothing, render } from "lit-html";
import { styleMap } from "lit-html/directives/style-map.js";
import { countActiveInStage, watchIntakeStats, watchReports } from "../data/firestore.js";
import { formatDateTime, relativeTime, text, toDate } from "../lib/format.js";
import { GROUPS } from "../stages.js";
import { empty, error as errorState, firestoreErrorMessage, loading } from "./states.js";

const STATS_DAYS = 14;
const MAX_AGGREGATES = 50;
const TITLE_FIELDS = new Set(["title", "label", "name", "updatedAt", "updated_at", "computedAt", "period"]);

export function renderDashboard(container, ctx) {
  const { db, session, config } = ctx;
  const state = {
    aggregates: { status: "loading", docs: [], error: null },
    stats: { status: "loading", days: [] },
    pipeline: session.role === "owner" ? { status: "loading", counts: new Map() } : null,
  };
  const unsubs = [];
  let alive = true;

  const update = () => {
    if (alive) render(template(), container);
  };

  function watchAggregates() {
    unsubs.push(
      watchReports(
        db,
        MAX_AGGREGATES,
        (docs) => {
          state.aggregates = { status: "ready", docs, error: null };
          update();
        },
        (err) => {
          state.aggregates = { status: "error", docs: [], error: err };
          update();
        },
      ),
    );
  }

  function watchStats() {
    const since = new Date(Date.now() - STATS_DAYS * 24 * 3600 * 1000).toISOString().slice(0, 10);
    unsubs.push(
      watchIntakeStats(
        db,
        since,
        STATS_DAYS + 1,
        (days) => {
          state.stats = { status: "ready", days };
          update();
        },
        () => {
          // Spam counts are a footnote: without them the section simply stays away.
          state.stats = { status: "error", days: [] };
          update();
        },
      ),
    );
  }

  async function countPipeline() {
    if (!state.pipeline) return;
    const stages = ctx.stages.list;
    try {
      const results = await Promise.all(
        stages.map((st) => countActiveInStage(db, st.id).then((count) => [st.id, count])),
      );
      state.pipeline = { status: "ready", counts: new Map(results) };
    } catch {
      state.pipeline = { status: "error", counts: new Map() };
    }
    update();
  }

  function template() {
    const sections = [];
    if (state.pipeline) sections.push(pipelineSection());
    sections.push(aggregatesSection());
    const stats = statsSection();
    if (stats) sections.push(stats);
    return html`<section class="dashboard" data-testid="dashboard">
      <header class="page-head">
        <div class="page-title-row"><h1 class="page-title">Dashboard</h1></div>
        <p class="page-sub muted">${session.role === "manager" ? "Reports and roll-ups: totals only, no individual customers." : "How the studio is doing."}</p>
      </header>
      ${sections}
    </section>`;
  }

  function pipelineSection() {
    const p = state.pipeline;
    let body;
    if (p.status === "loading") body = loading("Counting the pipeline…");
    else if (p.status === "error") body = html`<p class="muted">The pipeline could not be counted just now.</p>`;
    else {
      const byGroup = Object.keys(GROUPS).map((g) => ({
        group: g,
        label: GROUPS[g].label,
        total: ctx.stages.inGroup(g).reduce((sum, id) => sum + (p.counts.get(id) || 0), 0),
      }));
      const max = Math.max(1, ...p.counts.values());
      body = html`<div class="tiles">
          ${byGroup.map(
            (g) => html`<a class="tile tile-${g.group}" href="#/customers">
              <span class="tile-value">${g.total.toLocaleString("en-GB")}</span>
              <span class="tile-label">${g.label}</span>
            </a>`,
          )}
        </div>
        <ul class="bars">
          ${ctx.stages.list.map((st) => {
            const n = p.counts.get(st.id) || 0;
            return html`<li class="bar-row">
              <span class="bar-label"><span class="pill pill-${st.group}" data-group=${st.group}>${st.label}</span></span>
              <span class="bar-track"><span class="bar bar-${st.group}" style=${styleMap({ width: `${Math.round((n / max) * 100)}%` })}></span></span>
              <span class="bar-value">${n}</span>
            </li>`;
          })}
        </ul>`;
    }
    return html`<div class="panel"><h2 class="panel-title">Pipeline</h2>${body}</div>`;
  }

  function aggregatesSection() {
    const a = state.aggregates;
    if (a.status === "loading") return html`<div class="panel">${loading("Loading reports…")}</div>`;
    if (a.status === "error") {
      return html`<div class="panel">${errorState({ title: "Reports could not be loaded", message: firestoreErrorMessage(a.error) })}</div>`;
    }
    if (!a.docs.length) {
      return html`<div class="panel">${empty({
        title: "No reports yet",
        body: "Reports appear here as data arrives: leads by source, deals by stage and payments, once Hearth has counted them.",
        icon: "▦",
      })}</div>`;
    }
    return html`<div class="report-grid">${a.docs.map((d) => report(d.id, d.data))}</div>`;
  }

  function report(id, data) {
    const title = text(data.title) || text(data.label) || humanise(id);
    const updated = toDate(data.updatedAt || data.computedAt || data.updated_at);
    const entries = Object.entries(data).filter(([k]) => !TITLE_FIELDS.has(k));
    const numbers = entries.filter(([, v]) => typeof v === "number");
    const rest = entries.filter(([, v]) => typeof v !== "number");
    return html`<article class="panel report" data-testid="report" data-id=${id}>
      <h2 class="panel-title">${title}</h2>
      ${text(data.period) ? html`<p class="muted">${text(data.period)}</p>` : nothing}
      ${numbers.length
        ? html`<div class="tiles tiles-small">
            ${numbers.map(([k, v]) => html`<div class="tile"><span class="tile-value">${formatNumber(v)}</span><span class="tile-label">${humanise(k)}</span></div>`)}
          </div>`
        : nothing}
      ${rest.map(([k, v]) => value(k, v, 0))}
      ${updated ? html`<p class="report-foot muted" title=${formatDateTime(updated, config.businessTimeZone)}>Updated ${relativeTime(updated)}</p>` : nothing}
    </article>`;
  }

  function value(key, v, depth) {
    if (v === null || v === undefined) return nothing;
    const label = humanise(key);
    const date = typeof v === "object" && typeof v.toDate === "function" ? toDate(v) : null;
    if (date) return html`<p class="kv"><span class="muted">${label}</span> ${formatDateTime(date, config.businessTimeZone)}</p>`;
    if (Array.isArray(v)) {
      const simple = v.filter((x) => ["string", "number", "boolean"].includes(typeof x));
      return html`<p class="kv"><span class="muted">${label}</span> ${simple.slice(0, 20).join(", ")}${v.length > 20 ? " …" : ""}</p>`;
    }
    if (typeof v === "object") {
      const inner = Object.entries(v);
      if (inner.length && inner.every(([, x]) => typeof x === "number")) {
        const sorted = inner.sort((x, y) => y[1] - x[1]).slice(0, 12);
        const max = Math.max(1, ...sorted.map(([, x]) => Math.abs(x)));
        return html`<div class="kv-block"><h3 class="kv-title">${label}</h3>
          <ul class="bars">
            ${sorted.map(([k, x]) => html`<li class="bar-row">
              <span class="bar-label">${stageOrText(k)}</span>
              <span class="bar-track"><span class="bar" style=${styleMap({ width: `${Math.round((Math.abs(x) / max) * 100)}%` })}></span></span>
              <span class="bar-value">${formatNumber(x)}</span>
            </li>`)}
          </ul></div>`;
      }
      if (depth >= 2) return nothing;
      return html`<div class="kv-block"><h3 class="kv-title">${label}</h3>${inner.map(([k, x]) => value(k, x, depth + 1))}</div>`;
    }
    return html`<p class="kv"><span class="muted">${label}</span> ${String(v)}</p>`;
  }

  function stageOrText(k) {
    return ctx.stages.byId.has(k) ? ctx.stages.label(k) : k;
  }

  function statsSection() {
    const st = state.stats;
    if (st.status !== "ready" || !st.days.length) return null;
    const totals = {};
    for (const day of st.days) {
      for (const [k, v] of Object.entries(day)) if (typeof v === "number") totals[k] = (totals[k] || 0) + v;
    }
    const reasons = Object.entries(totals);
    if (!reasons.length) return null;
    const labels = { honeypot: "Hidden field filled", too_fast: "Sent too fast" };
    return html`<div class="panel">
      <h2 class="panel-title">Spam kept out <span class="muted">last ${STATS_DAYS} days</span></h2>
      <div class="tiles tiles-small">
        ${reasons.map(([k, v]) => html`<div class="tile"><span class="tile-value">${formatNumber(v)}</span><span class="tile-label">${labels[k] || humanise(k)}</span></div>`)}
      </div>
    </div>`;
  }

  const offStages = ctx.onChange ? ctx.onChange("stages", () => {
    update();
    countPipeline();
  }) : () => {};
  document.title = "Dashboard · Hearth";
  update();
  watchAggregates();
  watchStats();
  countPipeline();

  return () => {
    alive = false;
    offStages();
    for (const off of unsubs) off();
    render(nothing, container);
  };
}

function formatNumber(n) {
  return typeof n === "number" && Number.isFinite(n) ? n.toLocaleString("en-GB", { maximumFractionDigits: 2 }) : "—";
}

function humanise(id) {
  const t = String(id)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return t ? t[0].toUpperCase() + t.slice(1) : "—";
}
