// What this browser remembers between visits (a calendar view, the site's address), read
// and written so that a browser without storage (private mode, storage blocked) still
// works: the choice then lasts for this visit only.

/** The remembered value of `key`, or `fallback` when there is none or no storage. */
export function readStored(key, fallback = "") {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Remembers `value` under `key`, when the browser lets the page. */
export function writeStored(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the choice lasts for this visit.
  }
}
