// The New meeting and Reschedule dialogs: who, what kind of call, which day, which free
// time, then one POST.
//
// Free times come from GET <functions>/availability (the same answer the public
// booking widget gets, in the business time zone here); the booking is made by
// POST <functions>/book with the staff member's ID token, and a call is moved by
// POST <functions>/booking/<id>/reschedule. Nothing is written to Firestore from here.
//
// One submission_id is made when the dialog opens and sent with every attempt, so
// pressing Book again after a timeout or a 503 can never book twice. A 409 means
// somebody took the time meanwhile: the free times are fetched again. Field errors of a
// 400 are shown beside their fields. Loaded lazily, from the calendar and the customer
// page, as its own chunk.
//
// This file is the dialog (opening, the POST and its answers, the summary); who is
// picked in customer-picker.js, and the kind of call, day and time in slot-picker.js.
import { html, nothing, render } from "lit-html";
import { bookingApi } from "../../data/bookings-api.js";
import { formatDateTime, formatTime, toDate } from "../../lib/format.js";
import { newId } from "../../lib/ids.js";
import { safeUrl } from "../../lib/urls.js";
import { isoDate, todayIn } from "../../lib/zoned.js";
import { customerPicker } from "./customer-picker.js";
import { slotPicker } from "./slot-picker.js";

let openDialog = null; // one dialog at a time

/**
 * Opens the New meeting dialog.
 * customer: {key, email, name} to book for (the customer page), else picked in the dialog.
 * day: a civil date to start on (the calendar's day view).
 */
export function openNewMeeting(ctx, { customer = null, day = null } = {}) {
  return open(ctx, { mode: "new", customer, day });
}

/** Opens the Reschedule dialog for a booking ({id, start, type, typeLabel, customerName, ...}). */
export function openReschedule(ctx, booking) {
  return open(ctx, { mode: "reschedule", booking });
}

function open(ctx, options) {
  openDialog?.close();
  const dialog = document.createElement("dialog");
  dialog.className = "mt";
  dialog.dataset.testid = "meeting-dialog";
  document.body.append(dialog);
  const controller = meetingDialog(dialog, ctx, options);
  openDialog = controller;
  dialog.showModal();
  controller.start();
  return controller;
}

