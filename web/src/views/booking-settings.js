// The owner's booking settings and booking links (#/settings/booking, owner only).
//
// Reads settings/booking and bookingLinks from Firestore (the rules let the owner read
// both), live: a change saved in another tab shows here while nothing is typed. Saves
// through the admin function, never Firestore itself:
//   PUT    <functions>/admin/settings/booking          the whole document, JSON spelling
//   PUT    <functions>/admin/booking-links/<source>    {label, timeZone} -> {link: {url, …}}
//   DELETE <functions>/admin/booking-links/<source>
// A 400 names the fields at fault (hours.tue.0, types.intro.label, bufferMinutes…): each
// message is shown beside its input, and nothing typed is lost on any refusal. The page
// checks working hours itself first (the server reports a bad range for "hours" as a
// whole, and only the first one), and only sends numbers that are whole numbers; the
// rest (limits, multiples of five, time zones, labels) is the server's to judge, so the
// page and the booking functions can never disagree about what works.
//
// Loaded lazily, as its own chunk.
import { collection, doc, onSnapshot } from "firebase/firestore";
import { html, nothing, render } from "lit-html";
import { formatDateTime, toDate } from "../format.js";
import { error as errorState, firestoreErrorMessage, loading } from "./states.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

// README, "Booking settings and booking links": what an absent field means.
export const DEFAULTS = Object.freeze({
  timeZone: null,
  hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"], sat: [], sun: [] },
  types: { intro: { label: "Intro call", minutes: 30 }, project: { label: "Project call", minutes: 60 } },
  defaultType: "intro",
  stepMinutes: 30,
  bufferMinutes: 15,
  minNoticeMinutes: 240,
  horizonDays: 60,
  fallbackVideoLink: null,
});

const NUMBERS = [
  { name: "stepMinutes", label: "Start times every", unit: "minutes", hint: "A free time starts at the beginning of the hours, then every this many minutes." },
  { name: "bufferMinutes", label: "Gap around each call", unit: "minutes", hint: "Kept free before and after every call and Google Calendar event." },
  { name: "minNoticeMinutes", label: "Minimum notice", unit: "minutes", hint: "How soon a visitor may book (staff may book sooner)." },
  { name: "horizonDays", label: "Bookable ahead", unit: "days", hint: "How far ahead visitors may book." },
];

