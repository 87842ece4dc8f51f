// The dashboard: the first screen of the owner and the manager. How the website did over
// a period (GET /analytics, data/analytics-api.js: roll-ups that name nobody), and for
// the owner the pipeline by stage; for both the spam kept out (Firestore, pipeline.js).
// Reps and partners never get here (main.js routes them to the customers).
//
// Route: #/dashboard[?period=today|7d|30d|12m] (default 30d). The view reads the period
// from the hash on every hashchange (main.js keeps it mounted), so a reload, a shared
// link and the back button all show the period asked for.
//
// This file is the screen (period, loading the figures, layout); the pieces are beside
// it: periods.js (the period and its control), headline.js (figures and their change),
// chart.js (uPlot, loaded lazily, and its table), funnel.js (the wizard), lists.js
// (ranked lists, today's calls), money.js (source to money, CSV), pipeline.js.
import { html, nothing, render } from "lit-html";
import { analyticsApi } from "../../data/analytics-api.js";
import { listenWhileShown } from "../../lib/page-events.js";
import { empty, error as errorState, loading } from "../states.js";
import { TrafficChart, chartPanel, dateLabel } from "./chart.js";
import { funnel } from "./funnel.js";
import { headline } from "./headline.js";
import { barList, callsToday, itemsOf } from "./lists.js";
import { sourceToMoney } from "./money.js";
import { hashForPeriod, periodFromHash, periodLabel, periodPicker } from "./periods.js";
import { pipelineCounter, pipelinePanel, spamPanel, watchSpam } from "./pipeline.js";
import { tasksCounter, tasksPanel } from "./tasks.js";

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-11-07" -> "7 Nov 2026" (a business day, written as it is named). */
function dayText(day) {
  const [y, m, d] = String(day || "").split("-").map(Number);
  return y && m && d ? dayFormat.format(new Date(Date.UTC(y, m - 1, d))) : "";
}

function rangeText(range) {
  if (!range || !range.from) return "";
  return range.from === range.to ? dayText(range.from) : `${dayText(range.from)} – ${dayText(range.to)}`;
}

