// Rep performance: per rep, what happened in the period by the day it happened (new
// leads, booked calls, cancelled calls, wins, revenue) and demo to close (of the
// customers whose first call was in the period, how many were won after it). The
// chart: revenue by rep as bars, wins as points.
import { text } from "../../lib/format.js";
import { count, money, moneyAxis, percent } from "./table.js";

function repName(row) {
  return text(row.name) || text(row.uid) || "Unassigned";
}

export function reps(data, { currency, digits, scope }) {
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const axis = moneyAxis(currency, digits);
  const columns = [
    { key: "name", label: "Rep", cell: repName },
    { key: "newLeads", label: "New leads", num: true, cell: (r) => count(r.newLeads) },
    { key: "demos", label: "Calls booked", num: true, cell: (r) => count(r.demos) },
    { key: "cancelled", label: "Calls cancelled", num: true, cell: (r) => count(r.cancelled) },
    { key: "wins", label: "Wins", num: true, cell: (r) => count(r.wins) },
    { key: "demoCustomers", label: "First calls", num: true, cell: (r) => count(r.demoCustomers) },
    { key: "demoWins", label: "Won after a call", num: true, cell: (r) => count(r.demoWins) },
    { key: "demoToClose", label: "Demo to close", num: true, cell: (r) => percent(r.demoToClose) },
    { key: "revenue", label: "Revenue", num: true, cell: (r) => money(r.revenue, currency) },
  ];
  const totals = data.totals && typeof data.totals === "object" ? data.totals : null;
  return {
    columns,
    rows,
    totals: scope === "own" ? null : totals,
    rowKey: (r) => r.uid ?? "_none",
    label: "Reps, one row per rep",
    empty: rows.length
      ? null
      : {
          title: "No activity in this period",
          body:
            scope === "own"
              ? "You had no new leads, calls, wins or payments in these dates. Try a longer period."
              : "No new leads, calls, wins or payments in these dates. Try a longer period; customers without an owner count as Unassigned.",
        },
    chart: {
      summary: `Revenue and wins by rep: ${rows.map((r) => `${repName(r)} ${money(r.revenue, currency)}, ${count(r.wins)} wins`).join("; ")}.`,
      labels: rows.map(repName),
      bars: { label: "Revenue", values: rows.map((r) => axis.toMajor(r.revenue)), format: axis.format },
      points: { label: "Wins", values: rows.map((r) => Number(r.wins) || 0), format: (v) => count(v), floor: 4 },
    },
  };
}
