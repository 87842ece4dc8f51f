// The customer page's calls: upcoming and past, with status, video link, and Cancel /
// Reschedule for those who may change this customer.
//
// Read live from Firestore (watchCustomerBookings in data/firestore.js): bookings where
// customerKey == key (a rep's query also carries ownerUid == uid, or the rules refuse it). Two equality filters and no order
// need no composite index; a customer has few calls, so they are sorted here. Changes go
// through the functions (POST /booking/<id>/cancel, /reschedule, with the ID token); the
// list then changes by itself when the booking document does.
//
// A call whose Google Calendar copy failed (Google refused it, or the sync gave up) is
// marked with Google's error and a "Try again" (POST /booking/<id>/sync); one that is not
// there yet is marked "not in Google Calendar yet".
import { html, nothing, render } from "lit-html";
import { bookingApi, calendarProblem, calendarProblemText, syncRetries } from "../data/bookings-api.js";
import { watchCustomerBookings } from "../data/firestore.js";
import { formatDateTime, formatTime, toDate } from "../lib/format.js";
import { safeUrl } from "../lib/urls.js";
import { follow, listState } from "./live.js";

const PAST_SHOWN = 5;
const CALLS_STATE = {
  quiet: "cd-muted",
  alert: "cd-error",
  testid: "bookings",
  loading: "Loading calls…",
  failed: "The calls could not be loaded.",
  empty: "No calls booked yet.",
};

/**
 * Mounts the section into `host` (an element the customer page places in its layout).
 * opts: {customer: () => the customer document or null, canEdit: () => boolean}
 * Returns {update(), cleanup()}.
 */
