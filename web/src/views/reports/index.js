// The reports (#/reports): which source, which stage, which rep and which trade show
// turn leads into money, over a period. Owner and manager see everyone's figures; a rep
// sees the same reports over their own customers only (the function answers
// scope "own" and the screen says "Your customers only"). Partners never get here.
//
// Route: #/reports[?report=<name>&from=YYYY-MM-DD&to=YYYY-MM-DD[&by=creation]] (default:
// lead sources over the last 30 business days; by=creation only on the reps report). The view reads the hash on every hashchange (main.js
// keeps it mounted), so a reload, a shared link and the back button show the same report.
//
// This file is the screen (what is asked, loading it, the layout); the pieces are
// beside it: period.js (From / To and presets), switcher.js (the report tabs), one file
// per report (its columns, chart and empty state), reps-by.js (the reps report's "count
// wins and revenue when won / at creation"), table.js, chart.js (uPlot, loaded lazily). Data: GET /reports/{name} through data/reports-api.js.
import { html, nothing, render } from "lit-html";
import { reportsApi } from "../../data/reports-api.js";
import { currencyDigits, formatDateTime, text } from "../../lib/format.js";
import { listenWhileShown } from "../../lib/page-events.js";
import { parseIsoDate, todayIn } from "../../lib/zoned.js";
import { empty, error as errorState, loading } from "../states.js";
import { ReportChart, chartFigure } from "./chart.js";
import { leadSources } from "./lead-sources.js";
import { checkPeriod, hashFor, periodForm, presetOf, presetPeriod, readHash } from "./period.js";
import { reps } from "./reps.js";
import { repsByChoice, repsByNote } from "./reps-by.js";
import { reportTable } from "./table.js";
import { timeInStage } from "./time-in-stage.js";
import { tradeShows } from "./trade-shows.js";
import { PANEL_ID, REPORT_IDS, reportLabel, reportSwitch, tabId } from "./switcher.js";

const DEFINE = { "lead-sources": leadSources, "time-in-stage": timeInStage, reps, "trade-shows": tradeShows };

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-11-07" -> "7 Nov 2026" (a business day, written as it is named). */
function dayText(day) {
  const d = parseIsoDate(day);
  return d ? dayFormat.format(new Date(Date.UTC(d.year, d.month - 1, d.day))) : "";
}

function rangeText(from, to) {
  return from === to ? dayText(from) : `${dayText(from)} – ${dayText(to)}`;
}

