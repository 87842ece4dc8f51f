// How one call reads on the calendar, in the time grid and in a month cell alike: its
// time (with the zone's offset on a fall-back day, when 01:30 happens twice), its title
// on hover, its link to the customer, and the mark of a Google Calendar copy that needs
// attention ("!" refused, "…" not there yet).
import { html, nothing } from "lit-html";
import { calendarProblemText } from "../../data/bookings-api.js";
import { formatDateTime, formatTime } from "../../lib/format.js";
import { repeatedWallClock } from "../../lib/zoned.js";

/** The short name of the zone's offset at that instant ("CET", "CEST"), or "". */
export function zoneName(date, timeZone) {
  try {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName");
    return part ? part.value : "";
  } catch {
    return "";
  }
}

/** The marker on a call's block: "!" refused, "…" not there yet. */
export function syncMark(call) {
  if (!call.problem) return nothing;
  const label = `${calendarProblemText(call.problem)}${call.problem.error ? ` ${call.problem.error}` : ""}`;
  return html`<span class="cal-sync-mark cal-sync-mark-${call.problem.state}" data-testid="cal-sync" data-state=${call.problem.state}
    title=${label} aria-label=${label}>${call.problem.state === "failed" ? "!" : "…"}</span>`;
}

export function callTime(call, timeZone) {
  // On a fall-back day the same wall-clock time happens twice: name the offset.
  const zone = repeatedWallClock(call.start, timeZone) ? ` ${zoneName(call.start, timeZone)}` : "";
  return `${formatTime(call.start, timeZone)}${zone}`;
}

function callTitle(call, timeZone) {
  const sync = call.problem ? ` · ${calendarProblemText(call.problem)}` : "";
  return `${formatDateTime(call.start, timeZone)}–${formatTime(call.end, timeZone)} ${zoneName(call.start, timeZone)} · ${call.name}${call.type ? ` · ${call.type}` : ""}${call.cancelled ? " · cancelled" : ""}${sync}`;
}

/** The call's block content, a link to its customer when it has one. */
export function callLink(call, body, timeZone) {
  return call.key
    ? html`<a class="cal-open" data-testid="cal-open" href=${`#/customers/${encodeURIComponent(call.key)}`} title=${callTitle(call, timeZone)}>${body}</a>`
    : html`<span class="cal-open" title=${callTitle(call, timeZone)}>${body}</span>`;
}

/** What every block says: the mark, the time, the name, the kind of call. */
export function callSummary(call, timeZone) {
  return html`${syncMark(call)}<span class="cal-time" data-testid="cal-time">${callTime(call, timeZone)}</span>
    <span class="cal-name" data-testid="cal-name">${call.name}</span>
    ${call.type ? html`<span class="cal-type" data-testid="cal-type">${call.type}</span>` : nothing}`;
}
