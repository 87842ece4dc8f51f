// Duplicates and merges, through the admin function (the owner's):
//
//   GET  /admin/duplicates                  -> {pairs: [{id, a, b, reasons, score}], more}
//   POST /admin/duplicates/{pair}/dismiss   -> {dismissed}: "not the same person"
//   POST /admin/merges/preview {survivor, other}
//                                           -> {fields: [{field, survivor, other, default}], moves}
//   POST /admin/merges {id, survivor, other, choices: {field: "survivor"|"other"}}
//                                           -> {merge}; the same id again finds it (or finishes it)
//   POST /admin/merges/{id}/undo            -> {merge: {state: "undone", kept: [field]}}
// Each resolves to {ok, status, body, message}; a 409 says why (two currencies, already undone).
import { explainer, waitText } from "./api.js";
import { newId } from "../lib/ids.js";

const explain = explainer({
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner finds and merges duplicates.",
  404: ({ server }) => server || "One of these customers is not there any more.",
  409: ({ server }) => server || "This merge cannot be done as it stands.",
  400: ({ server }) => server || "The merge needs attention. Nothing was changed.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function mergesApi(api) {
  return {
    duplicates: () => api.request("GET", "/admin/duplicates", undefined, { explain }),
    dismiss: (pairId) =>
      api.request("POST", `/admin/duplicates/${encodeURIComponent(pairId)}/dismiss`, {}, { explain }),
    preview: (survivor, other) => api.request("POST", "/admin/merges/preview", { survivor, other }, { explain }),
    /** `id` is made once per Confirm and reused by its retries. */
    merge: ({ id, survivor, other, choices }) =>
      api.request("POST", "/admin/merges", { id: id || newId(), survivor, other, choices }, { explain }),
    undo: (mergeId) => api.request("POST", `/admin/merges/${encodeURIComponent(mergeId)}/undo`, {}, { explain }),
  };
}