export function renderReports(container, ctx) {
  const { session, config } = ctx;
  const api = reportsApi(ctx.api);
  const timeZone = config.businessTimeZone;
  const asked = readHash(location.hash, timeZone, REPORT_IDS);
  const s = {
    asked,
    draft: { from: asked.from, to: asked.to, error: null },
    status: "loading", // loading | ready | error
    data: null, // the answer shown, for s.shown (kept while the same report reloads)
    shown: null, // {report, from, to, by} of s.data
    message: "",
    download: { busy: false, message: "" },
    chart: "loading",
  };
  let generation = 0;
  let disposed = false;
  const chart = new ReportChart((status) => {
    if (s.chart === status) return;
    s.chart = status;
    update();
  });

  function update() {
    if (disposed) return;
    render(template(), container);
    const host = container.querySelector("[data-chart]");
    const view = current();
    if (host && view && !view.empty) chart.draw(host, view.chart);
  }

  async function load() {
    const mine = ++generation;
    const want = { ...s.asked };
    s.status = "loading";
    s.message = "";
    update();
    const result = await api.report(want.report, want);
    if (disposed || mine !== generation) return;
    if (result.ok && result.body && typeof result.body === "object" && Array.isArray(result.body.rows)) {
      s.status = "ready";
      s.data = result.body;
      s.shown = want;
    } else {
      s.status = "error";
      s.message = result.ok ? "Hearth answered with something that is not a report. Try again." : result.message;
      const fields = result.body?.fields;
      if (result.status === 400 && fields && (fields.from || fields.to)) {
        const field = fields.from ? "from" : "to";
        s.draft.error = { field, message: String(fields[field]) };
      }
    }
    update();
  }

  function go(next) {
    const hash = hashFor({ ...s.asked, ...next });
    if (location.hash !== hash) location.hash = hash;
  }

  const on = {
    input(field, value) {
      s.draft[field] = value;
      if (s.draft.error?.field === field) s.draft.error = null;
      update();
    },
    submit() {
      const problem = checkPeriod(s.draft.from, s.draft.to);
      s.draft.error = problem;
      if (problem) {
        update();
        container.querySelector(`#report-${problem.field}`)?.focus();
        return;
      }
      go({ from: s.draft.from, to: s.draft.to });
      if (s.status === "error" && s.asked.from === s.draft.from && s.asked.to === s.draft.to) load();
    },
    preset(id) {
      go(presetPeriod(id, todayIn(timeZone)));
    },
  };

  function onHashChange() {
    if (disposed || !/^#\/?reports(\?|$)/.test(location.hash)) return;
    const next = readHash(location.hash, timeZone, REPORT_IDS);
    const same = ["report", "from", "to", "by"].every((key) => next[key] === s.asked[key]);
    if (same) return;
    s.asked = next;
    s.draft = { from: next.from, to: next.to, error: null };
    s.download = { busy: false, message: "" };
    load();
  }

  async function download() {
    if (s.download.busy) return;
    const want = { ...s.asked };
    s.download = { busy: true, message: `Preparing the ${reportLabel(want.report).toLowerCase()} CSV…` };
    update();
    const result = await api.downloadCsv(want.report, want);
    if (disposed) return;
    s.download = { busy: false, message: result.ok ? `Downloaded ${result.body.filename}.` : result.message };
    update();
  }

  /** The report on screen, described for the table and chart (null while none is). */
  function current() {
    const d = s.data;
    if (!d || s.status === "error" || s.shown?.report !== s.asked.report) return null;
    const currency = text(d.currency) || "EUR";
    return DEFINE[s.asked.report](d, {
      currency,
      digits: currencyDigits(currency),
      scope: d.scope === "own" ? "own" : "all",
      role: session.role,
    });
  }

  // --- rendering ----------------------------------------------------------------------

  function template() {
    const own = s.data ? s.data.scope === "own" : session.role === "rep";
    const preset = presetOf(s.asked, todayIn(timeZone));
    return html`<section class="dashboard reports" data-testid="reports" data-report=${s.asked.report}
        data-shown=${s.status === "ready" && s.shown ? `${s.shown.report}|${s.shown.from}|${s.shown.to}|${s.shown.by}` : ""}>
      <header class="page-head dashboard-head">
        <div class="page-title-row">
          <h1 class="page-title">Reports</h1>
          ${own ? html`<span class="badge report-scope" data-testid="scope-note">Your customers only</span>` : nothing}
        </div>
        <p class="page-sub muted" data-testid="range">
          ${rangeText(s.asked.from, s.asked.to)}${own ? ", over the customers you own" : ""}
        </p>
        ${periodForm(s.draft, preset, on, { busy: s.status === "loading" })}
      </header>
      ${reportSwitch(s.asked.report, (id) => go({ report: id }))}
      <div class="panel report-panel" role="tabpanel" id=${PANEL_ID} aria-labelledby=${tabId(s.asked.report)}>
        ${panel()}
      </div>
    </section>`;
  }

  function panel() {
    const view = current();
    const d = view ? s.data : null;
    const title = reportLabel(s.asked.report);
    return html`<div class="panel-head">
        <h2 class="panel-title" id="report-title">${d ? text(d.title) || title : title}</h2>
        <button type="button" class="button" data-testid="download-csv" @click=${download}
          ?disabled=${s.download.busy}>${s.download.busy ? "Downloading…" : "Download CSV"}</button>
      </div>
      <p class="muted panel-note" role="status" aria-live="polite" data-testid="download-message">${s.download.message || nothing}</p>
      ${s.asked.report === "reps" ? repsByChoice(s.asked.by, (by) => go({ by })) : nothing}
      ${d ? upTo(d) : nothing}
      ${s.status === "loading" && !view ? loading(`Loading ${title.toLowerCase()}…`) : nothing}
      ${s.status === "loading" && view ? html`<p class="visually-hidden" role="status">Loading ${title.toLowerCase()}…</p>` : nothing}
      ${s.status === "error"
        ? errorState({ title: "The report could not be loaded", message: s.message, retry: load })
        : nothing}
      ${view ? figures(view) : nothing}`;
  }

  function upTo(d) {
    const zone = text(d.timeZone) || timeZone;
    return html`<p class="muted panel-note" data-testid="up-to">
      ${d.upTo
        ? html`Figures up to <time datetime=${String(d.upTo)}>${formatDateTime(d.upTo, zone)}</time>; changes since then show within a minute or two.`
        : "No change has been counted yet: figures fill in within a minute or two of the first new lead, move or payment."}
    </p>`;
  }

  function figures(view) {
    if (view.empty) {
      return html`<div class=${s.status === "loading" ? "is-stale" : ""}>${empty({ ...view.empty, icon: "▤" })}</div>`;
    }
    return html`<div class="dashboard-body report-body ${s.status === "loading" ? "is-stale" : ""}">
      ${chartFigure(view.chart, s.chart)}
      ${reportTable({ ...view, testid: `table-${s.asked.report}` })}
      ${s.asked.report === "reps"
        ? html`<p class="muted panel-note" data-testid="reps-by-note">${repsByNote(s.data.by)}</p>`
        : nothing}
    </div>`;
  }

  // --- lifecycle ----------------------------------------------------------------------

  document.title = "Reports · Hearth";
  const unlisten = listenWhileShown([[window, "hashchange", onHashChange]]);
  load();

  return () => {
    disposed = true;
    generation += 1;
    unlisten();
    chart.destroy();
    render(nothing, container);
  };
}