function meetingDialog(dialog, ctx, { mode, customer = null, day = null, booking = null }) {
  const { db, session, config } = ctx;
  const api = bookingApi(ctx.api);
  const timeZone = config.businessTimeZone;
  const today = todayIn(timeZone);
  const reschedule = mode === "reschedule";
  const startDay = day && isoDate(day) >= isoDate(today) ? day : today;
  const s = {
    submissionId: newId(), // once per dialog: every retry of this booking carries it
    customer: reschedule
      ? { key: booking.customerKey, email: booking.customerEmail, name: booking.customerName }
      : customer
        ? { key: customer.key, email: customer.email || customer.key, name: customer.name || "" }
        : null,
    customerFixed: Boolean(customer) || reschedule,
    who: "existing", // existing | new
    search: { text: "", token: null, results: [], status: "idle" },
    person: { email: "", name: "" },
    types: [],
    type: reschedule ? booking.type || null : null,
    from: startDay,
    wanted: day ? isoDate(day) : null, // the day to open on, once its times are known
    days: [],
    slotsStatus: "loading", // loading | ready | error
    slotsError: "",
    calendarChecked: true,
    day: null,
    slot: null,
    notes: "",
    errors: {},
    formError: "",
    busy: false,
    done: null,
  };
  let closed = false;

  function fieldError(name) {
    return s.errors[name] ? html`<span class="mt-error" data-testid="field-error" data-field=${name}>${s.errors[name]}</span>` : nothing;
  }

  const dlg = { s, db, session, dialog, api, timeZone, today, booking, update, closed: () => closed, fieldError };
  const who = customerPicker(dlg);
  const slots = slotPicker(dlg);

  // --- the booking -------------------------------------------------------------------

  function validate() {
    const errors = {};
    if (!reschedule) {
      if (s.who === "existing" && !s.customer) errors.customer = "Pick a customer, or choose New person.";
      if (s.who === "new" && !s.person.email.trim()) errors.email = "Enter the e-mail address.";
    }
    if (!s.slot) errors.start = "Pick a free time.";
    return errors;
  }

  async function submit(event) {
    event.preventDefault();
    if (s.busy || s.done) return;
    s.errors = validate();
    s.formError = "";
    if (Object.keys(s.errors).length) {
      update();
      return;
    }
    s.busy = true;
    update();
    let res;
    if (reschedule) {
      res = await api.reschedule(booking.id, { start: s.slot.start, tz: timeZone });
    } else {
      const who = s.who === "new" ? { email: s.person.email.trim(), name: s.person.name.trim() } : { email: s.customer.email, name: s.customer.name };
      const body = { email: who.email, start: s.slot.start, tz: timeZone, type: s.type, submission_id: s.submissionId };
      if (who.name) body.name = who.name;
      if (s.notes.trim()) body.notes = s.notes.trim();
      res = await api.book(body);
    }
    s.busy = false;
    if (closed) return;
    if (res.ok) {
      s.done = (res.body && res.body.booking) || {};
      update();
      dialog.querySelector("[data-testid=meeting-done]")?.focus();
      return;
    }
    const fields = res.body && res.body.fields && typeof res.body.fields === "object" ? res.body.fields : {};
    s.errors = {};
    for (const [name, message] of Object.entries(fields)) s.errors[name] = String(message);
    if (res.status === 409 && res.body?.error !== "cancelled") {
      // Somebody took the time meanwhile: say so, and show what is free now.
      s.formError = res.message;
      s.errors.start = s.errors.start || "That time was just taken.";
      s.slot = null;
      update();
      slots.load();
      return;
    }
    if (fields.submission_id) {
      // This dialog's booking was made already (an answer lost on the way) at another
      // time: say so, and let a deliberate second booking have an id of its own.
      s.formError = "A booking from this form went through already. Check the calendar before booking again.";
      delete s.errors.submission_id;
      s.submissionId = newId();
    } else if (res.status === 400) {
      s.formError = Object.keys(fields).length ? "Some fields need attention." : res.message;
      if (fields.start) {
        s.slot = null;
        slots.load();
      }
    } else {
      s.formError = res.message;
    }
    update();
  }

  function close() {
    if (closed) return;
    closed = true;
    who.stop();
    if (dialog.open) dialog.close();
    render(nothing, dialog);
    dialog.remove();
    if (openDialog === controller) openDialog = null;
  }

  // --- rendering -------------------------------------------------------------------

  function update() {
    if (!closed) render(template(), dialog);
  }

  function template() {
    const title = reschedule ? "Move this call" : "New meeting";
    return html`<form class="mt-form" method="dialog" novalidate @submit=${submit}>
        <header class="mt-head">
          <h2 class="mt-title">${title}</h2>
          <button type="button" class="mt-x" data-testid="meeting-close" aria-label="Close" @click=${close}>×</button>
        </header>
        ${s.done ? doneTemplate() : formTemplate()}
      </form>`;
  }

  function formTemplate() {
    return html`
      ${who.template()}
      ${reschedule
        ? html`<p class="mt-now" data-testid="meeting-current">
            Now: <strong>${formatDateTime(booking.start, timeZone)}</strong> · ${booking.typeLabel || booking.type || "call"}
          </p>`
        : slots.typeTemplate()}
      ${slots.template()}
      ${reschedule
        ? nothing
        : html`<label class="mt-field">
            <span>Notes for the call <span class="mt-muted">(optional)</span></span>
            <textarea name="notes" rows="2" maxlength="2000" data-testid="meeting-notes" .value=${s.notes}
              aria-invalid=${s.errors.notes ? "true" : "false"}
              @input=${(e) => {
                s.notes = e.target.value;
              }}></textarea>
            ${fieldError("notes")}
          </label>`}
      ${s.formError ? html`<p class="mt-alert" role="alert" data-testid="meeting-error">${s.formError}</p>` : nothing}
      ${otherErrors()}
      <div class="mt-actions">
        <button type="button" class="button" @click=${close}>Cancel</button>
        <button type="submit" class="button button-primary" data-testid="meeting-submit" ?disabled=${s.busy}>
          ${s.busy ? (reschedule ? "Moving…" : "Booking…") : reschedule ? "Move the call" : "Book the call"}
        </button>
      </div>`;
  }

  /** Field errors the form has no field for (tz, submission_id…), so none is lost. */
  function otherErrors() {
    const shown = new Set(["email", "name", "customer", "type", "start", "notes"]);
    const rest = Object.entries(s.errors).filter(([name]) => !shown.has(name));
    return rest.length
      ? html`<ul class="mt-alert mt-list" data-testid="meeting-other-errors">
          ${rest.map(([name, message]) => html`<li data-field=${name}>${name}: ${message}</li>`)}
        </ul>`
      : nothing;
  }

  function doneTemplate() {
    const b = s.done;
    const start = toDate(b.start) || (s.slot ? toDate(s.slot.start) : null);
    const end = toDate(b.end);
    const video = safeUrl(b.videoLink);
    const c = b.customer || {};
    const key = s.customer?.key || (c.email ? String(c.email).trim().toLowerCase() : "");
    return html`<div class="mt-done" data-testid="meeting-done" tabindex="-1">
      <p class="mt-ok">${reschedule ? "The call was moved." : "The call is booked."}</p>
      <dl class="mt-summary">
        <div><dt>When</dt><dd data-testid="meeting-done-when">${start ? formatDateTime(start, timeZone) : "—"}${end ? `–${formatTime(end, timeZone)}` : ""}</dd></div>
        <div><dt>With</dt><dd>${c.name || s.customer?.name || c.email || s.person.email}</dd></div>
        <div><dt>Kind</dt><dd>${b.type?.label || booking?.typeLabel || s.type || "—"}</dd></div>
        <div><dt>Video</dt><dd>${video
          ? html`<a href=${video} target="_blank" rel="noopener noreferrer" data-testid="meeting-video">${video}</a>`
          : b.calendar === "pending"
            ? "The video link comes with the calendar invitation, in a few minutes."
            : "None yet"}</dd></div>
      </dl>
      <div class="mt-actions">
        ${key && !s.customerFixed
          ? html`<a class="button" data-testid="meeting-open-customer" href=${`#/customers/${encodeURIComponent(key)}`} @click=${close}>Open the customer</a>`
          : nothing}
        <button type="button" class="button button-primary" data-testid="meeting-finish" @click=${close}>Done</button>
      </div>
    </div>`;
  }

  const controller = {
    close,
    start() {
      dialog.addEventListener("close", close);
      dialog.addEventListener("cancel", (event) => {
        // Escape: close, unless a booking is on its way (its answer must be seen).
        if (s.busy) event.preventDefault();
      });
      update();
      slots.load();
      queueMicrotask(() => dialog.querySelector("input[name=search]")?.focus());
    },
  };
  return controller;
}
