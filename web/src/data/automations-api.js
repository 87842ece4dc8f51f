// The owner's automation rules, through the admin function (owner only):
//
//   PUT  /admin/settings/automations           {rules: [{id, on, stage?, sourceKind?, offset, title, enabled}]}
//   POST /admin/settings/automations/preview   the same body: the tasks those rules would
//                                              have made over the last 30 days, nothing written
// Each resolves to {ok, status, body, message}; a 400 carries body.fields naming the
// field at fault by the rule's place in the list (rules.0.offset.businessDays, rules.1.id,
// rules.0: an offset the rule's event cannot have).
import { explainer, waitText } from "./api.js";

const automationsMessage = explainer({
  400: "Some rules need attention. Nothing was saved.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner sets the automation rules.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

const previewMessage = explainer({
  400: "Some rules need attention. Nothing was previewed.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner previews the automation rules.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function automationsApi(api) {
  const path = "/admin/settings/automations";
  return {
    save: (rules) => api.request("PUT", path, { rules }, { explain: automationsMessage }),
    preview: (rules) => api.request("POST", `${path}/preview`, { rules }, { explain: previewMessage }),
  };
}