const RANGE = /^((?:[01]\d|2[0-3]):[0-5]\d)-((?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const TYPE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SOURCE = /^[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?$/;
const SITE_KEY = "hearth:siteUrl";

// --- the form model: the stored document <-> what the inputs hold ---------------------

let rowCounter = 0;
const rowKey = () => `r${++rowCounter}`;

/** The inputs' values (strings) from a settings/booking document; absent = defaults. */
export function formFrom(data) {
  const d = data && typeof data === "object" ? data : {};
  const hoursDoc = d.hours && typeof d.hours === "object" ? d.hours : null;
  const hours = {};
  for (const day of WEEKDAYS) {
    // A stored hours map that leaves a day out keeps it closed, as the functions read it.
    const ranges = hoursDoc ? hoursDoc[day] : DEFAULTS.hours[day];
    hours[day] = Array.isArray(ranges) ? ranges.map((r) => String(r)) : [];
  }
  const typesDoc = d.types && typeof d.types === "object" && Object.keys(d.types).length ? d.types : DEFAULTS.types;
  const types = Object.entries(typesDoc).map(([id, spec]) => ({
    key: rowKey(),
    id,
    label: spec && spec.label != null ? String(spec.label) : "",
    minutes: spec && spec.minutes != null ? String(spec.minutes) : "",
    isNew: false,
    idEdited: true,
  }));
  const defaultType = types.some((t) => t.id === d.defaultType) ? d.defaultType : types[0]?.id || "";
  const number = (name) => (d[name] === undefined || d[name] === null ? String(DEFAULTS[name]) : String(d[name]));
  return {
    timeZone: typeof d.timeZone === "string" ? d.timeZone : "",
    hours,
    types,
    defaultType,
    stepMinutes: number("stepMinutes"),
    bufferMinutes: number("bufferMinutes"),
    minNoticeMinutes: number("minNoticeMinutes"),
    horizonDays: number("horizonDays"),
    fallbackVideoLink: typeof d.fallbackVideoLink === "string" ? d.fallbackVideoLink : "",
  };
}

/** "9:00 – 17:00" -> "09:00-17:00": spaces, dashes and one-digit hours forgiven. */
export function normaliseRange(text) {
  return String(text || "")
    .replace(/\s+/g, "")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/(^|-)(\d):/g, "$10$2:");
}

/** Why a range would be refused, or "" (the same rules as hearth/booking_settings.py). */
export function rangeProblem(text) {
  const range = normaliseRange(text);
  if (!range) return "Enter a range such as 09:00-17:00, or remove it.";
  const match = RANGE.exec(range);
  if (!match) return `"${text}" is not a range such as 09:00-17:00.`;
  const [start, end] = [match[1], match[2]].map((clock) => {
    const [h, m] = clock.split(":").map(Number);
    return h * 60 + m;
  });
  if (end <= start) return `${range} ends before it starts.`;
  if (start % 5 || end % 5) return `${range} must start and end on a multiple of 5 minutes.`;
  return "";
}

function wholeNumber(text) {
  const value = String(text ?? "").trim();
  return /^\d{1,7}$/.test(value) ? Number(value) : null;
}

/** {body, errors}: the document to PUT, and what the page itself refuses (by field path). */
export function bodyFrom(form) {
  const errors = {};
  const hours = {};
  for (const day of WEEKDAYS) {
    hours[day] = form.hours[day].map((text, i) => {
      const problem = rangeProblem(text);
      if (problem) errors[`hours.${day}.${i}`] = problem;
      return normaliseRange(text);
    });
  }
  const types = {};
  for (const row of form.types) {
    const id = row.id.trim();
    const path = `types.${id || `#${row.key}`}`;
    if (!id) errors[`${path}.id`] = "Give this kind of call an id, e.g. consultation.";
    else if (!TYPE_ID.test(id)) errors[`${path}.id`] = "Use lowercase letters, digits, - or _ (at most 40).";
    else if (id in types) errors[`${path}.id`] = "Another kind of call has this id.";
    if (!row.label.trim()) errors[`${path}.label`] = "Give it the name visitors will see.";
    const minutes = wholeNumber(row.minutes);
    if (minutes === null) errors[`${path}.minutes`] = "Enter the length in whole minutes.";
    if (id) types[id] = { label: row.label.trim(), minutes: minutes ?? row.minutes };
  }
  const body = {
    timeZone: form.timeZone.trim() || null,
    hours,
    types,
    defaultType: form.defaultType || null,
  };
  for (const { name, unit } of NUMBERS) {
    const value = wholeNumber(form[name]);
    if (value === null) errors[name] = `Enter a whole number of ${unit}.`;
    body[name] = value ?? form[name];
  }
  const link = form.fallbackVideoLink.trim();
  if (link && !/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(link)) {
    errors.fallbackVideoLink = "Enter the whole address, starting with https://";
  }
  body.fallbackVideoLink = link || null;
  return { body, errors };
}

/** A comparable picture of the form, to tell whether anything is unsaved. Types are
 * compared in id order: Firestore returns a map's keys sorted, the save answer as sent. */
function snapshotOf(form) {
  const types = form.types.map(({ id, label, minutes }) => [id, label, minutes]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify({ ...form, types });
}

// The validation library's sentences, said shorter (they sit beside narrow inputs).
const PLAIN = [
  [/^Input should be a multiple of (\d+)\.?$/, "Use a multiple of $1."],
  [/^Input should be greater than or equal to (\d+)\.?$/, "At least $1."],
  [/^Input should be less than or equal to (\d+)\.?$/, "At most $1."],
  [/^Input should be a valid integer.*$/, "Enter a whole number."],
  [/^String should have at least 1 character\.?$/, "This cannot be empty."],
  [/^String should have at most (\d+) characters?\.?$/, "At most $1 characters."],
];

function plain(message) {
  for (const [pattern, replacement] of PLAIN) if (pattern.test(message)) return message.replace(pattern, replacement);
  return message;
}

/**
 * The server's field errors as the page's field paths. Most already are (hours.tue.0,
 * types.intro.label, bufferMinutes); a working-hours or type-id problem reported for the
 * whole map is put beside the day or the type it names.
 */
export function placeErrors(fields, form) {
  const placed = {};
  for (const [name, raw] of Object.entries(fields || {})) {
    const message = plain(String(raw));
    let path = name;
    if (name === "hours") {
      const prefixed = /^(mon|tue|wed|thu|fri|sat|sun): (\S+)/.exec(message);
      const day = prefixed?.[1];
      const quoted = prefixed ? prefixed[2] : /^'([^']*)'/.exec(message)?.[1];
      path = day ? `hours.${day}` : "hours";
      for (const d of WEEKDAYS) {
        const i = form.hours[d].findIndex((text) => quoted !== undefined && normaliseRange(text) === normaliseRange(quoted));
        if (i >= 0 && (!day || d === day)) {
          path = `hours.${d}.${i}`;
          break;
        }
      }
    } else if (name === "types") {
      const quoted = /^'([^']*)'/.exec(message)?.[1];
      if (quoted !== undefined && form.types.some((t) => t.id.trim() === quoted)) path = `types.${quoted}.id`;
    }
    placed[path] = placed[path] ? `${placed[path]} ${message}` : message;
  }
  return placed;
}

/** "spring Show 2026!" -> "spring-show-2026", as hearth/sources.py spells a source. */
export function slugOf(text, { max = 100, pattern = /[^a-z0-9.-]/g } = {}) {
  return String(text || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[\s_/]+/g, "-")
    .replace(pattern, "")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, max)
    .replace(/[-.]+$/g, "");
}

function typeIdOf(label) {
  return slugOf(label, { max: 40, pattern: /[^a-z0-9_-]/g }).replace(/^[-_]+/, "");
}

function settingsMessage(response, data) {
  const server = data && typeof data.message === "string" ? data.message : "";
  switch (response.status) {
    case 400:
      return "Some settings need attention. Nothing was saved.";
    case 401:
      return "Your session has ended. Sign in again; what you typed is still here.";
    case 403:
      return server || "Only the owner changes booking settings and links.";
    case 404:
      return server || "There is nothing here any more.";
    case 429:
    case 503: {
      const wait = response.headers.get("Retry-After");
      return `Hearth cannot reach its database just now. Nothing was saved: try again${wait ? ` in ${wait} s` : " in a moment"}.`;
    }
    default:
      return server || `Something went wrong (HTTP ${response.status}). Nothing was saved: try again.`;
  }
}

function zoneNames() {
  try {
    return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  } catch {
    return [];
  }
}

function readStored(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}

function writeStored(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: remembered for this visit only.
  }
}

