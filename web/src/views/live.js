// A view's state for one live Firestore read: status "loading" until the first answer,
// then "ready", or "error" with the error kept for the message (states.js says it).
// Answers that arrive after the view is gone (or for a query it has replaced) are
// dropped, so nothing renders into a screen that is no longer there.
import { html } from "lit-html";
import { firestoreErrorMessage } from "./states.js";

/**
 * Starts `watch(onChange, onError)` (a data/firestore.js listener bound to its query)
 * and returns its unsubscribe. view: {update(), disposed()}; s: the view's state, given
 * status and error; onData(value) stores what arrived before the view renders again.
 */
export function follow(view, s, watch, onData) {
  return watch(
    (value) => {
      if (view.disposed()) return;
      onData(value);
      s.status = "ready";
      view.update();
    },
    (err) => {
      if (view.disposed()) return;
      console.error(err);
      s.status = "error";
      s.error = err;
      view.update();
    },
  );
}

/**
 * What a small live list shows until it has items: a quiet line while it loads, an alert
 * with the reason when the read failed, a line when it is empty; null when there are items
 * to draw. look: {quiet, alert} classes, the `testid` prefix (`-error`, `-empty`), and the
 * sentences {loading, failed, empty}.
 */
export function listState(s, count, look) {
  if (s.status === "loading") return html`<p class=${look.quiet}>${look.loading}</p>`;
  if (s.status === "error") {
    return html`<p class=${look.alert} role="alert" data-testid=${`${look.testid}-error`}>${look.failed} ${firestoreErrorMessage(s.error)}</p>`;
  }
  if (!count) return html`<p class=${look.quiet} data-testid=${`${look.testid}-empty`}>${look.empty}</p>`;
  return null;
}
