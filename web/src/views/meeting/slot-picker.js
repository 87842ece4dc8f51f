// The meeting dialog's "what and when": the kind of call, then a day of a 14-day window
// and one of its free times. Free times come from GET <functions>/availability (the same
// answer the public booking widget gets, in the business time zone here); a call booked
// through a link (a trade show abroad) keeps that link's hours when it is moved.
//
// The dialog (index.js) owns the state; this picker reads and sets its type, window, day
// and slot, and fetches the free times again whenever they may have changed.
import { html, nothing } from "lit-html";
import { formatTime } from "../../lib/format.js";
import { addDays, formatCivil, isoDate, parseIsoDate } from "../../lib/zoned.js";
import { loading } from "../states.js";

export const WINDOW_DAYS = 14;

/** dlg: {s, api, timeZone, today, booking (when moving a call), update(), closed(), fieldError(name)}. */
export function slotPicker(dlg) {
  const { s, api, timeZone, today, booking, update, fieldError } = dlg;
  let generation = 0;

  async function load({ keepDay = true } = {}) {
    const mine = ++generation;
    s.slotsStatus = "loading";
    s.slotsError = "";
    update();
    const res = await api.availability({
      type: s.type || undefined,
      from: isoDate(s.from),
      to: isoDate(addDays(s.from, WINDOW_DAYS - 1)),
      tz: timeZone,
      // A call booked through a link (a trade show abroad) keeps that link's hours.
      source: booking ? booking.source || undefined : undefined,
    });
    if (dlg.closed() || mine !== generation) return;
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

  function setType(event) {
    s.type = event.currentTarget.value;
    s.slot = null;
    delete s.errors.type;
    load();
  }

  function moveWindow(direction) {
    const next = addDays(s.from, direction * WINDOW_DAYS);
    s.from = isoDate(next) < isoDate(today) ? today : next;
    s.slot = null;
    load({ keepDay: false });
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

  function template() {
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
            <button type="button" class="button mt-small" @click=${() => load()}>Try again</button>
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

  return { load, typeTemplate, template };
}
