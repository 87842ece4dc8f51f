// Fresh ids for the admin API's idempotency keys (request_id, payment_id, note_id,
// submission ids): one per user action, kept across retries of that action, so a
// retried request is recognised by the server instead of applied twice.

/** A random id: a UUID where the browser has one, else 32 hex digits. */
export function newId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