// --- the screen --------------------------------------------------------------------------

export function renderBookingSettings(container, ctx) {
  const { db, config } = ctx;
  const businessZone = config.businessTimeZone;
  const send = (method, path, body) => ctx.api.request(method, path, body, { explain: settingsMessage });
  const s = {
    status: "loading", // loading | ready | error
    loadError: null,
    stored: null, // the document as last read
    form: null,
    baseline: "", // snapshotOf(form) as last read or saved
    errors: {},
    formError: "",
    saving: false,
    savedAt: null,
    changedElsewhere: false,
    // Booking links.
    links: [],
    linksStatus: "loading",
    linksError: null,
    link: { source: "", label: "", timeZone: "", sourceEdited: false, editing: null },
    linkErrors: {},
    linkFormError: "",
    linkBusy: false,
    created: null, // {source, url} from the last PUT
    confirming: null, // source whose delete is being confirmed
    deleting: null,
    rowErrors: {}, // source -> message
    copied: "", // which Copy button worked last, for a moment
  };
  let disposed = false;
  let siteUrl = String(config.siteUrl || "").replace(/\/+$/, "") || readStored(SITE_KEY) || location.origin;
  let copiedTimer = 0;
  const zones = zoneNames();

  // --- reading -------------------------------------------------------------------------

  const stopSettings = onSnapshot(
    doc(db, "settings", "booking"),
    (snap) => {
      if (disposed) return;
      const data = snap.exists() ? snap.data() : null;
      s.stored = data;
      const fresh = formFrom(data);
      if (!s.form || (!s.saving && !dirty())) {
        s.form = fresh;
        s.baseline = snapshotOf(fresh);
        s.changedElsewhere = false;
      } else if (!s.saving && snapshotOf(fresh) !== s.baseline) {
        s.changedElsewhere = true;
      }
      s.status = "ready";
      update();
    },
    (err) => {
      if (disposed) return;
      console.error(err);
      s.status = "error";
      s.loadError = err;
      update();
    },
  );

  const stopLinks = onSnapshot(
    collection(db, "bookingLinks"),
    (snap) => {
      if (disposed) return;
      s.links = snap.docs
        .map((d) => ({ source: d.id, ...d.data() }))
        .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
      s.linksStatus = "ready";
      update();
    },
    (err) => {
      if (disposed) return;
      console.error(err);
      s.linksStatus = "error";
      s.linksError = err;
      update();
    },
  );

  function dirty() {
    return Boolean(s.form) && snapshotOf(s.form) !== s.baseline;
  }

  // --- editing the settings ------------------------------------------------------------

  function edited(path) {
    delete s.errors[path];
    s.savedAt = null;
    update();
  }

  function setField(name, value) {
    s.form[name] = value;
    edited(name);
  }

  function setRange(day, index, value) {
    s.form.hours[day][index] = value;
    delete s.errors[`hours.${day}`];
    edited(`hours.${day}.${index}`);
  }

  function clearDayErrors(day) {
    for (const path of Object.keys(s.errors)) if (path.startsWith(`hours.${day}`)) delete s.errors[path];
  }

  function addRange(day) {
    const ranges = s.form.hours[day];
    ranges.push(ranges.length ? "" : "09:00-17:00");
    clearDayErrors(day);
    edited("hours");
    queueMicrotask(() => {
      const inputs = container.querySelectorAll(`[data-testid=hours-range][data-day=${day}]`);
      const last = inputs[inputs.length - 1];
      last?.focus();
      last?.select();
    });
  }

  function removeRange(day, index) {
    s.form.hours[day].splice(index, 1);
    clearDayErrors(day);
    edited("hours");
  }

  function typePaths(row) {
    return [row.id.trim(), `#${row.key}`].filter(Boolean).map((id) => `types.${id}`);
  }

  /** {path, message} of a type row's error for a field ("" = the row as a whole). */
  function typeError(row, field) {
    for (const base of typePaths(row)) {
      const path = field ? `${base}.${field}` : base;
      if (s.errors[path]) return { path, message: s.errors[path] };
    }
    return { path: "", message: "" };
  }

  function clearTypeErrors(row, field) {
    for (const base of typePaths(row)) {
      delete s.errors[`${base}.${field}`];
      delete s.errors[base];
    }
    delete s.errors.types;
  }

  function setTypeField(row, field, value) {
    clearTypeErrors(row, field);
    if (field === "label") clearTypeErrors(row, "id");
    const wasDefault = s.form.defaultType === row.id;
    row[field] = value;
    if (field === "id") {
      row.idEdited = true;
      if (wasDefault) s.form.defaultType = value.trim();
    }
    if (field === "label" && row.isNew && !row.idEdited) {
      row.id = typeIdOf(value);
      if (wasDefault) s.form.defaultType = row.id;
    }
    edited(`types.${row.id}.${field}`);
  }

  function addType() {
    const row = { key: rowKey(), id: "", label: "", minutes: "30", isNew: true, idEdited: false };
    s.form.types.push(row);
    delete s.errors.types;
    edited("types");
    queueMicrotask(() => container.querySelector(`[data-testid=type-row][data-key=${row.key}] [data-testid=type-label]`)?.focus());
  }

  function removeType(row) {
    if (s.form.types.length <= 1) return;
    s.form.types = s.form.types.filter((t) => t !== row);
    if (s.form.defaultType === row.id) s.form.defaultType = s.form.types[0].id;
    for (const base of typePaths(row)) {
      for (const path of Object.keys(s.errors)) if (path === base || path.startsWith(`${base}.`)) delete s.errors[path];
    }
    edited("types");
  }

  function setDefault(row) {
    s.form.defaultType = row.id.trim();
    edited("defaultType");
  }

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
    if (disposed) return;
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

  // --- booking links -------------------------------------------------------------------

  function setLink(field, value) {
    s.link[field] = value;
    delete s.linkErrors[field];
    if (field === "source") s.link.sourceEdited = Boolean(value);
    if (field === "label" && !s.link.sourceEdited && !s.link.editing) {
      s.link.source = slugOf(value);
      delete s.linkErrors.source;
    }
    s.linkFormError = "";
    update();
  }

  function editLink(link) {
    s.link = {
      source: link.source,
      label: typeof link.label === "string" ? link.label : "",
      timeZone: typeof link.timeZone === "string" ? link.timeZone : "",
      sourceEdited: true,
      editing: link.source,
    };
    s.linkErrors = {};
    s.linkFormError = "";
    s.created = null;
    update();
    queueMicrotask(() => container.querySelector("[data-testid=link-label]")?.focus());
  }

  function resetLinkForm() {
    s.link = { source: "", label: "", timeZone: "", sourceEdited: false, editing: null };
    s.linkErrors = {};
    s.linkFormError = "";
  }

  async function saveLink(event) {
    event.preventDefault();
    if (s.linkBusy) return;
    const source = s.link.source.trim();
    s.linkErrors = {};
    s.linkFormError = "";
    if (!source) s.linkErrors.source = "Give the link a source, e.g. spring-show-2026.";
    else if (!SOURCE.test(source)) s.linkErrors.source = "Use lowercase letters, digits, '-' and '.', e.g. spring-show-2026.";
    if (Object.keys(s.linkErrors).length) {
      update();
      return;
    }
    s.linkBusy = true;
    update();
    const body = { label: s.link.label.trim() || null, timeZone: s.link.timeZone.trim() || null };
    const res = await send("PUT", `/admin/booking-links/${encodeURIComponent(source)}`, body);
    s.linkBusy = false;
    if (disposed) return;
    if (res.ok) {
      const link = (res.body && res.body.link) || {};
      const url = typeof link.url === "string" ? link.url : linkUrl(source);
      const marker = url.indexOf("/site/book.html");
      if (marker > 0) {
        siteUrl = url.slice(0, marker);
        writeStored(SITE_KEY, siteUrl);
      }
      s.created = { source, url, updated: Boolean(s.link.editing) };
      resetLinkForm();
      update();
      queueMicrotask(() => container.querySelector("[data-testid=link-created]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [name, message] of Object.entries(fields)) {
      if (["label", "source", "timeZone"].includes(name)) s.linkErrors[name] = plain(String(message));
      else others.push(`${name}: ${message}`);
    }
    if (res.status === 404) s.linkErrors.source = res.message;
    s.linkFormError = [res.status === 400 ? "Some fields need attention. Nothing was saved." : res.message, ...others].join(" ");
    update();
  }

  async function deleteLink(source) {
    if (s.deleting) return;
    s.deleting = source;
    delete s.rowErrors[source];
    update();
    const res = await send("DELETE", `/admin/booking-links/${encodeURIComponent(source)}`);
    s.deleting = null;
    if (disposed) return;
    if (res.ok) {
      s.confirming = null;
      if (s.created && s.created.source === source) s.created = null;
      if (s.link.editing === source) resetLinkForm();
    } else {
      s.rowErrors[source] = res.message;
    }
    update();
  }

  function linkUrl(source) {
    return `${siteUrl}/site/book.html?source=${encodeURIComponent(source)}`;
  }

  async function copy(url, which, event) {
    const field = event.currentTarget.closest("[data-copy]")?.querySelector("input");
    let done = false;
    try {
      await navigator.clipboard.writeText(url);
      done = true;
    } catch {
      // No clipboard permission (an old browser, an iframe): select it for Ctrl-C instead.
      if (field) {
        field.focus();
        field.select();
        try {
          done = document.execCommand("copy");
        } catch {
          done = false;
        }
      }
    }
    if (disposed) return;
    s.copied = done ? which : "";
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => {
      s.copied = "";
      update();
    }, 2500);
    if (!done && field) {
      field.focus();
      field.select();
    }
    update();
  }

  // --- rendering -----------------------------------------------------------------------

  function update() {
    if (!disposed) render(template(), container);
  }

  let shown = new Set(); // the settings errors drawn beside a field in this render

  /** A settings error beside its field (and remembered as shown). */
  function fieldError(path, message = s.errors[path]) {
    if (!message) return nothing;
    shown.add(path);
    return html`<span class="bs-error" id=${`err-${path}`} data-testid="field-error" data-field=${path}>${message}</span>`;
  }

  /** A booking-link form error beside its field. */
  function linkError(name) {
    const message = s.linkErrors[name];
    return message
      ? html`<span class="bs-error" id=${`link-err-${name}`} data-testid="field-error" data-field=${`link.${name}`}>${message}</span>`
      : nothing;
  }

  function invalid(path) {
    return s.errors[path] ? "true" : "false";
  }

  function template() {
    return html`${styles}
      <section class="bs" data-testid="booking-settings">
        <header class="page-head bs-head">
          <div>
            <h1 class="page-title">Booking settings</h1>
            <p class="page-sub bs-sub">When visitors can book a call, which kinds of call there are, and the links you share.</p>
          </div>
          <a class="button" href="#/calendar">Calendar</a>
        </header>
        ${s.status === "loading"
          ? loading("Loading the booking settings…")
          : s.status === "error"
            ? errorState({
                title: "The booking settings could not be loaded",
                message: firestoreErrorMessage(s.loadError),
                retry: () => location.reload(),
              })
            : settingsForm()}
        ${linksSection()}
        <datalist id="bs-zones">${zones.map((zone) => html`<option value=${zone}></option>`)}</datalist>
      </section>`;
  }

  function settingsForm() {
    const f = s.form;
    const changed = dirty();
    const state = s.saving ? "saving" : s.formError ? "error" : s.savedAt && !changed ? "saved" : changed ? "dirty" : "idle";
    shown = new Set();
    const sections = [hoursSection(f), typesSection(f), rulesSection(f)];
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

  function hoursSection(f) {
    return html`<fieldset class="bs-card" data-testid="hours">
        <legend class="bs-legend">Working hours</legend>
        <p class="bs-help">
          Times like <code>09:00-12:30</code>, on five-minute steps; a day may have several, and may end at
          <code>24:00</code>. A day without hours is closed.
        </p>
        ${fieldError("hours")}
        <div class="bs-days">${WEEKDAYS.map((day) => dayRow(day, f.hours[day]))}</div>
        <label class="bs-field bs-zone">
          <span class="bs-label">Time zone of these hours</span>
          <input name="timeZone" data-testid="settings-timeZone" list="bs-zones" autocomplete="off" spellcheck="false"
            placeholder=${`${businessZone} (the business time zone)`} .value=${f.timeZone}
            aria-invalid=${invalid("timeZone")} aria-describedby="err-timeZone"
            @input=${(e) => setField("timeZone", e.target.value)} />
          <span class="bs-hint">Leave empty for ${businessZone}. Visitors always see times in their own zone.</span>
          ${fieldError("timeZone")}
        </label>
      </fieldset>`;
  }

  function typesSection(f) {
    return html`<fieldset class="bs-card" data-testid="types">
        <legend class="bs-legend">Kinds of call</legend>
        ${fieldError("types")} ${fieldError("defaultType")}
        <div class="bs-types" role="list">
          <div class="bs-type bs-type-head" aria-hidden="true">
            <span>Name shown to visitors</span><span>Minutes</span><span>Id</span><span>Offered first</span><span></span>
          </div>
          ${f.types.map((row, index) => typeRow(row, index))}
        </div>
        <button type="button" class="button bs-add" data-testid="type-add" @click=${addType}>+ Add a kind of call</button>
      </fieldset>`;
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

  function dayRow(day, ranges) {
    const name = DAY_NAMES[day];
    return html`<div class="bs-day ${ranges.length ? "" : "bs-closed"}" data-testid="day" data-day=${day}>
      <span class="bs-dayname">${name}</span>
      <div class="bs-ranges">
        ${ranges.length
          ? ranges.map((text, i) => {
              const path = `hours.${day}.${i}`;
              return html`<span class="bs-range">
                <span class="bs-range-line">
                  <input class="bs-range-input" data-testid="hours-range" data-day=${day} data-index=${i} autocomplete="off"
                    spellcheck="false" placeholder="09:00-17:00" aria-label=${`${name}, hours ${i + 1}`} .value=${text}
                    aria-invalid=${invalid(path)} aria-describedby=${`err-${path}`}
                    @input=${(e) => setRange(day, i, e.target.value)} />
                  <button type="button" class="bs-x" data-testid="hours-remove" aria-label=${`Remove ${name}, hours ${i + 1}`}
                    title="Remove" @click=${() => removeRange(day, i)}>×</button>
                </span>
                ${fieldError(path)}
              </span>`;
            })
          : html`<span class="bs-closed-text" data-testid="day-closed">Closed</span>`}
        ${fieldError(`hours.${day}`)}
      </div>
      <button type="button" class="button bs-small" data-testid="hours-add" data-day=${day} aria-label=${`Add hours on ${name}`}
        @click=${() => addRange(day)}>${ranges.length ? "+ Hours" : "Open"}</button>
    </div>`;
  }

  function typeRow(row, index) {
    const isDefault = s.form.defaultType === row.id && row.id !== "";
    const labelError = typeError(row, "label");
    const minutesError = typeError(row, "minutes");
    const idError = typeError(row, "id");
    const whole = typeError(row, "");
    const bad = (e) => (e.message ? "true" : "false");
    const n = index + 1;
    return html`<div class="bs-type" role="listitem" data-testid="type-row" data-key=${row.key} data-id=${row.id}>
      <label class="bs-cell bs-cell-label">
        <span class="bs-mini">Name</span>
        <input data-testid="type-label" maxlength="80" autocomplete="off" .value=${row.label} aria-label=${`Kind of call ${n}: name`}
          aria-invalid=${bad(labelError)} @input=${(e) => setTypeField(row, "label", e.target.value)} />
        ${fieldError(labelError.path, labelError.message)}
      </label>
      <label class="bs-cell bs-cell-minutes">
        <span class="bs-mini">Minutes</span>
        <input type="number" inputmode="numeric" min="5" max="480" step="5" data-testid="type-minutes" .value=${row.minutes}
          aria-label=${`Kind of call ${n}: minutes`} aria-invalid=${bad(minutesError)}
          @input=${(e) => setTypeField(row, "minutes", e.target.value)} />
        ${fieldError(minutesError.path, minutesError.message)}
      </label>
      <label class="bs-cell bs-cell-id">
        <span class="bs-mini">Id</span>
        ${row.isNew
          ? html`<input data-testid="type-id" maxlength="40" autocomplete="off" spellcheck="false" placeholder="e.g. consultation"
              .value=${row.id} aria-label=${`Kind of call ${n}: id (in links, ?type=)`} aria-invalid=${bad(idError)}
              @input=${(e) => setTypeField(row, "id", e.target.value)} />`
          : html`<code class="bs-id" data-testid="type-id-fixed" title="Used in links (?type=) and by booked calls: fixed">${row.id}</code>`}
        ${fieldError(idError.path, idError.message)}
      </label>
      <label class="bs-cell bs-default">
        <input type="radio" name="defaultType" data-testid="type-default" .checked=${isDefault} ?disabled=${!row.id.trim()}
          aria-label=${`Kind of call ${n}: offered first`} @change=${() => setDefault(row)} />
        <span class="bs-mini-inline">Offered first</span>
      </label>
      <button type="button" class="bs-x" data-testid="type-remove" ?disabled=${s.form.types.length <= 1}
        aria-label=${`Remove kind of call ${n}`} title=${s.form.types.length <= 1 ? "There must be one kind of call" : "Remove"}
        @click=${() => removeType(row)}>×</button>
      ${whole.message ? html`<span class="bs-type-error">${fieldError(whole.path, whole.message)}</span>` : nothing}
    </div>`;
  }

  function linksSection() {
    let list;
    if (s.linksStatus === "loading") {
      list = html`<p class="bs-help">Loading links…</p>`;
    } else if (s.linksStatus === "error") {
      list = html`<p class="bs-alert" role="alert" data-testid="links-error">The links could not be loaded. ${firestoreErrorMessage(s.linksError)}</p>`;
    } else if (!s.links.length) {
      list = html`<p class="bs-help" data-testid="links-empty">No booking links yet.</p>`;
    } else {
      list = html`<ul class="bs-links" data-testid="links">${s.links.map((link) => linkRow(link))}</ul>`;
    }
    const editing = s.link.editing;
    return html`<section class="bs-card bs-links-card" data-testid="booking-links" aria-labelledby="bs-links-title">
      <h2 class="bs-legend" id="bs-links-title">Booking links</h2>
      <p class="bs-help">
        A link credits every call booked through it to its source, e.g. a trade show, and may keep its hours in
        another time zone.
      </p>
      ${s.created ? createdBox() : nothing}
      ${list}
      <form class="bs-link-form" data-testid="link-form" novalidate @submit=${saveLink}>
        <h3 class="bs-subtitle">${editing ? html`Change <code>${editing}</code>` : "New link"}</h3>
        <div class="bs-link-fields">
          <label class="bs-field">
            <span class="bs-label">Label</span>
            <input data-testid="link-label" maxlength="80" autocomplete="off" placeholder="Spring Show 2026" .value=${s.link.label}
              aria-invalid=${s.linkErrors.label ? "true" : "false"} @input=${(e) => setLink("label", e.target.value)} />
            ${linkError("label")}
          </label>
          <label class="bs-field">
            <span class="bs-label">Source</span>
            <input data-testid="link-source" maxlength="100" autocomplete="off" spellcheck="false" placeholder="spring-show-2026"
              .value=${s.link.source} ?readonly=${Boolean(editing)} aria-invalid=${s.linkErrors.source ? "true" : "false"}
              aria-describedby="link-err-source"
              @input=${(e) => setLink("source", e.target.value)} />
            <span class="bs-hint">Lowercase letters, digits, '-' and '.'.</span>
            ${linkError("source")}
          </label>
          <label class="bs-field">
            <span class="bs-label">Time zone of its hours</span>
            <input data-testid="link-timeZone" list="bs-zones" autocomplete="off" spellcheck="false" placeholder="Same as the settings"
              .value=${s.link.timeZone} aria-invalid=${s.linkErrors.timeZone ? "true" : "false"} aria-describedby="link-err-timeZone"
              @input=${(e) => setLink("timeZone", e.target.value)} />
            ${linkError("timeZone")}
          </label>
        </div>
        ${s.linkFormError ? html`<p class="bs-alert" role="alert" data-testid="link-error">${s.linkFormError}</p>` : nothing}
        <div class="bs-actions">
          ${editing
            ? html`<button type="button" class="button button-quiet" @click=${() => (resetLinkForm(), update())}>Cancel</button>`
            : nothing}
          <button type="submit" class="button button-primary" data-testid="link-save" ?disabled=${s.linkBusy}>
            ${s.linkBusy ? "Saving…" : editing ? "Save link" : "Create link"}
          </button>
        </div>
      </form>
    </section>`;
  }

  function copyField(url, testid, which) {
    return html`<span class="bs-copy" data-copy>
      <input readonly class="bs-url" data-testid=${testid} .value=${url} aria-label="Link address" @focus=${(e) => e.target.select()} />
      <button type="button" class="button bs-small" data-testid="link-copy" @click=${(e) => copy(url, which, e)}>
        ${s.copied === which ? "Copied" : "Copy"}
      </button>
    </span>`;
  }

  function createdBox() {
    const { source, url, updated } = s.created;
    return html`<div class="bs-created" data-testid="link-created" tabindex="-1" role="status">
      <p><strong>${updated ? "Link saved" : "Link created"}:</strong> share this address; bookings made there count for
        <code>${source}</code>.</p>
      ${copyField(url, "link-created-url", "created")}
    </div>`;
  }

  function linkRow(link) {
    const label = typeof link.label === "string" && link.label ? link.label : "";
    const zone = typeof link.timeZone === "string" && link.timeZone ? link.timeZone : "";
    const confirming = s.confirming === link.source;
    const busy = s.deleting === link.source;
    return html`<li class="bs-link" data-testid="link" data-source=${link.source}>
      <div class="bs-link-head">
        <span class="bs-link-name"><strong data-testid="link-label-text">${label || link.source}</strong>
          ${label ? html`<code class="bs-muted">${link.source}</code>` : nothing}</span>
        <span class="bs-muted bs-small-text" data-testid="link-zone">${zone ? `Hours in ${zone}` : "Hours as in the settings"}</span>
      </div>
      ${copyField(linkUrl(link.source), "link-url", `link:${link.source}`)}
      ${confirming
        ? html`<div class="bs-confirm" data-testid="link-confirm">
            <span>Delete this link? Calls booked through it keep their source; the address then books as a plain source.</span>
            <span class="bs-actions">
              <button type="button" class="button bs-small bs-danger" data-testid="link-delete-yes" ?disabled=${busy}
                @click=${() => deleteLink(link.source)}>${busy ? "Deleting…" : "Delete"}</button>
              <button type="button" class="button bs-small" ?disabled=${busy} @click=${() => ((s.confirming = null), update())}>Keep it</button>
            </span>
          </div>`
        : html`<span class="bs-actions">
            <button type="button" class="button button-quiet bs-small" data-testid="link-edit" @click=${() => editLink(link)}>Change</button>
            <button type="button" class="button button-quiet bs-small" data-testid="link-delete"
              @click=${() => ((s.confirming = link.source), delete s.rowErrors[link.source], update())}>Delete</button>
          </span>`}
      ${s.rowErrors[link.source] ? html`<p class="bs-error" role="alert">${s.rowErrors[link.source]}</p>` : nothing}
    </li>`;
  }

  document.title = "Booking settings · Hearth";
  update();

  return () => {
    disposed = true;
    clearTimeout(copiedTimer);
    stopSettings();
    stopLinks();
    render(nothing, container);
  };
}

// Scoped styles of this chunk (static): the first screen's app.css does not carry them.
const styles = html`<style>
  .bs { max-width: 900px; }
  .bs-sub { margin: 0.2rem 0 0; color: var(--muted, #6b7686); }
  .bs-card { margin: 0 0 1rem; padding: 0.9rem 1rem 1rem; min-width: 0; background: var(--surface, #fff); border: 1px solid var(--line, #e3e6eb); border-radius: 12px; box-shadow: var(--shadow, none); }
  .bs-legend { float: left; width: 100%; margin: 0 0 0.3rem; padding: 0; font-size: 1.1rem; font-weight: 700; }
  .bs-legend + * { clear: both; }
  .bs-subtitle { margin: 0.9rem 0 0.4rem; font-size: 1rem; }
  .bs-help, .bs-hint { color: var(--muted, #6b7686); font-size: 0.88rem; }
  .bs-help { margin: 0 0 0.6rem; }
  .bs-field { display: grid; align-content: start; gap: 0.3rem; margin: 0.7rem 0 0; min-width: 0; }
  .bs-label { font-weight: 600; font-size: 0.92rem; }
  .bs input, .bs button { scroll-margin: 70px 0 150px; }
  .bs input:not([type=radio]) { width: 100%; min-height: 40px; padding: 0.4rem 0.6rem; border: 1px solid var(--line-strong, #cfd4dc); border-radius: 8px; background: #fff; font: inherit; min-width: 0; }
  .bs input[readonly] { background: #f8f9fb; }
  .bs [aria-invalid="true"] { border-color: var(--danger, #b42318) !important; box-shadow: 0 0 0 1px var(--danger, #b42318); }
  .bs-error { display: block; color: var(--danger, #b42318); font-size: 0.86rem; overflow-wrap: anywhere; }
  .bs-alert { margin: 0.6rem 0; padding: 0.55rem 0.75rem; border-radius: 8px; background: #fef3f2; color: #912018; border: 1px solid #fecdca; overflow-wrap: anywhere; }
  ul.bs-alert { padding-left: 1.6rem; }
  .bs-note { margin: 0 0 1rem; padding: 0.55rem 0.75rem; border-radius: 8px; background: #fffaeb; border: 1px solid #fedf89; color: #7a4a00; }
  .bs-linkish { border: 0; background: none; padding: 0; color: inherit; text-decoration: underline; cursor: pointer; font: inherit; }
  .bs-muted { color: var(--muted, #6b7686); }
  .bs-small-text { font-size: 0.85rem; }
  .bs-small { min-height: 34px; padding: 0.25rem 0.65rem; font-size: 0.88rem; }
  .bs-x { flex: none; width: 34px; height: 34px; border: 1px solid transparent; border-radius: 8px; background: none; font-size: 1.3rem; line-height: 1; color: var(--muted, #6b7686); cursor: pointer; }
  .bs-x:hover:not(:disabled) { color: var(--danger, #b42318); background: #fef3f2; }
  .bs-x:disabled { opacity: 0.35; cursor: default; }
  .bs-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; justify-content: flex-end; align-items: center; }

  .bs-days { display: grid; gap: 0.1rem; }
  .bs-day { display: grid; grid-template-columns: 7rem minmax(0, 1fr) auto; align-items: start; gap: 0.5rem; padding: 0.45rem 0; border-top: 1px solid #f0f1f3; }
  .bs-day:first-child { border-top: 0; }
  .bs-dayname { font-weight: 600; padding-top: 0.5rem; }
  .bs-closed .bs-dayname { color: var(--muted, #6b7686); }
  .bs-ranges { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.4rem 0.6rem; min-width: 0; }
  .bs-range { display: grid; align-content: start; gap: 0.2rem; min-width: 0; max-width: 100%; }
  .bs-range-line { display: flex; align-items: center; gap: 0.1rem; }
  .bs .bs-range-input { width: 9.5rem; font-variant-numeric: tabular-nums; }
  .bs-closed-text { padding-top: 0.5rem; color: var(--muted, #6b7686); }
  .bs-zone { max-width: 26rem; }

  .bs-types { display: grid; gap: 0.3rem; }
  .bs-type { display: grid; grid-template-columns: minmax(0, 2fr) 6rem minmax(0, 1.2fr) 7.5rem 34px; gap: 0.5rem; align-items: start; }
  .bs-type-head { font-size: 0.8rem; color: var(--muted, #6b7686); font-weight: 600; }
  .bs-cell { display: grid; gap: 0.2rem; min-width: 0; }
  .bs-mini { display: none; font-size: 0.8rem; color: var(--muted, #6b7686); font-weight: 600; }
  .bs-id { display: block; padding: 0.55rem 0; overflow-wrap: anywhere; }
  .bs-default { display: flex; align-items: center; gap: 0.35rem; min-height: 40px; font-size: 0.88rem; }
  .bs-default input { width: 18px; height: 18px; margin: 0; }
  .bs-mini-inline { display: none; }
  .bs-type-error { grid-column: 1 / -1; }
  .bs-add { margin-top: 0.6rem; }

  .bs-numbers { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0 1rem; }
  .bs-unit { display: flex; align-items: center; gap: 0.4rem; }
  .bs-unit input { max-width: 8rem; }

  .bs-savebar { position: sticky; bottom: 0; z-index: 5; display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.4rem 1rem; margin: 0 0 1.5rem; padding: 0.7rem 1rem; background: var(--surface, #fff); border: 1px solid var(--line, #e3e6eb); border-radius: 12px; box-shadow: var(--shadow-pop, 0 4px 12px rgba(0,0,0,.12)); }
  .bs-status { margin: 0; font-size: 0.92rem; color: var(--muted, #6b7686); }
  .bs-status-saved { color: #05603a; font-weight: 600; }
  .bs-status-dirty { color: #7a4a00; font-weight: 600; }
  .bs-form-error { flex-basis: 100%; order: 3; margin: 0; }
  .bs-savebar .bs-actions { margin-left: auto; }

  .bs-links { list-style: none; margin: 0 0 0.5rem; padding: 0; }
  .bs-link { display: grid; gap: 0.4rem; padding: 0.6rem 0; border-top: 1px solid #f0f1f3; }
  .bs-link:first-child { border-top: 0; }
  .bs-link-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.2rem 0.8rem; overflow-wrap: anywhere; }
  .bs-link-name { display: flex; flex-wrap: wrap; gap: 0.2rem 0.5rem; align-items: baseline; min-width: 0; }
  .bs-link > .bs-actions { justify-content: flex-start; }
  .bs-copy { display: flex; gap: 0.4rem; align-items: center; min-width: 0; }
  .bs .bs-url { flex: 1; font-family: var(--mono, monospace); font-size: 0.85rem; }
  .bs-created { margin: 0 0 0.8rem; padding: 0.65rem 0.8rem; border-radius: 10px; background: #ecfdf3; border: 1px solid #abefc6; color: #05603a; }
  .bs-created p { margin: 0 0 0.4rem; overflow-wrap: anywhere; }
  .bs-created:focus { outline: none; }
  .bs-confirm { display: grid; gap: 0.4rem; padding: 0.5rem 0.65rem; border-radius: 8px; background: #fffaf0; border: 1px solid #f5d9a8; }
  .bs-confirm .bs-actions { justify-content: flex-start; }
  .bs-danger { border-color: var(--danger, #b42318); color: var(--danger, #b42318); }
  .bs-link-form { border-top: 1px solid var(--line, #e3e6eb); margin-top: 0.6rem; }
  .bs-link-fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0 1rem; margin-bottom: 0.7rem; }

  @media (max-width: 639px) {
    .bs-day { grid-template-columns: minmax(0, 1fr) auto; }
    .bs-dayname { grid-column: 1 / -1; padding-top: 0; }
    .bs-ranges { grid-column: 1; }
    .bs-type-head { display: none; }
    .bs-type { grid-template-columns: minmax(0, 1fr) 6rem 34px; padding: 0.5rem 0; border-top: 1px solid #f0f1f3; }
    .bs-cell-label { grid-column: 1 / 3; grid-row: 1; }
    .bs-type > .bs-x { grid-column: 3; grid-row: 1; align-self: end; }
    .bs-cell-id { grid-column: 1; grid-row: 2; }
    .bs-cell-minutes { grid-column: 2 / 4; grid-row: 2; }
    .bs-mini, .bs-mini-inline { display: block; }
    .bs-default { grid-column: 1 / -1; }
    .bs-savebar { padding: 0.5rem 0.75rem; gap: 0.4rem; }
    .bs-status { font-size: 0.85rem; }
    .bs-status-error, .bs-status-idle { display: none; }
    .bs-form-error { padding: 0.35rem 0.6rem; font-size: 0.88rem; }
    .bs-copy { flex-wrap: wrap; }
  }
</style>`;
