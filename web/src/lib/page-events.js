// Listeners on the whole page (document or window) belong to the view that is shown: a
// view adds them when it mounts and must take every one of them away when it goes, or a
// screen that is gone keeps answering keys and scrolls.

/**
 * Adds each [target, type, handler, options?] and returns the one call that removes them
 * all, for the view's cleanup.
 */
export function listenWhileShown(listeners) {
  for (const [target, type, handler, options] of listeners) target.addEventListener(type, handler, options);
  return () => {
    for (const [target, type, handler] of listeners) target.removeEventListener(type, handler);
  };
}
