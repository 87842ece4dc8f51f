// GET /analytics as the signed-in owner or manager, through api.request and api.download
// (Authorization: Bearer <ID token>, one token refresh on a 401, never a rejection).
// Kept out of data/api.js so that only the lazily loaded dashboard carries it.
//
//   GET /analytics?period=today|7d|30d|12m              the figures (docs/analytics.md)
//   GET /analytics?period=today|7d|30d|12m&format=csv   source to money, saved as a file
// Each resolves to {ok, status, body, message}; a refusal is a sentence about figures.
import { explainer, waitText } from "./api.js";

export function analyticsApi(api) {
  const query = (period) => `/analytics?period=${encodeURIComponent(period)}`;
  return {
    figures: (period) => api.request("GET", query(period), undefined, { explain: analyticsMessage }),
    downloadCsv: (period) =>
      api.download(`${query(period)}&format=csv`, {
        accept: "text/csv",
        filename: `hearth-source-to-money-${period}.csv`,
        explain: analyticsMessage,
      }),
  };
}

const analyticsMessage = explainer({
  400: ({ server }) => server || "Hearth did not understand which period to show.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Your role may not see the figures. Only the owner and managers may.",
  404: "The figures are not available on this Hearth yet.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `The figures could not be loaded (HTTP ${status}). Try again.`,
});
