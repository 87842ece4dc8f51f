// Calls to Hearth's functions as the signed-in user (Authorization: Bearer <ID token>).
// The page never writes Firestore itself: every change goes through the admin API,
// which checks the role, validates, and records the change on the timeline.
//
// Every call resolves (never rejects) to {ok, status, body, message}:
//   ok       true for 2xx
//   status   the HTTP status, 0 when the server could not be reached
//   body     the JSON answer ({customer, outcome} on success; {error, message, fields?})
//   message  a sentence to show a person when !ok
//   current  for a 409 conflict: the customer as it is now (body.current)
//
// Bodies use the server's field names (README, "Admin write API"); a missing
// request_id / payment_id / note_id is filled with a fresh id, and expected_updated_at
// may be given as a Firestore Timestamp, a Date or an ISO string.

import { isoTime } from "../lib/format.js";
import { newId } from "../lib/ids.js";

export function createApi({ auth, config }) {
  const base = config.functionsBase || "";

  async function token(force = false) {
    const user = auth.currentUser;
    return user ? user.getIdToken(force) : null;
  }

  async function send(method, path, body, { accept = "application/json" } = {}) {
    let attempt = 0;
    for (;;) {
      const idToken = await token(attempt > 0).catch(() => null);
      if (!idToken) {
        return fail(401, { error: "unauthenticated" }, "You are signed out. Sign in again.");
      }
      let response;
      try {
        response = await fetch(base + path, {
          method,
          headers: {
            Authorization: `Bearer ${idToken}`,
            Accept: accept,
            ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
      } catch {
        return fail(0, { error: "network" }, "Could not reach Hearth. Check the connection and try again.");
      }
      // An expired token is refreshed once; a second 401 is real.
      if (response.status === 401 && attempt === 0) {
        attempt += 1;
        continue;
      }
      return response;
    }
  }

  // `explain` turns a refusal into a sentence; callers with their own vocabulary (the
  // booking functions, bookings-api.js) pass theirs.
  async function request(method, path, body, { explain = messageFor } = {}) {
    const response = await send(method, path, body);
    if (!(response instanceof Response)) return response;
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok) return { ok: true, status: response.status, body: data, message: "" };
    return fail(response.status, data, explain(response, data));
  }

  /**
   * GETs a file and saves it the way a link with `download` does, named after the
   * function's Content-Disposition (else `filename`). Resolves like request, with
   * body {filename, size} when saved. Every download of the page goes through here.
   */
  async function download(path, { accept = "text/csv", filename = "hearth-download", explain = messageFor } = {}) {
    const response = await send("GET", path, undefined, { accept });
    if (!(response instanceof Response)) return response;
    if (!response.ok) {
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      return fail(response.status, data, explain(response, data));
    }
    const blob = await response.blob();
    const disposition = response.headers.get("Content-Disposition") || "";
    const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const saveAs = named ? decodeURIComponent(named[1]) : filename;
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = saveAs;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return { ok: true, status: response.status, body: { filename: saveAs, size: blob.size }, message: "" };
  }

  function customerPath(key, action) {
    return `/admin/customers/${encodeURIComponent(key)}${action ? `/${action}` : ""}`;
  }

  function withId(body, field) {
    const out = { ...(body || {}) };
    if (!out[field]) out[field] = newId();
    if ("expected_updated_at" in out) out.expected_updated_at = isoTime(out.expected_updated_at);
    return out;
  }

  return {
    request,
    /** PATCH {expected_updated_at, changes, request_id?} */
    patchCustomer: (key, body) => request("PATCH", customerPath(key), withId(body, "request_id")),
    /** PUT {pending, expected_updated_at, request_id?} */
    setOwed: (key, body) => request("PUT", customerPath(key, "owed"), withId(body, "request_id")),
    /** POST {amount, payment_id?, note?} */
    recordPayment: (key, body) => request("POST", customerPath(key, "payments"), withId(body, "payment_id")),
    archive: (key, body) => request("POST", customerPath(key, "archive"), withId(body, "request_id")),
    unarchive: (key, body) => request("POST", customerPath(key, "unarchive"), withId(body, "request_id")),
    /** POST {text, note_id?} */
    addNote: (key, body) => request("POST", customerPath(key, "notes"), withId(body, "note_id")),
    /** Downloads the export the user may take away (only those who gave marketing
     * consent, or did not, with `consent` "given" | "not-given"): the customers, or with
     * `what` "timeline" every entry of their timelines; resolves like the others. */
    exportCustomers: (format = "csv", consent = undefined, what = "customers") =>
      download(
        `/export?format=${encodeURIComponent(format)}${consent ? `&consent=${encodeURIComponent(consent)}` : ""}${
          what === "customers" ? "" : `&what=${encodeURIComponent(what)}`
        }`,
        {
          accept: format === "json" ? "application/json" : "text/csv",
          filename: `hearth-${what}.${format}`,
        },
      ),
    download,
  };
}

function fail(status, body, message) {
  const result = { ok: false, status, body: body || {}, message };
  if (status === 409 && body && body.current) result.current = body.current;
  return result;
}

/**
 * An `explain` for api.request: the sentence for a refusal by its HTTP status, from
 * `sentences` ({400: "…", 404: ({server}) => …, other: …}). A function gets the
 * function's own message (server, "" if none), its error code, Retry-After (wait) and
 * the status.
 */
export function explainer(sentences) {
  return (response, data) => {
    const said = sentences[response.status] ?? sentences.other;
    if (typeof said !== "function") return said;
    return said({
      server: data && typeof data.message === "string" ? data.message : "",
      code: data && typeof data.error === "string" ? data.error : "",
      wait: response.headers.get("Retry-After"),
      status: response.status,
    });
  };
}

/** " in 5 s" after a Retry-After of 5, else " in a moment". */
export function waitText(wait) {
  return wait ? ` in ${wait} s` : " in a moment";
}

/** A sentence for a person from the admin API's refusal of a change to a customer. */
const messageFor = explainer({
  401: "Your session has ended. Sign in again.",
  403: ({ server }) => server || "Your role may not do this.",
  404: ({ server }) => server || "This customer is not there any more, or is not yours to change.",
  409: "Someone else changed this customer. Nothing was saved.",
  503: ({ wait }) => `Hearth is busy or cannot reach its database. Try again${waitText(wait)}.`,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Try again.`,
});
