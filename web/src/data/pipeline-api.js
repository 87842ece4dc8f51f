// The owner's pipeline settings and sources, through the admin function (owner only):
//
//   PUT    /admin/settings/pipeline    {template} or {stages: [{id, label, group}]}
//   PUT    /admin/sources/<id>         {label, kind, startsOn?, endsOn?, place?, timeZone?}
//   DELETE /admin/sources/<id>
// Each resolves to {ok, status, body, message}; a 400 or 409 carries body.fields naming
// what is at fault (stages.<n>.id, label, "stages": "3 customers are in …").
import { explainer, waitText } from "./api.js";

export function pipelineApi(api) {
  const send = (method, path, body) => api.request(method, path, body, { explain: pipelineMessage });
  const sourcePath = (id) => `/admin/sources/${encodeURIComponent(id)}`;
  return {
    useTemplate: (template) => send("PUT", "/admin/settings/pipeline", { template }),
    saveStages: (stages) => send("PUT", "/admin/settings/pipeline", { stages }),
    saveSource: (id, body) => send("PUT", sourcePath(id), body),
    deleteSource: (id) => send("DELETE", sourcePath(id)),
  };
}

const pipelineMessage = explainer({
  400: "Some fields need attention. Nothing was saved.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Only the owner changes the pipeline and its sources.",
  404: ({ server }) => server || "There is no such source.",
  409: ({ server }) => server || "Customers are still in the way. Nothing was saved.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});