export function renderDashboard(container, ctx) {
  const { session, config } = ctx;
  const analytics = analyticsApi(ctx.api);
  const s = {
    period: periodFromHash(location.hash),
    status: "loading", // loading | ready | error
    data: null, // the last answer shown (kept on screen while the next period loads)
    message: "",
    download: { busy: false, message: "" },
    chart: "loading",
    spam: { days: [] },
  };
  let generation = 0;
  let disposed = false;
  const update = () => {
    if (disposed) return;
    render(template(), container);
    drawChart();
  };
  const chart = new TrafficChart((status) => {
    if (s.chart === status) return;
    s.chart = status;
    update();
  });
  const pipeline = session.role === "owner" ? pipelineCounter(ctx, update) : null;
  const openTasks = session.role === "owner" ? tasksCounter(ctx, update) : null;

  async function load() {
    const mine = ++generation;
    s.status = "loading";
    s.message = "";
    update();
    const result = await analytics.figures(s.period);
    if (disposed || mine !== generation) return;
    if (result.ok && result.body && typeof result.body === "object") {
      s.status = "ready";
      s.data = result.body;
    } else {
      s.status = "error";
      s.message = result.ok ? "Hearth answered with something that is not figures. Try again." : result.message;
    }
    update();
  }

  function choose(period) {
    const hash = hashForPeriod(period);
    if (location.hash !== hash) location.hash = hash;
  }

  function onHashChange() {
    if (disposed || !/^#\/?dashboard(\?|$)/.test(location.hash)) return;
    const period = periodFromHash(location.hash);
    if (period === s.period) return;
    s.period = period;
    s.download.message = "";
    load();
  }

  async function download() {
    if (s.download.busy) return;
    const period = s.period;
    s.download = { busy: true, message: "Preparing the CSV…" };
    update();
    const result = await analytics.downloadCsv(period);
    s.download = { busy: false, message: result.ok ? `Downloaded ${result.body.filename}.` : result.message };
    update();
  }

  function drawChart() {
    const host = container.querySelector("[data-chart]");
    if (host && s.data) chart.draw(host, series(s.data), s.data.granularity);
  }

  // --- rendering ----------------------------------------------------------------------

  function template() {
    const d = s.data;
    const shown = d && s.status !== "error" ? d : null;
    return html`<section class="dashboard" data-testid="dashboard" data-period=${s.period}
        data-shown-period=${shown && s.status === "ready" ? String(d.period ?? s.period) : ""}>
      <header class="page-head dashboard-head">
        <div class="page-title-row"><h1 class="page-title">Dashboard</h1></div>
        <p class="page-sub muted" data-testid="range">
          ${shown
            ? html`${periodLabel(s.period)}: ${rangeText(d.range)}${d.previousRange?.from ? html`<span class="range-previous">, compared with ${rangeText(d.previousRange)}</span>` : nothing}`
            : session.role === "manager"
              ? "Totals only, never an individual customer."
              : "How the website and the studio are doing."}
        </p>
        ${periodPicker(s.period, choose, { busy: s.status === "loading" })}
      </header>
      ${s.status === "loading" && !shown ? loading(`Loading ${periodLabel(s.period).toLowerCase()}…`) : nothing}
      ${s.status === "loading" && shown ? html`<p class="visually-hidden" role="status">Loading ${periodLabel(s.period).toLowerCase()}…</p>` : nothing}
      ${s.status === "error"
        ? html`<div class="panel">${errorState({ title: "The figures could not be loaded", message: s.message, retry: load })}</div>`
        : nothing}
      ${shown ? figures(shown) : nothing}
      ${pipeline ? pipelinePanel(pipeline.state, ctx.stages) : nothing}
      ${openTasks ? tasksPanel(openTasks.state) : nothing}
      ${spamPanel(s.spam)}
    </section>`;
  }

  function figures(d) {
    const timeZone = d.timeZone || config.businessTimeZone;
    const points = series(d);
    const visits = (Number(d.totals?.pageviews?.value) || 0) + (Number(d.totals?.visitors?.value) || 0);
    const leadsByDay = points
      .filter((p) => Number(p.leads) > 0)
      .map((p) => ({ label: dateLabel(p.date, d.granularity), value: Number(p.leads), key: p.date }));
    return html`<div class="dashboard-body ${s.status === "loading" ? "is-stale" : ""}">
      ${headline(d.totals)}
      <section class="panel" data-testid="traffic" aria-labelledby="traffic-title">
        <h2 class="panel-title" id="traffic-title">Pageviews and visitors</h2>
        ${visits || points.some((p) => Number(p.pageviews) > 0)
          ? chartPanel(points, d.granularity, periodLabel(s.period).toLowerCase(), s.chart)
          : empty({
              title: "No visits yet",
              body: "Add /track.js to your site: every page that loads it is counted here, without cookies.",
              icon: "↗",
            })}
      </section>
      <div class="dashboard-grid">
        ${funnel(d.wizard)}
        ${barList({ title: "Form submissions", testid: "forms", items: itemsOf(d.forms, "form", "submissions"), valueLabel: "submissions" })}
        ${barList({ title: d.granularity === "month" ? "New leads by month" : "New leads by day", testid: "leads-by-day", items: leadsByDay, valueLabel: "new leads", none: "No new leads in this period." })}
        ${callsToday(d.callsToday, timeZone)}
        ${barList({ title: "Top pages", testid: "top-pages", items: itemsOf(d.topPages, "path", "pageviews"), valueLabel: "pageviews" })}
        ${barList({ title: "Traffic sources", testid: "sources", items: itemsOf(d.sources, "source", "visitors"), valueLabel: "visitors" })}
        ${Array.isArray(d.mediums) && d.mediums.length
          ? barList({ title: "Mediums", testid: "mediums", items: itemsOf(d.mediums, "medium", "visitors"), valueLabel: "visitors" })
          : nothing}
        ${Array.isArray(d.campaigns) && d.campaigns.length
          ? barList({ title: "Campaigns", testid: "campaigns", items: itemsOf(d.campaigns, "campaign", "visitors"), valueLabel: "visitors" })
          : nothing}
      </div>
      ${sourceToMoney(d.sourceToMoney, d.currency || "EUR", { ...s.download, onDownload: download })}
    </div>`;
  }

  // --- lifecycle ----------------------------------------------------------------------

  document.title = "Dashboard · Hearth";
  const unlisten = listenWhileShown([[window, "hashchange", onHashChange]]);
  const offStages = pipeline ? ctx.onChange("stages", () => pipeline.count()) : () => {};
  const stopSpam = watchSpam(ctx.db, s.spam, update);
  pipeline?.count();
  openTasks?.count();
  load();

  return () => {
    disposed = true;
    generation += 1;
    unlisten();
    offStages();
    stopSpam();
    pipeline?.stop();
    openTasks?.stop();
    chart.destroy();
    render(nothing, container);
  };
}

function series(d) {
  return Array.isArray(d.series) ? d.series : [];
}
