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
import { collection, getDocs, limit, orderBy, query, where } from "firebase/firestore";
import { html, nothing, render } from "lit-html";
import { newId } from "../api.js";
import { bookingApi } from "../bookings-api.js";
import { formatDateTime, formatTime, toDate } from "../format.js";
import { queryToken } from "../search.js";
import { addDays, formatCivil, isoDate, parseIsoDate, todayIn } from "../zoned.js";
import { loading } from "./states.js";

const WINDOW_DAYS = 14;
const SEARCH_DELAY_MS = 250;
const SEARCH_LIMIT = 8;

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
  let searchTimer = 0;
  let searchGeneration = 0;
  let slotsGeneration = 0;

  // --- data ------------------------------------------------------------------------

  async function loadSlots({ keepDay = true } = {}) {
    const mine = ++slotsGeneration;
    s.slotsStatus = "loading";
    s.slotsError = "";
    update();
    const res = await api.availability({
      type: s.type || undefined,
      from: isoDate(s.from),
      to: isoDate(addDays(s.from, WINDOW_DAYS - 1)),
      tz: timeZone,
      // A call booked through a link (a trade show abroad) keeps that link's hours.
      source: reschedule ? booking.source || undefined : undefined,
    });
    if (closed || mine !== slotsGeneration) return;
    if (!res.ok) {
      s.slotsStatus = "error";
      const fields = res.body && res.body.fields ? Object.values(res.body.fields) : [];
      s.slotsError = fields.length ? fields.join(" ") : res.message;
      update();
      return;
    }
    const body = res.body || {};
    s.types = Array.isArray(body.types) ? body.types.filter((t) => t && typeof t.id === "string") : [];
    if (body.type && typeof body.type.id === "string") s.type = body.type.id;
    s.calendarChecked = body.calendarChecked !== false;
    s.days = Array.isArray(body.days)
      ? body.days
          .filter((d) => d && parseIsoDate(d.date))
          .map((d) => ({ date: d.date, slots: Array.isArray(d.slots) ? d.slots.filter((x) => x && x.start) : [] }))
      : [];
    s.slotsStatus = "ready";
    const known = (date) => s.days.some((d) => d.date === date);
    if (s.wanted && known(s.wanted)) {
      s.day = s.wanted;
      s.wanted = null;
    } else if (!keepDay || !s.day || !known(s.day)) {
      s.day = s.days.find((d) => d.slots.length)?.date || s.days[0]?.date || null;
    }
    // The chosen time stays chosen only while it is still free.
    if (s.slot && !slotsOf(s.day).some((x) => x.start === s.slot.start)) s.slot = null;
    update();
  }

  function slotsOf(date) {
    return s.days.find((d) => d.date === date)?.slots || [];
  }

  async function searchCustomers() {
    const token = s.search.token;
    const mine = ++searchGeneration;
    if (!token) {
      s.search = { ...s.search, results: [], status: "idle" };
      update();
      return;
    }
    s.search = { ...s.search, status: "loading" };
    update();
    // The customers list's own search query (so its indexes serve it): active customers,
    // most recently in touch first. A rep's must name them as owner, or the rules refuse it.
    const filters = [where("archived", "==", false), where("search", "array-contains", token)];
    if (session.role !== "owner") filters.unshift(where("ownerUid", "==", session.uid));
    try {
      const snap = await getDocs(
        query(collection(db, "customers"), ...filters, orderBy("lastContactAt", "desc"), limit(SEARCH_LIMIT)),
      );
      if (closed || mine !== searchGeneration) return;
      const results = snap.docs.map((d) => {
        const c = d.data();
        return { key: d.id, email: text(c.email) || d.id, name: text(c.name), company: text(c.company) };
      });
      s.search = { ...s.search, results, status: "ready" };
    } catch (err) {
      if (closed || mine !== searchGeneration) return;
      console.error(err);
      s.search = { ...s.search, results: [], status: "error" };
    }
    update();
  }

  // --- events ----------------------------------------------------------------------

  function onSearch(event) {
    s.search.text = event.currentTarget.value;
    const token = queryToken(s.search.text);
    clearTimeout(searchTimer);
    if (token === s.search.token) return update();
    s.search.token = token;
    searchTimer = setTimeout(searchCustomers, SEARCH_DELAY_MS);
    update();
  }

  function pick(result) {
    s.customer = result;
    delete s.errors.email;
    delete s.errors.customer;
    update();
    dialog.querySelector("[data-testid=meeting-type]")?.focus();
  }

  function setWho(who) {
    s.who = who;
    s.customer = who === "new" ? null : s.customer;
    s.errors = {};
    update();
    queueMicrotask(() => dialog.querySelector(who === "new" ? "input[name=email]" : "input[name=search]")?.focus());
  }

  function setType(event) {
    s.type = event.currentTarget.value;
    s.slot = null;
    delete s.errors.type;
    loadSlots();
  }

  function moveWindow(direction) {
    const next = addDays(s.from, direction * WINDOW_DAYS);
    s.from = isoDate(next) < isoDate(today) ? today : next;
    s.slot = null;
    loadSlots({ keepDay: false });
  }

  function pickDay(date) {
    s.day = date;
    s.slot = null;
    update();
  }

  function pickSlot(slot) {
    s.slot = slot;
    delete s.errors.start;
    s.formError = "";
    update();
  }

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
      loadSlots();
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
        loadSlots();
      }
    } else {
      s.formError = res.message;
    }
    update();
  }

  function close() {
    if (closed) return;
    closed = true;
    clearTimeout(searchTimer);
    if (dialog.open) dialog.close();
    render(nothing, dialog);
    dialog.remove();
    if (openDialog === controller) openDialog = null;
  }

  // --- rendering -------------------------------------------------------------------

  function update() {
    if (!closed) render(template(), dialog);
  }

  function fieldError(name) {
    return s.errors[name] ? html`<span class="mt-error" data-testid="field-error" data-field=${name}>${s.errors[name]}</span>` : nothing;
  }

  function template() {
    const title = reschedule ? "Move this call" : "New meeting";
    return html`${styles}
      <form class="mt-form" method="dialog" novalidate @submit=${submit}>
        <header class="mt-head">
          <h2 class="mt-title">${title}</h2>
          <button type="button" class="mt-x" data-testid="meeting-close" aria-label="Close" @click=${close}>×</button>
        </header>
        ${s.done ? doneTemplate() : formTemplate()}
      </form>`;
  }

  function formTemplate() {
    return html`
      ${whoTemplate()}
      ${reschedule
        ? html`<p class="mt-now" data-testid="meeting-current">
            Now: <strong>${formatDateTime(booking.start, timeZone)}</strong> · ${booking.typeLabel || booking.type || "call"}
          </p>`
        : typeTemplate()}
      ${slotsTemplate()}
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

  function whoTemplate() {
    if (s.customerFixed || (s.who === "existing" && s.customer)) {
      const c = s.customer;
      return html`<div class="mt-field">
        <span class="mt-label">Customer</span>
        <div class="mt-picked" data-testid="meeting-customer" data-key=${c.key || ""}>
          <span><strong>${c.name || c.email}</strong>${c.name ? html` <span class="mt-muted">${c.email}</span>` : nothing}</span>
          ${s.customerFixed
            ? nothing
            : html`<button type="button" class="button button-quiet mt-small" data-testid="meeting-change-customer"
                @click=${() => ((s.customer = null), update())}>Change</button>`}
        </div>
        ${fieldError("email")}
      </div>`;
    }
    // A rep books calls for their own customers only (the server refuses anyone else).
    const newPeople = session.role === "owner";
    return html`<fieldset class="mt-field mt-who">
      <legend class="mt-label">Customer</legend>
      ${newPeople ? html`<div class="mt-tabs" role="group">
        <button type="button" class="button mt-small" data-testid="meeting-existing" aria-pressed=${s.who === "existing" ? "true" : "false"}
          @click=${() => setWho("existing")}>Existing customer</button>
        <button type="button" class="button mt-small" data-testid="meeting-new-person" aria-pressed=${s.who === "new" ? "true" : "false"}
          @click=${() => setWho("new")}>New person</button>
      </div>` : nothing}
      ${s.who === "existing"
        ? html`<input type="search" name="search" data-testid="meeting-search" placeholder="Name, company, e-mail or mobile"
              autocomplete="off" spellcheck="false" aria-label="Find a customer" .value=${s.search.text} @input=${onSearch}
              aria-invalid=${s.errors.customer ? "true" : "false"} />
            ${fieldError("customer")} ${searchResults()}`
        : html`<label class="mt-field">
              <span>E-mail</span>
              <input type="email" name="email" data-testid="meeting-email" autocomplete="off" required .value=${s.person.email}
                aria-invalid=${s.errors.email ? "true" : "false"}
                @input=${(e) => {
                  s.person.email = e.target.value;
                }} />
              ${fieldError("email")}
            </label>
            <label class="mt-field">
              <span>Name</span>
              <input name="name" data-testid="meeting-name" autocomplete="off" maxlength="200" .value=${s.person.name}
                aria-invalid=${s.errors.name ? "true" : "false"}
                @input=${(e) => {
                  s.person.name = e.target.value;
                }} />
              ${fieldError("name")}
            </label>`}
    </fieldset>`;
  }

  function searchResults() {
    const { status, results, token, text: typed } = s.search;
    if (!typed.trim()) return nothing;
    if (!token) return html`<p class="mt-muted mt-small">Type at least 2 letters or 3 digits.</p>`;
    if (status === "loading" && !results.length) return html`<p class="mt-muted mt-small">Searching…</p>`;
    if (status === "error") return html`<p class="mt-error">The search did not answer. Try again.</p>`;
    if (!results.length) {
      return html`<p class="mt-muted mt-small" data-testid="meeting-no-results">
        Nobody found.
        ${session.role === "owner"
          ? html`<button type="button" class="mt-linkish" @click=${() => setWho("new")}>Book a new person</button>`
          : "You can book calls for your own customers."}
      </p>`;
    }
    return html`<ul class="mt-results">
      ${results.map(
        (r) => html`<li>
          <button type="button" class="mt-result" data-testid="meeting-result" data-key=${r.key} @click=${() => pick(r)}>
            <strong>${r.name || r.email}</strong>
            <span class="mt-muted">${r.email}${r.company ? ` · ${r.company}` : ""}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  function typeTemplate() {
    const types = s.types.length ? s.types : s.type ? [{ id: s.type, label: s.type }] : [];
    return html`<label class="mt-field">
      <span>Kind of call</span>
      <select name="type" data-testid="meeting-type" ?disabled=${!types.length} @change=${setType}
        aria-invalid=${s.errors.type ? "true" : "false"}>
        ${types.length ? nothing : html`<option value="">Loading…</option>`}
        ${types.map(
          (t) => html`<option value=${t.id} ?selected=${t.id === s.type}>${t.label || t.id}${Number(t.minutes) > 0 ? ` · ${t.minutes} min` : ""}</option>`,
        )}
      </select>
      ${fieldError("type")}
    </label>`;
  }

  function slotsTemplate() {
    const atStart = isoDate(s.from) <= isoDate(today);
    const last = addDays(s.from, WINDOW_DAYS - 1);
    return html`<div class="mt-field" data-testid="meeting-slots" data-status=${s.slotsStatus}>
      <div class="mt-daysnav">
        <span class="mt-label">Day and time <span class="mt-muted">(${timeZone})</span></span>
        <span class="mt-pager">
          <button type="button" class="button mt-small" data-testid="meeting-earlier" ?disabled=${atStart || s.slotsStatus === "loading"}
            @click=${() => moveWindow(-1)} aria-label="Earlier days">‹</button>
          <span class="mt-muted mt-small">${formatCivil(s.from, { day: "numeric", month: "short" })} – ${formatCivil(last, { day: "numeric", month: "short" })}</span>
          <button type="button" class="button mt-small" data-testid="meeting-later" ?disabled=${s.slotsStatus === "loading"}
            @click=${() => moveWindow(1)} aria-label="Later days">›</button>
        </span>
      </div>
      ${s.slotsStatus === "error"
        ? html`<p class="mt-alert" role="alert" data-testid="meeting-slots-error">
            The free times could not be loaded. ${s.slotsError}
            <button type="button" class="button mt-small" @click=${() => loadSlots()}>Try again</button>
          </p>`
        : !s.days.length && s.slotsStatus === "loading"
          ? loading("Loading free times…")
          : html`<div class="mt-days" role="group" aria-label="Day">
              ${s.days.map((d) => {
                const date = parseIsoDate(d.date);
                const count = d.slots.length;
                return html`<button type="button" class="mt-day" data-testid="meeting-day" data-date=${d.date}
                  aria-pressed=${s.day === d.date ? "true" : "false"} ?disabled=${!count && s.day !== d.date} @click=${() => pickDay(d.date)}>
                  <span class="mt-wd">${formatCivil(date, { weekday: "short" })}</span>
                  <span class="mt-dn">${formatCivil(date, { day: "numeric", month: "short" })}</span>
                  <span class="mt-free">${count ? `${count} free` : "—"}</span>
                </button>`;
              })}
            </div>
            ${s.day ? timesTemplate() : nothing}`}
      ${s.calendarChecked ? nothing : html`<p class="mt-warn">The Google Calendar could not be checked just now: these times come from Hearth's own bookings only.</p>`}
      ${fieldError("start")}
    </div>`;
  }

  function timesTemplate() {
    const slots = slotsOf(s.day);
    const date = parseIsoDate(s.day);
    return html`<div class="mt-times" role="group" aria-label=${`Free times on ${formatCivil(date, { weekday: "long", day: "numeric", month: "long" })}`}>
      ${slots.length
        ? slots.map(
            (slot) => html`<button type="button" class="mt-time" data-testid="meeting-slot" data-start=${slot.start}
              aria-pressed=${s.slot && s.slot.start === slot.start ? "true" : "false"} @click=${() => pickSlot(slot)}>
              ${slot.time || formatTime(slot.start, timeZone)}
            </button>`,
          )
        : html`<p class="mt-muted mt-small" data-testid="meeting-no-slots">
            ${s.slotsStatus === "loading" ? "Loading…" : "No free time on this day."}
          </p>`}
    </div>`;
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
      loadSlots();
      queueMicrotask(() => dialog.querySelector("input[name=search]")?.focus());
    },
  };
  return controller;
}

function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

function safeUrl(value) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

const styles = html`<style>
  .mt { width: min(640px, calc(100vw - 1rem)); max-width: none; max-height: calc(100vh - 1rem); padding: 0; border: 0; border-radius: 14px; box-shadow: var(--shadow-pop, 0 12px 32px rgba(16,24,40,.18)); color: var(--ink, #17202b); }
  .mt::backdrop { background: rgba(16, 24, 40, 0.45); }
  .mt-form { padding: 1rem 1.1rem 1.1rem; }
  .mt-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 0.6rem; }
  .mt-title { margin: 0; font-size: 1.2rem; }
  .mt-x { border: 0; background: none; font-size: 1.5rem; line-height: 1; padding: 0.2rem 0.5rem; cursor: pointer; border-radius: 8px; }
  .mt-x:hover { background: #eef0f3; }
  .mt-field { display: grid; gap: 0.35rem; margin: 0 0 0.9rem; padding: 0; border: 0; min-width: 0; }
  .mt-field > span:first-child, .mt-label { font-weight: 600; font-size: 0.9rem; padding: 0; }
  .mt-field input, .mt-field select, .mt-field textarea { width: 100%; min-height: 40px; padding: 0.45rem 0.65rem; border: 1px solid var(--line-strong, #cfd4dc); border-radius: 8px; background: #fff; font-size: 1rem; }
  .mt-field textarea { resize: vertical; }
  .mt [aria-invalid="true"] { border-color: var(--danger, #b42318); }
  .mt-muted { color: var(--muted, #6b7686); font-weight: 400; }
  .mt-small { font-size: 0.85rem; min-height: 32px; padding: 0.2rem 0.6rem; }
  .mt-error { color: var(--danger, #b42318); font-size: 0.88rem; }
  .mt-warn { color: #9a5b00; font-size: 0.88rem; margin: 0.3rem 0 0; }
  .mt-alert { margin: 0 0 0.8rem; padding: 0.55rem 0.75rem; border-radius: 8px; background: #fef3f2; color: #912018; border: 1px solid #fecdca; }
  .mt-list { padding-left: 1.6rem; }
  .mt-tabs { display: flex; gap: 0.4rem; flex-wrap: wrap; }
  .mt-tabs .button[aria-pressed="true"] { background: var(--top, #1f2a37); border-color: var(--top, #1f2a37); color: #fff; }
  .mt-picked { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; padding: 0.5rem 0.7rem; border: 1px solid var(--line, #e3e6eb); border-radius: 8px; background: #f8f9fb; overflow-wrap: anywhere; }
  .mt-results { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line, #e3e6eb); border-radius: 8px; max-height: 220px; overflow-y: auto; }
  .mt-result { display: grid; width: 100%; text-align: left; gap: 0.1rem; padding: 0.45rem 0.7rem; border: 0; background: none; cursor: pointer; overflow-wrap: anywhere; }
  .mt-results li + li .mt-result { border-top: 1px solid #f0f2f5; }
  .mt-result:hover, .mt-result:focus-visible { background: #f0f5ff; }
  .mt-linkish { border: 0; background: none; padding: 0; color: var(--production, #1f6fd1); text-decoration: underline; cursor: pointer; font: inherit; }
  .mt-now { margin: 0 0 0.9rem; }
  .mt-daysnav { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.4rem; }
  .mt-pager { display: inline-flex; align-items: center; gap: 0.4rem; }
  .mt-days { display: grid; grid-template-columns: repeat(auto-fill, minmax(72px, 1fr)); gap: 0.35rem; }
  .mt-day { display: grid; justify-items: center; gap: 0; padding: 0.35rem 0.2rem; border: 1px solid var(--line-strong, #cfd4dc); border-radius: 8px; background: #fff; cursor: pointer; font-size: 0.85rem; }
  .mt-day:disabled { opacity: 0.45; cursor: default; }
  .mt-day[aria-pressed="true"], .mt-time[aria-pressed="true"] { background: var(--top, #1f2a37); border-color: var(--top, #1f2a37); color: #fff; }
  .mt-wd { color: inherit; opacity: 0.75; font-size: 0.78rem; }
  .mt-dn { font-weight: 700; }
  .mt-free { font-size: 0.75rem; opacity: 0.8; }
  .mt-times { display: flex; flex-wrap: wrap; gap: 0.35rem; margin-top: 0.5rem; }
  .mt-time { min-width: 4.2rem; min-height: 38px; padding: 0.3rem 0.6rem; border: 1px solid var(--line-strong, #cfd4dc); border-radius: 8px; background: #fff; cursor: pointer; font-variant-numeric: tabular-nums; font-weight: 600; }
  .mt-time:hover:not([aria-pressed="true"]), .mt-day:hover:not(:disabled):not([aria-pressed="true"]) { background: #f0f5ff; }
  .mt-actions { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0.5rem; margin-top: 0.5rem; }
  .mt-done:focus { outline: none; }
  .mt-ok { margin: 0 0 0.7rem; padding: 0.55rem 0.75rem; border-radius: 8px; background: #ecfdf3; color: #05603a; border: 1px solid #abefc6; font-weight: 600; }
  .mt-summary { margin: 0 0 0.5rem; display: grid; gap: 0.35rem; }
  .mt-summary > div { display: grid; grid-template-columns: 5rem minmax(0, 1fr); gap: 0.5rem; }
  .mt-summary dt { color: var(--muted, #6b7686); }
  .mt-summary dd { margin: 0; overflow-wrap: anywhere; }
</style>`;
