// What the admin API's answers mean to a person: every write of the customer screen
// reads its answer through these, so a 409 or a lost connection is told the same way
// whichever form sent it.

export const NOT_YOURS = "This customer does not exist or is not yours.";
const NETWORK = "Could not reach the server. Nothing was saved and your input is kept: try again.";

/** {ok, status, body, network} from whatever ctx.api.request gives back (or throws). */
export async function normalise(res) {
  if (!res || typeof res !== "object") return { ok: false, status: 0, body: null, network: true };
  if (typeof Response !== "undefined" && res instanceof Response) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return { ok: res.ok, status: res.status, body, network: false };
  }
  const status = Number(res.status) || 0;
  return {
    ok: Boolean(res.ok ?? (status >= 200 && status < 300)),
    status,
    body: res.body ?? res.data ?? null,
    network: status === 0 || Boolean(res.network),
  };
}

/** Field errors of a 400/403 answer keyed as the form names its inputs. */
export function fieldErrors(body) {
  const out = {};
  const fields = body && typeof body === "object" && body.fields && typeof body.fields === "object" ? body.fields : {};
  for (const [path, message] of Object.entries(fields)) {
    let name = path.startsWith("changes.") ? path.slice(8) : path;
    if (name === "owner_uid") name = "ownerUid";
    out[name] = String(message);
  }
  return out;
}

export function failureText(res) {
  if (res.network) return NETWORK;
  const msg = res.body && typeof res.body.message === "string" ? res.body.message : "";
  switch (res.status) {
    case 400:
      return msg || "Some fields need attention.";
    case 401:
      return "Your session has expired. Sign in again, then retry.";
    case 403: {
      const reasons = Object.values(fieldErrors(res.body));
      return reasons.length ? reasons.join(" ") : msg || "Your role may not make this change.";
    }
    case 404:
      return NOT_YOURS;
    case 409:
      return "Someone else changed this customer after you opened it. Nothing was saved.";
    case 413:
      return "That is too much text to save at once.";
    case 429:
    case 503:
      return "The server is busy or cannot reach the database. Nothing was saved: try again in a moment.";
    default:
      return msg || `Something went wrong (HTTP ${res.status}). Nothing was saved: try again.`;
  }
}

/** The status line after a successful write, told apart from "already so" and a repeat. */
export function outcomeText(res, applied) {
  const outcome = res.body && res.body.outcome;
  if (outcome === "unchanged") return "Nothing to change: it was already so.";
  if (outcome === "duplicate") return `${applied} (it had already been saved).`;
  return applied;
}
