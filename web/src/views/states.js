// The three states every screen has besides "here is your data": loading, empty and
// error. Plain lit-html templates; every text is bound, never parsed as HTML.
import { html, nothing } from "lit-html";

/** A quiet loading placeholder; `rows` draws skeleton rows for lists. */
export function loading(label = "Loading…", { rows = 0 } = {}) {
  return html`<div class="state state-loading" data-testid="loading" role="status" aria-live="polite">
    ${rows
      ? html`<div class="skeleton-list" aria-hidden="true">
          ${Array.from({ length: rows }, () => html`<div class="skeleton-row"><span></span><span></span><span></span></div>`)}
        </div>`
      : html`<span class="spinner" aria-hidden="true"></span>`}
    <span class=${rows ? "visually-hidden" : "state-text"}>${label}</span>
  </div>`;
}

/** Nothing to show, and why; optional action {label, onClick}. */
export function empty({ title, body = "", action = null, icon = "○" } = {}) {
  return html`<div class="state state-empty" data-testid="empty">
    <div class="state-icon" aria-hidden="true">${icon}</div>
    <h2 class="state-title">${title}</h2>
    ${body ? html`<p class="state-body">${body}</p>` : nothing}
    ${action
      ? html`<button type="button" class="button" @click=${action.onClick}>${action.label}</button>`
      : nothing}
  </div>`;
}

/** Something failed: what, and what the person can do about it (retry). */
export function error({ title = "Something went wrong", message = "", retry = null } = {}) {
  return html`<div class="state state-error" data-testid="error" role="alert">
    <div class="state-icon" aria-hidden="true">!</div>
    <h2 class="state-title">${title}</h2>
    ${message ? html`<p class="state-body">${message}</p>` : nothing}
    ${retry ? html`<button type="button" class="button" @click=${retry}>Try again</button>` : nothing}
  </div>`;
}

/** A sentence for a person from a Firestore error (the code, not the raw message). */
export function firestoreErrorMessage(err) {
  const code = err && err.code ? String(err.code) : "";
  switch (code) {
    case "permission-denied":
      return "Your account may not see this. If your role changed, sign out and in again.";
    case "unavailable":
      return "Hearth cannot reach the database right now. It will catch up when the connection is back.";
    case "failed-precondition":
      return "This combination of filters needs a database index that is not deployed yet. Try fewer filters.";
    case "resource-exhausted":
      return "The database is busy. Try again in a moment.";
    case "unauthenticated":
      return "Your session has ended. Sign in again.";
    default:
      return "The database did not answer as expected. Try again.";
  }
}
