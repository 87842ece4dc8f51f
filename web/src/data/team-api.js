// The team's comings and goings, through the admin function:
//
//   PUT  /admin/team/{uid}/away                    {from: "YYYY-MM-DD"|null, until: …|null}
//                                                  -> {uid, away} (the owner, or a rep for themselves)
//   POST /admin/team/{uid}/handover                {mode: "rules"|"rep", to?, job_id, batch_size}
//                                                  -> {job: {from, mode, to, state, total, moved}}
//                                                  moves the next batch; call again until done
//   POST /admin/team/{uid}/handover/{job_id}/stop  -> {job}; calling handover again resumes
// Each resolves to {ok, status, body, message}; a 400 names the field (until, to), a 409
// says the person is still an active rep (uid) or the job is another hand-over's (job_id).
import { explainer, waitText } from "./api.js";

/** Customers moved per call: the progress bar moves at least this often. */
export const HANDOVER_BATCH = 25;

const common = {
  401: "Your session has ended. Sign in again.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
};

const awayMessage = explainer({
  ...common,
  400: ({ server }) => server || "The away dates need attention. Nothing was saved.",
  403: ({ server }) => server || "Only the owner marks a rep away.",
  404: ({ server }) => server || "This person is not on the team any more.",
});

const handoverMessage = explainer({
  ...common,
  400: ({ server }) => server || "The hand-over needs attention. Nothing was moved.",
  403: ({ server }) => server || "Only the owner hands a rep's customers over.",
  404: ({ server }) => server || "This person or hand-over is not there any more.",
  409: ({ server }) => server || "This hand-over cannot run now.",
});

export function teamApi(api) {
  const base = (uid) => `/admin/team/${encodeURIComponent(uid)}`;
  return {
    setAway: (uid, away) => api.request("PUT", `${base(uid)}/away`, away, { explain: awayMessage }),
    handover: (uid, { mode, to, jobId }) =>
      api.request(
        "POST",
        `${base(uid)}/handover`,
        { mode, ...(mode === "rep" ? { to } : {}), job_id: jobId, batch_size: HANDOVER_BATCH },
        { explain: handoverMessage },
      ),
    stopHandover: (uid, jobId) =>
      api.request("POST", `${base(uid)}/handover/${encodeURIComponent(jobId)}/stop`, {}, { explain: handoverMessage }),
  };
}
