// The owner's e-mail templates, through the admin function (owner only):
//
//   PUT /admin/settings/email-templates   {templates: [{id, name, stage?, subject, text, html?}]}
// Resolves to {ok, status, body, message}; a 400 carries body.fields naming the part at
// fault by the template's place in the list (templates.0.text).
import { explainer, waitText } from "./api.js";

const explain = explainer({
  400: "Some templates need attention. Nothing was saved.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner writes the e-mail templates.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function emailApi(api) {
  return {
    save: (body) => api.request("PUT", "/admin/settings/email-templates", body, { explain }),
  };
}