export function mountCustomerBookings(host, ctx, key, opts) {
  const { db, session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const s = {
    status: "loading",
    error: null,
    bookings: [],
    showAllPast: false,
    confirming: null, // id of the booking whose cancel is being confirmed
    reason: "",
    busy: null, // id being cancelled
    errors: {}, // id -> message
    message: "",
  };
  let disposed = false;
  const retries = syncRetries(ctx.api, { update, disposed: () => disposed });

  const ownerUid = session.role !== "owner" ? session.uid : null;
  const unsubscribe = follow(
    { update, disposed: () => disposed },
    s,
    (onChange, onError) => watchCustomerBookings(db, { customerKey: key, ownerUid }, onChange, onError),
    (bookings) => {
      s.bookings = bookings.filter((b) => toDate(b.start)).sort((a, b) => toDate(a.start) - toDate(b.start));
    },
  );

  function update() {
    if (!disposed) render(template(), host);
  }

  async function loadDialogs() {
    try {
      return await import("./meeting/index.js");
    } catch (err) {
      console.error(err);
      s.message = "This form could not be loaded. Reload the page and try again.";
      update();
      return null;
    }
  }

  async function newMeeting() {
    const c = opts.customer();
    const dialogs = await loadDialogs();
    if (dialogs && c) dialogs.openNewMeeting(ctx, { customer: { key, email: c.email || key, name: c.name || "" } });
  }

  async function reschedule(booking) {
    const dialogs = await loadDialogs();
    if (dialogs) dialogs.openReschedule(ctx, booking);
  }

  function askCancel(booking) {
    s.confirming = booking.id;
    s.reason = "";
    delete s.errors[booking.id];
    update();
    queueMicrotask(() => host.querySelector("[data-testid=cancel-reason]")?.focus());
  }

  async function cancel(booking) {
    if (s.busy) return;
    s.busy = booking.id;
    delete s.errors[booking.id];
    update();
    const body = s.reason.trim() ? { reason: s.reason.trim() } : {};
    const res = await bookingApi(ctx.api).cancel(booking.id, body);
    s.busy = null;
    if (disposed) return;
    if (res.ok) {
      s.confirming = null;
      s.message = "";
    } else {
      s.errors[booking.id] = res.message;
    }
    update();
  }

  function template() {
    const editable = opts.canEdit();
    const now = Date.now();
    const upcoming = s.bookings.filter((b) => (toDate(b.end) || toDate(b.start)).getTime() > now);
    const past = s.bookings.filter((b) => !upcoming.includes(b)).reverse();
    const pastShown = s.showAllPast ? past : past.slice(0, PAST_SHOWN);
    let body = listState(s, s.bookings.length, CALLS_STATE);
    if (!body) {
      body = html`
        <h3>Upcoming</h3>
        ${upcoming.length
          ? html`<ul class="cb-list" data-testid="bookings-upcoming">${upcoming.map((b) => item(b, editable, true))}</ul>`
          : html`<p class="cd-muted cd-small">Nothing coming up.</p>`}
        ${past.length
          ? html`<h3>Past</h3>
              <ul class="cb-list" data-testid="bookings-past">${pastShown.map((b) => item(b, editable, false))}</ul>
              ${past.length > pastShown.length
                ? html`<button type="button" class="cd-btn cd-btn-small" @click=${() => ((s.showAllPast = true), update())}>
                    Show all ${past.length} past calls
                  </button>`
                : nothing}`
          : nothing}`;
    }
    return html`<section class="cd-card cb" data-testid="bookings" aria-label="Calls">
        <div class="cb-head">
          <h2>Calls</h2>
          ${editable
            ? html`<button type="button" class="cd-btn cd-btn-small" data-testid="new-meeting" @click=${newMeeting}>New meeting</button>`
            : nothing}
        </div>
        ${s.message ? html`<p class="cd-error" role="alert">${s.message}</p>` : nothing}
        ${body}
      </section>`;
  }

  function item(b, editable, upcoming) {
    const start = toDate(b.start);
    const end = toDate(b.end);
    const cancelled = b.status === "cancelled";
    const video = cancelled ? null : safeUrl(b.videoLink);
    const problem = calendarProblem(b);
    const canChange = editable && upcoming && !cancelled;
    const confirming = s.confirming === b.id;
    return html`<li class="cb-item ${cancelled ? "cb-cancelled" : ""}" data-testid="booking" data-id=${b.id} data-status=${b.status || ""}>
      <div class="cb-line">
        <span class="cb-when" data-testid="booking-when">${formatDateTime(start, timeZone)}${end ? `–${formatTime(end, timeZone)}` : ""}</span>
        <span class="cb-status cb-status-${cancelled ? "cancelled" : upcoming ? "confirmed" : "done"}" data-testid="booking-status"
          >${cancelled ? "Cancelled" : upcoming ? "Confirmed" : "Held"}</span>
      </div>
      <div class="cb-line cd-small">
        <span>${b.typeLabel || b.type || "Call"}${b.source && b.source !== "booking" ? html` · <span class="cd-muted">via ${b.source}</span>` : nothing}</span>
        ${video
          ? html`<a class="cb-video" data-testid="booking-video" href=${video} target="_blank" rel="noopener noreferrer">Join video call</a>`
          : nothing}
      </div>
      ${problem ? syncTemplate(b, problem, editable) : syncAnswer(b)}
      ${b.notes ? html`<p class="cd-note-text cd-small">${b.notes}</p>` : nothing}
      ${cancelled && b.cancelReason ? html`<p class="cd-muted cd-small" data-testid="booking-reason">Reason: ${b.cancelReason}</p>` : nothing}
      ${canChange && !confirming
        ? html`<div class="cd-buttons">
            <button type="button" class="cd-btn cd-btn-small" data-testid="booking-reschedule" @click=${() => reschedule(b)}>Reschedule</button>
            <button type="button" class="cd-btn cd-btn-small cd-btn-quiet" data-testid="booking-cancel" @click=${() => askCancel(b)}>Cancel call</button>
          </div>`
        : nothing}
      ${canChange && confirming
        ? html`<div class="cb-confirm" data-testid="cancel-confirm">
            <label class="cd-field">
              <span>Cancel this call? Reason (optional, for the timeline)</span>
              <input data-testid="cancel-reason" maxlength="500" autocomplete="off" .value=${s.reason}
                @input=${(e) => {
                  s.reason = e.target.value;
                }} />
            </label>
            <div class="cd-buttons">
              <button type="button" class="cd-btn cd-btn-small cb-danger" data-testid="cancel-yes" ?disabled=${s.busy === b.id}
                @click=${() => cancel(b)}>${s.busy === b.id ? "Cancelling…" : "Cancel the call"}</button>
              <button type="button" class="cd-btn cd-btn-small" data-testid="cancel-no" ?disabled=${s.busy === b.id}
                @click=${() => ((s.confirming = null), update())}>Keep it</button>
            </div>
          </div>`
        : nothing}
      ${s.errors[b.id] ? html`<p class="cd-error" role="alert" data-testid="booking-error">${s.errors[b.id]}</p>` : nothing}
    </li>`;
  }

  function syncTemplate(b, problem, editable) {
    const busy = retries.busy(b.id);
    return html`<div class="cb-sync cb-sync-${problem.state}" data-testid="booking-sync" data-state=${problem.state} role="status">
      <span class="cb-sync-mark" aria-hidden="true">${problem.state === "failed" ? "!" : "…"}</span>
      <div class="cb-sync-body">
        <strong>${calendarProblemText(problem)}</strong>
        ${problem.state === "pending" ? html` <span class="cd-muted">Hearth keeps trying.</span>` : nothing}
        ${problem.error ? html`<span class="cb-sync-error" data-testid="booking-sync-error">${problem.error}</span>` : nothing}
        ${problem.state === "failed" && editable
          ? html`<div class="cd-buttons">
              <button type="button" class="cd-btn cd-btn-small" data-testid="booking-sync-retry" ?disabled=${busy}
                @click=${() => retries.tryAgain(b)}>${busy ? "Trying…" : "Try again"}</button>
            </div>`
          : nothing}
        ${syncAnswer(b)}
      </div>
    </div>`;
  }

  function syncAnswer(b) {
    const outcome = retries.answer(b.id);
    if (!outcome) return nothing;
    return html`<p class=${outcome.ok ? "cd-small cb-sync-ok" : "cd-error"} role=${outcome.ok ? "status" : "alert"}
      data-testid="booking-sync-answer">${outcome.message}</p>`;
  }

  update();
  // "Upcoming" becomes "past" as the day goes on.
  const tick = setInterval(update, 60_000);

  return {
    update,
    cleanup() {
      disposed = true;
      clearInterval(tick);
      unsubscribe();
      render(nothing, host);
    },
  };
}
