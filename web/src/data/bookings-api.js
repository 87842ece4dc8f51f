// Calls to the booking functions as the signed-in staff member, through api.request
// (Authorization: Bearer <ID token>, one token refresh on a 401, never a rejection).
// Kept out of data/api.js so that the first screen does not carry them: only the lazily
// loaded calendar, its dialogs and the customer page use them.
//
//   GET  /availability?type&from&to&tz        free times (the public widget's answer)
//   POST /book                                 {email, name?, start, tz, type, notes?, submission_id}
//   POST /booking/<id>/cancel                  {reason?}
//   POST /booking/<id>/reschedule              {start, tz?}
//   POST /booking/<id>/sync                    try Google Calendar again now (staff)
// Each resolves to {ok, status, body, message}, with messages about times, not edits.
import { toDate } from "../lib/format.js";
import { explainer, waitText } from "./api.js";

export function bookingApi(api) {
  const send = (method, path, body) => api.request(method, path, body, { explain: bookingMessage });
  return {
    availability(params = {}) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
      }
      const qs = query.toString();
      return send("GET", `/availability${qs ? `?${qs}` : ""}`);
    },
    book: (body) => send("POST", "/book", body),
    cancel: (id, body = {}) => send("POST", `/booking/${encodeURIComponent(id)}/cancel`, body),
    reschedule: (id, body) => send("POST", `/booking/${encodeURIComponent(id)}/reschedule`, body),
    sync: (id) => send("POST", `/booking/${encodeURIComponent(id)}/sync`, {}),
  };
}

/**
 * A call's Google Calendar copy when it needs a person's attention, else null:
 * {state: "failed" | "pending", error, cancelled}. "failed": Google refused it (or the
 * scheduled sync gave up) and only "Try again" sends it once more; "pending": not there
 * yet, the sync keeps trying. Calls that are over, and cancelled calls that never had an
 * event, need nothing.
 */
export function calendarProblem(booking, now = Date.now()) {
  const calendar = booking && typeof booking.calendar === "object" && booking.calendar ? booking.calendar : null;
  const state = calendar ? calendar.state : null;
  if (state !== "failed" && state !== "pending") return null;
  const end = toDate(booking.end) || toDate(booking.start);
  if (end && end.getTime() <= now) return null;
  const cancelled = booking.status === "cancelled";
  if (cancelled && !booking.calendarEventId) return null;
  const error = typeof calendar.lastError === "string" ? calendar.lastError.trim() : "";
  return { state, error, cancelled };
}

/** What a person reads about that copy (the error text is shown beside it, as text). */
export function calendarProblemText(problem) {
  if (!problem) return "";
  if (problem.state === "failed") {
    return problem.cancelled
      ? "Still in Google Calendar: the cancellation was refused."
      : "Not in Google Calendar: Google refused it.";
  }
  return problem.cancelled ? "Not removed from Google Calendar yet." : "Not in Google Calendar yet.";
}

/** The sentence after "Try again": {ok, message} from the sync answer. */
export function syncOutcome(res) {
  if (!res.ok) {
    if (res.status === 409 && res.body && res.body.error === "no_calendar") {
      return { ok: false, message: "No Google Calendar is connected to Hearth, so there is nothing to try again." };
    }
    return { ok: false, message: res.message };
  }
  const booking = (res.body && res.body.booking) || {};
  if (booking.calendar === "synced") return { ok: true, message: "It is in Google Calendar now." };
  if (booking.calendar === "failed") {
    const why = typeof booking.calendarError === "string" && booking.calendarError ? ` ${booking.calendarError}` : "";
    return { ok: false, message: `Google refused it again.${why}` };
  }
  return { ok: true, message: "Google could not be reached just now: Hearth keeps trying every few minutes." };
}

/**
 * "Try again" for the calls whose Google Calendar copy failed, as the calendar and the
 * customer page offer it: one call at a time, each call's answer kept until cleared.
 * view: {update(), disposed()}; `note(call)` adds to an answer ({label} on the calendar).
 */
export function syncRetries(api, view, note = () => ({})) {
  let syncing = null; // id whose calendar copy is being tried again
  let answers = {}; // id -> {ok, message, ...note} after "Try again"
  return {
    busy: (id) => syncing === id,
    answer: (id) => answers[id],
    answered: () => Object.keys(answers),
    clear() {
      answers = {};
    },
    async tryAgain(call) {
      if (syncing) return;
      syncing = call.id;
      delete answers[call.id];
      view.update();
      const res = await bookingApi(api).sync(call.id);
      syncing = null;
      if (view.disposed()) return;
      answers[call.id] = { ...syncOutcome(res), ...note(call) };
      view.update();
    },
  };
}

const busy = ({ wait }) =>
  `Hearth is busy or cannot reach its database. Nothing was changed: try again${waitText(wait)} (it is safe).`;

/** A sentence for a person from a booking function's refusal (a 409 there is about time). */
export const bookingMessage = explainer({
  400: ({ server }) => server || "Some fields need attention.",
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Your role may not book or change calls for this customer.",
  404: ({ server }) => server || "This call is not there any more, or is not yours.",
  409: ({ server, code }) => {
    if (code === "no_calendar") return server || "No Google Calendar is connected to Hearth.";
    if (code === "cancelled") return "This call has been cancelled, so it cannot be moved. Book a new one instead.";
    return "Sorry, that time was just taken. Please pick another.";
  },
  429: busy,
  503: busy,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});
