// The booking settings form: the live settings/booking document, the edits, the rules
// (start times, gaps, notice, horizon, fallback video link) and the save bar, with every
// field error beside its input and nothing typed ever lost.
//
// It owns the form's state and hands the working hours and the kinds of call (their own
// components) an editor: the state, edited(path), setField, fieldError and invalid. A
// change saved in another tab replaces the form while nothing is typed, and is announced
// otherwise. Saves through the admin function: PUT <functions>/admin/settings/booking.
import { html, nothing } from "lit-html";
import { watchBookingSettings } from "../../data/firestore.js";
import { formatDateTime, toDate } from "../../lib/format.js";
import { follow } from "../live.js";
import { error as errorState, firestoreErrorMessage, loading } from "../states.js";
import { callTypes } from "./call-types.js";
import { NUMBERS, bodyFrom, formFrom, placeErrors, snapshotOf, wholeNumber } from "./model.js";
import { workingHours } from "./working-hours.js";

/** screen: {container, ctx, send, update, disposed()}. Returns {template(), stop()}. */
export function settingsForm(screen) {
  const { container, ctx, send, update } = screen;
  const businessZone = ctx.config.businessTimeZone;
  const s = {
    status: "loading", // loading | ready | error
    error: null,
    stored: null, // the document as last read
    form: null,
    baseline: "", // snapshotOf(form) as last read or saved
    errors: {},
    formError: "",
    saving: false,
    savedAt: null,
    changedElsewhere: false,
  };
  let shown = new Set(); // the settings errors drawn beside a field in this render

  const stop = follow(
    screen,
    s,
    (onChange, onError) => watchBookingSettings(ctx.db, onChange, onError),
    (data) => {
      s.stored = data;
      const fresh = formFrom(data);
      if (!s.form || (!s.saving && !dirty())) {
        s.form = fresh;
        s.baseline = snapshotOf(fresh);
        s.changedElsewhere = false;
      } else if (!s.saving && snapshotOf(fresh) !== s.baseline) {
        s.changedElsewhere = true;
      }
    },
  );

  function dirty() {
    return Boolean(s.form) && snapshotOf(s.form) !== s.baseline;
  }

  // --- editing -------------------------------------------------------------------------

  function edited(path) {
    delete s.errors[path];
    s.savedAt = null;
    update();
  }

  function setField(name, value) {
    s.form[name] = value;
    edited(name);
  }

  /** A settings error beside its field (and remembered as shown). */
  function fieldError(path, message = s.errors[path]) {
    if (!message) return nothing;
    shown.add(path);
    return html`<span class="bs-error" id=${`err-${path}`} data-testid="field-error" data-field=${path}>${message}</span>`;
  }

  function invalid(path) {
    return s.errors[path] ? "true" : "false";
  }

  const editor = { s, container, edited, setField, fieldError, invalid, businessZone };
  const hours = workingHours(editor);
  const types = callTypes(editor);

  function revert() {
    s.form = formFrom(s.stored);
    s.baseline = snapshotOf(s.form);
    s.errors = {};
    s.formError = "";
    s.changedElsewhere = false;
    update();
  }

  async function save(event) {
    event.preventDefault();
    if (s.saving) return;
    const { body, errors } = bodyFrom(s.form);
    s.errors = errors;
    s.formError = "";
    s.savedAt = null;
    if (Object.keys(errors).length) {
      s.formError = "Some settings need attention. Nothing was saved.";
      update();
      focusFirstError();
      return;
    }
    s.saving = true;
    update();
    const res = await send("PUT", "/admin/settings/booking", body);
    s.saving = false;
    if (screen.disposed()) return;
    if (res.ok) {
      const saved = (res.body && res.body.settings) || body;
      s.form = formFrom(saved);
      s.baseline = snapshotOf(s.form);
      s.stored = { ...(s.stored || {}), ...saved };
      s.errors = {};
      s.savedAt = new Date();
      s.changedElsewhere = false;
      update();
      return;
    }
    s.errors = placeErrors(res.body && res.body.fields, s.form);
    s.formError = res.message;
    update();
    focusFirstError();
  }

  function focusFirstError() {
    queueMicrotask(() => {
      const target = container.querySelector("[aria-invalid=true]") || container.querySelector("[data-testid=settings-error]");
      target?.focus();
    });
  }

  // --- rendering -----------------------------------------------------------------------

  function template() {
    if (s.status === "loading") return loading("Loading the booking settings…");
    if (s.status === "error") {
      return errorState({
        title: "The booking settings could not be loaded",
        message: firestoreErrorMessage(s.error),
        retry: () => location.reload(),
      });
    }
    return formTemplate();
  }

  function formTemplate() {
    const f = s.form;
    const changed = dirty();
    const state = s.saving ? "saving" : s.formError ? "error" : s.savedAt && !changed ? "saved" : changed ? "dirty" : "idle";
    shown = new Set();
    const sections = [hours.template(f), types.template(f), rulesSection(f)];
    // Whatever the server named that no field above showed, so that no message is lost.
    const other = Object.entries(s.errors).filter(([path]) => !shown.has(path));
    const stamp = s.stored && toDate(s.stored.updatedAt);
    const by = s.stored && s.stored.updatedBy && typeof s.stored.updatedBy === "object" ? s.stored.updatedBy.email : "";
    return html`<form class="bs-form" data-testid="settings-form" novalidate @submit=${save}>
      ${s.changedElsewhere
        ? html`<p class="bs-note" role="status" data-testid="settings-changed-elsewhere">
            These settings were changed elsewhere while you were editing. Saving replaces them with what is here;
            <button type="button" class="bs-linkish" @click=${revert}>show the saved ones instead</button>.
          </p>`
        : nothing}

      ${sections}

      ${other.length
        ? html`<ul class="bs-alert" data-testid="settings-other-errors">
            ${other.map(([path, message]) => html`<li data-field=${path}>${path}: ${message}</li>`)}
          </ul>`
        : nothing}

      <div class="bs-savebar">
        <p class="bs-status bs-status-${state}" data-testid="settings-status" data-state=${state} role="status" aria-live="polite">
          ${state === "saving"
            ? "Saving…"
            : state === "saved"
              ? `Saved. Visitors see the new times now.`
              : changed
                ? "Unsaved changes."
                : stamp
                  ? `Last saved ${formatDateTime(stamp, businessZone)}${by ? ` by ${by}` : ""}.`
                  : s.stored
                    ? ""
                    : "Not saved yet: visitors get these defaults."}
        </p>
        ${s.formError
          ? html`<p class="bs-alert bs-form-error" role="alert" tabindex="-1" data-testid="settings-error">${s.formError}</p>`
          : nothing}
        <div class="bs-actions">
          ${changed && !s.saving
            ? html`<button type="button" class="button button-quiet" data-testid="settings-revert" @click=${revert}>Undo changes</button>`
            : nothing}
          <button type="submit" class="button button-primary" data-testid="settings-save" ?disabled=${s.saving}>
            ${s.saving ? "Saving…" : "Save settings"}
          </button>
        </div>
      </div>
    </form>`;
  }

  function rulesSection(f) {
    return html`<fieldset class="bs-card" data-testid="rules">
        <legend class="bs-legend">Rules</legend>
        <div class="bs-numbers">
          ${NUMBERS.map(
            ({ name, label, unit, hint }) => html`<label class="bs-field">
              <span class="bs-label">${label}</span>
              <span class="bs-unit">
                <input type="number" inputmode="numeric" min="0" step="1" name=${name} data-testid=${`settings-${name}`}
                  .value=${f[name]} aria-invalid=${invalid(name)} aria-describedby=${`err-${name}`}
                  @input=${(e) => setField(name, e.target.value)} />
                <span>${unit}</span>
              </span>
              <span class="bs-hint">${hint}${name === "minNoticeMinutes" ? noticeInWords(f[name]) : ""}</span>
              ${fieldError(name)}
            </label>`,
          )}
        </div>
        <label class="bs-field">
          <span class="bs-label">Video link when Google Calendar makes none</span>
          <input type="url" name="fallbackVideoLink" data-testid="settings-fallbackVideoLink" autocomplete="off" spellcheck="false"
            placeholder="https://meet.example.com/your-room" .value=${f.fallbackVideoLink}
            aria-invalid=${invalid("fallbackVideoLink")} aria-describedby="err-fallbackVideoLink"
            @input=${(e) => setField("fallbackVideoLink", e.target.value)} />
          <span class="bs-hint">Sent with every booking while no Google Calendar is connected. Optional.</span>
          ${fieldError("fallbackVideoLink")}
        </label>
      </fieldset>`;
  }

  return { template, stop };
}

/** " Now: 1 day 2 h." after the minimum notice's hint, from an hour on. */
function noticeInWords(value) {
  const minutes = wholeNumber(value);
  if (minutes === null || minutes < 60) return "";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [];
  if (days) parts.push(`${days} day${days === 1 ? "" : "s"}`);
  if (hours) parts.push(`${hours} h`);
  if (rest) parts.push(`${rest} min`);
  return ` Now: ${parts.join(" ")}.`;
}
