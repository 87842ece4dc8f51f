// The owner's custom field definitions, through the admin function (owner only):
//
//   PUT /admin/settings/fields   {fields: [{key, label, type, options?, required}]}, the whole list in order
// Resolves to {ok, status, body, message}; a 400 carries body.fields naming the field at
// fault by its place in the list (fields.1.key: a key used twice, fields.0.options...).
import { explainer, waitText } from "./api.js";

const fieldsMessage = explainer({
  400: "Some fields need attention. Nothing was saved.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner defines custom fields.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function fieldsApi(api) {
  return {
    save: (fields) => api.request("PUT", "/admin/settings/fields", { fields }, { explain: fieldsMessage }),
  };
}
