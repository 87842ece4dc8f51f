// Calls to the booking functions as the signed-in staff member, through api.request
// (Authorization: Bearer <ID token>, one token refresh on a 401, never a rejection).
// Kept out of api.js so that the first screen does not carry them: only the lazily
// loaded calendar dialogs and customer page use them.
//
//   GET  /availability?type&from&to&tz        free times (the public widget's answer)
//   POST /book                                 {email, name?, start, tz, type, notes?, submission_id}
//   POST /booking/<id>/cancel                  {reason?}
//   POST /booking/<id>/reschedule              {start, tz?}
// Each resolves to {ok, status, body, message}, with messages about times, not edits.

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
  };
}

/** A sentence for a person from a booking function's refusal (a 409 there is about time). */
export function bookingMessage(response, data) {
  const server = data && typeof data.message === "string" ? data.message : "";
  const code = data && typeof data.error === "string" ? data.error : "";
  switch (response.status) {
    case 400:
      return server || "Some fields need attention.";
    case 401:
      return "Your session has ended. Sign in again.";
    case 403:
      return server || "Your role may not book or change calls for this customer.";
    case 404:
      return server || "This call is not there any more, or is not yours.";
    case 409:
      if (code === "cancelled") return "This call has been cancelled, so it cannot be moved. Book a new one instead.";
      return "Sorry, that time was just taken. Please pick another.";
    case 429:
    case 503: {
      const wait = response.headers.get("Retry-After");
      return `Hearth is busy or cannot reach its database. Nothing was changed: try again${wait ? ` in ${wait} s` : " in a moment"} (it is safe).`;
    }
    default:
      return server || `Something went wrong (HTTP ${response.status}). Try again.`;
  }
}
