// Time in stage: per stage (pipeline order), how many stays in it ended in the period
// and their median and average length in days, from the stage history (a stage entered
// twice is two stays). The chart: the median days per stage.
import { text } from "../../lib/format.js";
import { count, days } from "./table.js";

function stageName(row) {
  return text(row.label) || text(row.stage);
}

export function timeInStage(data, { scope }) {
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const withStays = rows.filter((r) => Number(r.stays) > 0);
  const columns = [
    { key: "stage", label: "Stage", cell: stageName },
    { key: "stays", label: "Stays ended", num: true, cell: (r) => count(r.stays) },
    { key: "medianDays", label: "Median days", num: true, cell: (r) => days(r.medianDays) },
    { key: "averageDays", label: "Average days", num: true, cell: (r) => days(r.averageDays) },
  ];
  return {
    columns,
    rows,
    totals: data.totals && typeof data.totals === "object" ? data.totals : null,
    rowKey: (r) => r.stage,
    label: "Time in stage, one row per stage",
    empty: withStays.length
      ? null
      : {
          title: "No stay in a stage ended in this period",
          body:
            (scope === "own" ? "None of your customers moved on from a stage in these dates. " : "Nobody moved on from a stage in these dates. ") +
            "A stay counts once the customer moves to another stage: try a longer period, or move customers on the Board.",
        },
    chart: {
      summary: `Median days per stage: ${rows.map((r) => `${stageName(r)} ${days(r.medianDays)}`).join("; ")}.`,
      labels: rows.map(stageName),
      bars: { label: "Median days", values: rows.map((r) => (typeof r.medianDays === "number" ? r.medianDays : null)), format: (v) => days(v) },
    },
  };
}
