// GET /reports/{name} as the signed-in owner, manager or rep, through api.request and
// api.download (Authorization: Bearer <ID token>, one token refresh on a 401, never a
// rejection). Kept out of data/api.js so that only the lazily loaded reports screen
// carries it.
//
//   GET /reports/{name}?from=YYYY-MM-DD&to=YYYY-MM-DD              the report (JSON)
//   GET /reports/{name}?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv   the same, saved as a file
// name: lead-sources | time-in-stage | reps | trade-shows. The reps report also takes
// &by=creation (wins and revenue for the customer's first owner; absent: for the owner
// at the win, the function's default), and its CSV is then hearth-reps-by-creation-….
// Each resolves to {ok, status, body, message}; a refusal is a sentence that says what to do.
import { explainer, waitText } from "./api.js";

export const REPORT_NAMES = ["lead-sources", "time-in-stage", "reps", "trade-shows"];

export function reportsApi(api) {
  const byCreation = (name, by) => name === "reps" && by === "creation";
  const query = (name, { from, to, by }) =>
    `/reports/${encodeURIComponent(name)}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${
      byCreation(name, by) ? "&by=creation" : ""
    }`;
  return {
    report: (name, period) => api.request("GET", query(name, period), undefined, { explain: reportsMessage }),
    downloadCsv: (name, period) =>
      api.download(`${query(name, period)}&format=csv`, {
        accept: "text/csv",
        filename: `hearth-${name}${byCreation(name, period.by) ? "-by-creation" : ""}-${period.from}-${period.to}.csv`,
        explain: reportsMessage,
      }),
  };
}

const reportsMessage = explainer({
  400: ({ server }) => server || "Hearth did not understand the period. Check the From and To dates.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Your role may not see the reports. The owner, managers and reps may.",
  404: "The reports are not available on this Hearth yet. Ask whoever runs it to deploy the reports function.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `The report could not be loaded (HTTP ${status}). Try again.`,
});
