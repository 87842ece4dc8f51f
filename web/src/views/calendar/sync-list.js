// Above the grid: the upcoming calls on screen whose Google Calendar copy needs
// attention, refused ones first, each with Google's error (as text) and, for a refused
// one, "Try again" (POST /booking/<id>/sync); the answer stays beside it, and beside the
// list once the call is fine again.
import { html, nothing } from "lit-html";
import { calendarProblemText } from "../../data/bookings-api.js";
import { formatDateTime } from "../../lib/format.js";

/** cal: {now, timeZone, retries (syncRetries)}; calls: those on screen. */
export function syncList(cal, calls) {
  const { retries } = cal;
  const now = cal.now.getTime();
  const listed = calls
    .filter((c) => c.problem && c.end.getTime() > now)
    .sort((a, b) => (a.problem.state === b.problem.state ? a.start - b.start : a.problem.state === "failed" ? -1 : 1));
  const answered = retries.answered().filter((id) => !listed.some((c) => c.id === id));
  if (!listed.length && !answered.length) return nothing;
  const failed = listed.filter((c) => c.problem.state === "failed").length;
  return html`<section class="cal-sync-list ${failed ? "" : "cal-sync-calm"}" data-testid="cal-sync-list" aria-label="Calls not in Google Calendar">
    ${listed.length
      ? html`<h2 class="cal-sync-head">
            ${listed.length === 1 ? "1 call" : `${listed.length} calls`} on screen ${listed.length === 1 ? "is" : "are"} not in Google Calendar
            ${failed ? html`<span class="cal-sync-count">(${failed} refused)</span>` : nothing}
          </h2>
          <ul class="cal-sync-items">
            ${listed.map((call) => syncItem(cal, call))}
          </ul>`
      : nothing}
    ${answered.map((id) => syncAnswer(cal, id, true))}
  </section>`;
}

function syncItem(cal, call) {
  const busy = cal.retries.busy(call.id);
  return html`<li class="cal-sync-item cal-sync-${call.problem.state}" data-testid="cal-sync-item" data-id=${call.id}
    data-state=${call.problem.state}>
    <div class="cal-sync-what">
      <span class="cal-sync-when">${formatDateTime(call.start, cal.timeZone)}</span>
      ${call.key
        ? html`<a href=${`#/customers/${encodeURIComponent(call.key)}`} class="cal-sync-name">${call.name}</a>`
        : html`<span class="cal-sync-name">${call.name}</span>`}
      <span class="cal-sync-state">${calendarProblemText(call.problem)}</span>
      ${call.problem.error ? html`<span class="cal-sync-error" data-testid="cal-sync-error">${call.problem.error}</span>` : nothing}
    </div>
    ${call.problem.state === "failed"
      ? html`<button type="button" class="button cal-sync-retry" data-testid="cal-sync-retry" ?disabled=${busy}
          @click=${() => cal.retries.tryAgain(call)}>${busy ? "Trying…" : "Try again"}</button>`
      : nothing}
    ${syncAnswer(cal, call.id)}
  </li>`;
}

function syncAnswer(cal, id, named = false) {
  const outcome = cal.retries.answer(id);
  if (!outcome) return nothing;
  return html`<p class="cal-sync-answer ${outcome.ok ? "" : "cal-sync-bad"}" data-testid="cal-sync-answer" data-id=${id}
    role=${outcome.ok ? "status" : "alert"}>${named ? html`<strong>${outcome.label}</strong>: ` : nothing}${outcome.message}</p>`;
}
