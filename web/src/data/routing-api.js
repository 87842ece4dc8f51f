// The owner's lead routing rules, through the admin function (owner only):
//
//   PUT  /admin/settings/routing           {rules: [{id, label?, match, action, enabled}], fallback}
//   POST /admin/settings/routing/preview   the same body: who each new customer of the last
//                                          30 days would have gone to, by which rule and why;
//                                          nothing written
// Each resolves to {ok, status, body, message}; a 400 carries body.fields naming the
// field at fault by the rule's place in the list (rules.0.match.source, an unknown
// source; rules.1.action.group.2, a uid that is not an active rep; rules.0.match.field.key;
// fallback.rep).
import { explainer, waitText } from "./api.js";

function messages(doing) {
  return explainer({
    400: `Some routing rules need attention. Nothing was ${doing}.`,
    401: "Your session has ended. Sign in again.",
    403: ({ server }) => server || "Only the owner sets the routing rules.",
    503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
    other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
  });
}

const saveMessage = messages("saved");
const previewMessage = messages("previewed");

export function routingApi(api) {
  const path = "/admin/settings/routing";
  return {
    save: (body) => api.request("PUT", path, body, { explain: saveMessage }),
    preview: (body) => api.request("POST", `${path}/preview`, body, { explain: previewMessage }),
  };
}
