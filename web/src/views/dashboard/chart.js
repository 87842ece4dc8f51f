// Pageviews and unique visitors over the period as a line chart (uPlot), with the same
// figures as a table for anyone who cannot see the chart (screen readers, keyboard, a
// print-out). uPlot is loaded with import() the first time a chart is drawn, so only
// the dashboard fetches it; its styles are in styles/dashboard.css.
import { html, nothing } from "lit-html";
import { formatCount } from "../../lib/format.js";
import { UplotChart } from "../../lib/uplot-chart.js";

const HEIGHT = 220;
const COLOURS = { pageviews: "#2f5fb3", visitors: "#b3472f" };

/** "2026-11-07" or "2026-11" -> the UTC midnight that starts it, in seconds. */
function instantOf(date) {
  const [y, m, d = "1"] = String(date).split("-");
  return Date.UTC(Number(y), Number(m) - 1, Number(d)) / 1000;
}

const labelFormats = new Map();
/** A series date as a person reads it: "7 Nov" for a day, "Nov 2026" for a month. */
export function dateLabel(date, granularity, { long = false } = {}) {
  const key = `${granularity}|${long}`;
  let f = labelFormats.get(key);
  if (!f) {
    const opts =
      granularity === "month"
        ? { month: long ? "long" : "short", year: "numeric" }
        : { day: "numeric", month: "short", ...(long ? { year: "numeric", weekday: "short" } : {}) };
    f = new Intl.DateTimeFormat("en-GB", { ...opts, timeZone: "UTC" });
    labelFormats.set(key, f);
  }
  return f.format(new Date(instantOf(date) * 1000));
}

/**
 * The chart's place and its table. series: the answer's `series`; the chart itself is
 * drawn into [data-chart] by a TrafficChart once this is on the page.
 */
export function chartPanel(series, granularity, periodText, status) {
  const unit = granularity === "month" ? "month" : "day";
  const pageviews = series.reduce((sum, p) => sum + (Number(p.pageviews) || 0), 0);
  const visitors = series.reduce((sum, p) => sum + (Number(p.visitors) || 0), 0);
  const summary = `Pageviews and unique visitors per ${unit}, ${periodText}: ${formatCount(pageviews)} pageviews, ${formatCount(visitors)} visitors in all.`;
  return html`<figure class="chart-figure">
      <figcaption class="chart-legend">
        <span class="legend-key"><span class="legend-swatch swatch-pageviews" aria-hidden="true"></span>Pageviews</span>
        <span class="legend-key"><span class="legend-swatch swatch-visitors" aria-hidden="true"></span>Unique visitors</span>
      </figcaption>
      <div class="chart" data-chart data-testid="chart" role="img" aria-label=${summary}></div>
      ${status === "error" ? html`<p class="muted">The chart could not be drawn; the figures are in the table below.</p>` : nothing}
    </figure>
    <details class="chart-table">
      <summary>Show these figures as a table</summary>
      <div class="table-scroll" role="region" aria-label="Pageviews, visitors and leads per ${unit}" tabindex="0">
        <table class="data-table" data-testid="series-table">
          <thead><tr><th scope="col">${unit === "month" ? "Month" : "Day"}</th><th scope="col" class="num">Pageviews</th>
            <th scope="col" class="num">Visitors</th><th scope="col" class="num">New leads</th></tr></thead>
          <tbody>
            ${series.map(
              (p) => html`<tr data-date=${p.date}>
                <th scope="row">${dateLabel(p.date, granularity, { long: true })}</th>
                <td class="num">${formatCount(Number(p.pageviews) || 0)}</td>
                <td class="num">${formatCount(Number(p.visitors) || 0)}</td>
                <td class="num">${formatCount(Number(p.leads) || 0)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
}

/**
 * Draws the series into a host element, again when the data or the host changes, and
 * follows the host's width. onStatus("ready" | "error") says whether uPlot could be used.
 */
export class TrafficChart extends UplotChart {
  constructor(onStatus) {
    super(HEIGHT, onStatus);
  }

  draw(host, series, granularity) {
    const build = (UPlot) => ({
      data: [
        series.map((p) => instantOf(p.date)),
        series.map((p) => Number(p.pageviews) || 0),
        series.map((p) => Number(p.visitors) || 0),
      ],
      options: {
        cursor: { drag: { x: false, y: false } },
        tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
        axes: [
          {
            stroke: "#4a5361",
            grid: { stroke: "#eef0f3" },
            values: (u, splits) => splits.map((s) => dateLabel(new Date(s * 1000).toISOString().slice(0, 10), granularity === "month" ? "month" : "day")),
          },
          { stroke: "#4a5361", grid: { stroke: "#eef0f3" }, size: 48, values: (u, splits) => splits.map((s) => formatCount(s)) },
        ],
        series: [
          {},
          { label: "Pageviews", stroke: COLOURS.pageviews, width: 2, points: { show: series.length < 40 } },
          { label: "Unique visitors", stroke: COLOURS.visitors, width: 2, points: { show: series.length < 40 } },
        ],
      },
    });
    return super.draw(host, `${granularity}|${JSON.stringify(series)}`, build, { sameShape: true });
  }
}
