// A view's state for one live Firestore read: status "loading" until the first answer,
// then "ready", or "error" with the error kept for the message (states.js says it).
// Answers that arrive after the view is gone (or for a query it has replaced) are
// dropped, so nothing renders into a screen that is no longer there.

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
