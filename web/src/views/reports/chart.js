// A report's chart: one bar per row (revenue by source, median days by stage, revenue
// by rep, revenue by show) and, where a second figure helps, a point per row on its own
// scale (conversion, wins). uPlot is loaded with import() the first time a chart is
// drawn, so only a screen with a chart fetches it (the dashboard shares the same chunk);
// its styles are in styles/dashboard.css. The chart is decoration for those who can see
// it: the table beside it has every figure, and the chart's label sums it up.
import { html, nothing } from "lit-html";
import { UplotChart } from "../../lib/uplot-chart.js";

const HEIGHT = 240;
export const COLOURS = { bars: "#2f5fb3", points: "#b3472f" };


/** A category's name on the axis: short enough to sit under its bar. */
function short(label) {
  const text = String(label ?? "");
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
}

/**
 * The chart's place: its legend and the element ReportChart draws into.
 * spec: {summary, labels, bars: {label, values, format}, points?: {label, values, format}}
 */
export function chartFigure(spec, status) {
  if (!spec || !spec.labels.length) return nothing;
  return html`<figure class="chart-figure report-chart">
    <figcaption class="chart-legend">
      <span class="legend-key"><span class="legend-swatch swatch-bars" aria-hidden="true"></span>${spec.bars.label}</span>
      ${spec.points
        ? html`<span class="legend-key"><span class="legend-swatch swatch-points" aria-hidden="true"></span>${spec.points.label} (points, right-hand scale)</span>`
        : nothing}
    </figcaption>
    <div class="chart" data-chart data-testid="report-chart" role="img" aria-label=${spec.summary}></div>
    ${status === "error" ? html`<p class="muted">The chart could not be drawn; the figures are in the table.</p>` : nothing}
  </figure>`;
}

/**
 * Draws a spec into a host element, again when the spec or the host changes, and
 * follows the host's width. onStatus("ready" | "error") says whether uPlot could be used.
 */
export class ReportChart extends UplotChart {
  constructor(onStatus) {
    super(HEIGHT, onStatus);
  }

  draw(host, spec) {
    if (!spec) return undefined;
    const key = JSON.stringify([spec.labels, spec.bars.values, spec.points?.values ?? null, spec.bars.label]);
    const build = (UPlot) => {
      const n = spec.labels.length;
      const data = [spec.labels.map((_, i) => i), spec.bars.values.map((v) => v ?? null)];
      const series = [
        {},
        {
          label: spec.bars.label,
          scale: "bars",
          stroke: COLOURS.bars,
          fill: `${COLOURS.bars}cc`,
          width: 1,
          paths: UPlot.paths.bars({ size: [0.6, 64] }),
          points: { show: false },
        },
      ];
      const axes = [
        {
          stroke: "#4a5361",
          grid: { show: false },
          splits: () => spec.labels.map((_, i) => i),
          values: (u, splits) => splits.map((i) => short(spec.labels[i])),
          rotate: n > 4 && host.clientWidth < 560 ? -30 : 0,
          size: n > 4 && host.clientWidth < 560 ? 70 : 40,
        },
        {
          scale: "bars",
          stroke: "#4a5361",
          grid: { stroke: "#eef0f3" },
          size: 64,
          values: (u, splits) => splits.map((s) => spec.bars.format(s)),
        },
      ];
      const scales = {
        x: { time: false, range: () => [-0.5, n - 0.5] },
        bars: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.1)] },
      };
      if (spec.points) {
        data.push(spec.points.values.map((v) => v ?? null));
        series.push({
          label: spec.points.label,
          scale: "points",
          stroke: COLOURS.points,
          width: 0,
          paths: () => null,
          points: { show: true, size: 9, fill: COLOURS.points, stroke: COLOURS.points },
        });
        axes.push({
          scale: "points",
          side: 1,
          stroke: COLOURS.points,
          grid: { show: false },
          size: 52,
          values: (u, splits) => splits.map((s) => spec.points.format(s)),
        });
        scales.points = { range: (u, min, max) => [0, Math.max(spec.points.floor ?? 1, (max || 0) * 1.1)] };
      }
      return { data, options: { cursor: { drag: { x: false, y: false }, points: { show: false } }, scales, axes, series } };
    };
    return super.draw(host, key, build);
  }
}
