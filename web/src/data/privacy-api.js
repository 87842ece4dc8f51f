// A person's rights, through the admin function (docs/privacy.md):
//
//   GET  /admin/customers/{key}/personal-data?format=json|html  -> a file (owner; a rep their own)
//   POST /admin/customers/{key}/erase  {confirm, id, request?}   -> {erasure: receipt} (owner)
//   POST /admin/privacy/requests       {id, kind, customer?, note?, received?} -> {request}
//   POST /admin/privacy/requests/{id}/done                       -> {request}
// Each resolves to {ok, status, body, message}; a 400 names the field (confirm, kind, ...).
import { explainer, waitText } from "./api.js";

const common = {
  401: "Your session has ended. Sign in again.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
};

const message = explainer({
  ...common,
  400: ({ server }) => server || "Something needs attention. Nothing was changed.",
  403: ({ server }) => server || "Your role may not do this.",
  404: ({ server }) => server || "This customer or request is not there any more.",
});

export function privacyApi(api) {
  const customer = (key, action) => `/admin/customers/${encodeURIComponent(key)}/${action}`;
  return {
    /** Saves the person's data as hearth-<key>.json or .html. */
    download: (key, format) =>
      api.download(`${customer(key, "personal-data")}?format=${format}`, {
        accept: format === "html" ? "text/html" : "application/json",
        // The admin function does not expose Content-Disposition: the same name, made here.
        filename: `hearth-${String(key).replace(/[^\p{L}\p{N}@._-]/gu, "_").slice(0, 120)}.${format}`,
        explain: message,
      }),
    erase: (key, { confirm, id, request }) =>
      api.request("POST", customer(key, "erase"), { confirm, id, ...(request ? { request } : {}) }, { explain: message }),
    addRequest: (body) => api.request("POST", "/admin/privacy/requests", body, { explain: message }),
    finishRequest: (id) =>
      api.request("POST", `/admin/privacy/requests/${encodeURIComponent(id)}/done`, {}, { explain: message }),
  };
}
