// Calls to the admin API's task routes, through api.request (ID token, one refresh on a
// 401, never a rejection). The page never writes Firestore: the function checks the
// role and puts every task and every Done on the customer's timeline.
//
//   POST /admin/tasks               {customer, title, due (ISO 8601 with its zone), task_id}
//   POST /admin/tasks/<id>/done     idempotent: done twice is done once
import { newId } from "../lib/ids.js";
import { explainer, waitText } from "./api.js";

const taskMessage = explainer({
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Your role may not change this task.",
  404: ({ server }) => server || "This task or customer is not there any more, or is not yours.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});

export function tasksApi(api) {
  const send = (path, body) => api.request("POST", path, body, { explain: taskMessage });
  return {
    /** {customer, title, due: Date, task_id?}: task_id keeps a retry from adding twice. */
    add: ({ customer, title, due, task_id }) =>
      send("/admin/tasks", { customer, title, due: due.toISOString(), task_id: task_id || newId() }),
    done: (id) => send(`/admin/tasks/${encodeURIComponent(id)}/done`, {}),
  };
}
