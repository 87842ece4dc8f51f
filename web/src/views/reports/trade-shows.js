// Trade shows: the shows of the period (dates overlapping it, or leads from them in
// it), ranked by the revenue their leads paid and by wins (ties share a rank). The
// chart: revenue by show in rank order as bars, wins as points.
import { formatDate, text } from "../../lib/format.js";
import { count, money, moneyAxis } from "./table.js";
import { sourceName } from "./lead-sources.js";

/** "3 Mar 2026 – 5 Mar 2026", one day once, "" without dates (days, not instants). */
function dates(row) {
  const first = text(row.startsOn);
  const last = text(row.endsOn);
  const day = (d) => formatDate(`${d}T12:00:00Z`, "UTC");
  if (!first && !last) return "";
  if (!last || first === last) return day(first || last);
  if (!first) return `until ${day(last)}`;
  return `${day(first)} – ${day(last)}`;
}

/** A rank (ties share one); none for the totals row. */
function rank(value) {
  return typeof value === "number" ? count(value) : "";
}

export function tradeShows(data, { currency, digits, scope, role }) {
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const axis = moneyAxis(currency, digits);
  const columns = [
    { key: "label", label: "Show", cell: sourceName },
    { key: "revenueRank", label: "Rank by revenue", num: true, cell: (r) => rank(r.revenueRank) },
    { key: "winsRank", label: "Rank by wins", num: true, cell: (r) => rank(r.winsRank) },
    { key: "place", label: "Place", cell: (r) => text(r.place) },
    { key: "dates", label: "Dates", cell: dates },
    { key: "leads", label: "Leads", num: true, cell: (r) => count(r.leads) },
    { key: "won", label: "Won", num: true, cell: (r) => count(r.won) },
    { key: "revenue", label: "Revenue", num: true, cell: (r) => money(r.revenue, currency) },
  ];
  return {
    columns,
    rows,
    totals: data.totals && typeof data.totals === "object" ? data.totals : null,
    rowKey: (r) => r.source,
    label: "Trade shows, ranked by revenue",
    empty: rows.length
      ? null
      : {
          title: "No trade shows in this period",
          body:
            role === "owner"
              ? "Add your shows as sources of kind trade show, with their first and last day, under Settings, Pipeline and sources; a show's booking link brings its leads here."
              : scope === "own"
                ? "None of your customers came from a trade show in these dates, and no show was on. Try a longer period."
                : "No show was on in these dates and no lead came from one. Try a longer period; the owner adds shows under Settings.",
        },
    chart: {
      summary: `Trade shows by revenue: ${rows.map((r) => `${r.revenueRank}. ${sourceName(r)} ${money(r.revenue, currency)}, ${count(r.won)} won`).join("; ")}.`,
      labels: rows.map(sourceName),
      bars: { label: "Revenue", values: rows.map((r) => axis.toMajor(r.revenue)), format: axis.format },
      points: { label: "Won", values: rows.map((r) => Number(r.won) || 0), format: (v) => count(v), floor: 4 },
    },
  };
}
