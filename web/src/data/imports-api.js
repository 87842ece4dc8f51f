// Importing a customer file, through the admin function (the owner's):
//
//   POST /admin/imports/preview   {headers, rows (≤ 20), source?, mapping?}
//                                 -> {format, mapping, remembered, targets, rows: [{line, email,
//                                    action: create|fill|unchanged|skip|error, fills, conflicts, reason}]}
//   POST /admin/imports           {job, file, headers, mapping, source, total} -> {job}
//                                 (created, found to resume, or begun again when done)
//   POST /admin/imports/{job}/rows {first, rows (≤ 500)} -> {job, chunk, repeated}
//   GET  /admin/imports/{job}     -> {job: {id, nextLine, total, counts, state, run, …}}
//   GET  /admin/imports/{job}/report?format=csv   the rows not imported, as CSV
// Each resolves to {ok, status, body, message}; a 400 names the column at fault (mapping.<i>).
import { explainer, waitText } from "./api.js";

/** Rows per request: the server takes at most 500. */
export const IMPORT_CHUNK = 500;
/** …and at most about this many characters of cells: under the 4 MB a request takes even as UTF-8. */
export const IMPORT_CHUNK_CHARS = 1_000_000;

const importMessage = explainer({
  400: ({ server }) => server || "The import needs attention. Nothing was imported.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner imports customers.",
  404: ({ server }) => server || "This import is not there any more. Choose the file again.",
  409: ({ server }) => server || "This import has finished.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function importsApi(api) {
  const job = (id) => `/admin/imports/${encodeURIComponent(id)}`;
  return {
    preview: (body) => api.request("POST", "/admin/imports/preview", body, { explain: importMessage }),
    start: (body) => api.request("POST", "/admin/imports", body, { explain: importMessage }),
    rows: (id, first, rows) => api.request("POST", `${job(id)}/rows`, { first, rows }, { explain: importMessage }),
    job: (id) => api.request("GET", job(id), undefined, { explain: importMessage }),
    report: (id) =>
      api.download(`${job(id)}/report?format=csv`, {
        filename: `hearth-import-${id.slice(0, 12)}-report.csv`,
        explain: importMessage,
      }),
  };
}
