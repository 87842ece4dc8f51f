// Lead source performance: per source, the leads it brought in the period (cohort: by
// first contact), how many reached each stage, won, lost, conversion (won / leads), the
// revenue those customers paid and the median days from first contact to won. The
// chart: revenue by source as bars, conversion as points.
import { text } from "../../lib/format.js";
import { count, days, money, moneyAxis, percent } from "./table.js";

/** The source's name as settings label it (the function sends "No source" for none). */
export function sourceName(row) {
  return text(row.label) || text(row.source) || "No source";
}

export function leadSources(data, { currency, digits, scope }) {
  const stages = Array.isArray(data.stages) ? data.stages : [];
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const axis = moneyAxis(currency, digits);
  const columns = [
    { key: "source", label: "Source", cell: sourceName },
    { key: "leads", label: "Leads", num: true, cell: (r) => count(r.leads) },
    ...stages.map((stage) => ({
      key: `reached-${stage.id}`,
      label: `Reached ${text(stage.label) || stage.id}`,
      num: true,
      cell: (r) => count(r.reached?.[stage.id]),
    })),
    { key: "won", label: "Won", num: true, cell: (r) => count(r.won) },
    { key: "lost", label: "Lost", num: true, cell: (r) => count(r.lost) },
    { key: "conversion", label: "Conversion", num: true, cell: (r) => percent(r.conversion) },
    { key: "revenue", label: "Revenue", num: true, cell: (r) => money(r.revenue, currency) },
    { key: "medianDaysToWon", label: "Median days to won", num: true, cell: (r) => days(r.medianDaysToWon) },
  ];
  const totals = data.totals && typeof data.totals === "object" ? data.totals : null;
  return {
    columns,
    rows,
    totals,
    rowKey: (r) => r.source,
    label: "Lead sources, one row per source",
    empty: rows.length
      ? null
      : {
          title: "No new leads in this period",
          body:
            scope === "own"
              ? "None of your customers first got in touch in these dates. Try a longer period, such as 12 months."
              : "Nobody first got in touch in these dates. Try a longer period, such as 12 months; customers count from the day they first got in touch.",
        },
    chart: {
      summary: `Revenue and conversion by source: ${rows.map((r) => `${sourceName(r)} ${money(r.revenue, currency)}, ${percent(r.conversion)}`).join("; ")}.`,
      labels: rows.map(sourceName),
      bars: { label: "Revenue", values: rows.map((r) => axis.toMajor(r.revenue)), format: axis.format },
      points: { label: "Conversion", values: rows.map((r) => (typeof r.conversion === "number" ? r.conversion : null)), format: percent, floor: 0.1 },
    },
  };
}
