// The booking settings' form model: the stored settings/booking document <-> what the
// inputs hold, the checks the page makes itself before a save, and the server's field
// errors put beside the inputs they name.
//
// Kept apart from the components so that every piece of the screen reads one picture of
// the form, and so the rules that must match hearth/bookings/settings.py sit in one place.
import { explainer, waitText } from "../../data/api.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const DAY_NAMES = {
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

export const NUMBERS = [
  { name: "stepMinutes", label: "Start times every", unit: "minutes", hint: "A free time starts at the beginning of the hours, then every this many minutes." },
  { name: "bufferMinutes", label: "Gap around each call", unit: "minutes", hint: "Kept free before and after every call and Google Calendar event." },
  { name: "minNoticeMinutes", label: "Minimum notice", unit: "minutes", hint: "How soon a visitor may book (staff may book sooner)." },
  { name: "horizonDays", label: "Bookable ahead", unit: "days", hint: "How far ahead visitors may book." },
];

const RANGE = /^((?:[01]\d|2[0-3]):[0-5]\d)-((?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const TYPE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const SOURCE = /^[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?$/;

// --- the form model: the stored document <-> what the inputs hold ---------------------

let rowCounter = 0;
export const rowKey = () => `r${++rowCounter}`;

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

/** Why a range would be refused, or "" (the same rules as hearth/bookings/settings.py). */
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

export function wholeNumber(text) {
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
export function snapshotOf(form) {
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

export function plain(message) {
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

/** "spring Show 2026!" -> "spring-show-2026", as hearth/rules/sources.py spells a source. */
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

export function typeIdOf(label) {
  return slugOf(label, { max: 40, pattern: /[^a-z0-9_-]/g }).replace(/^[-_]+/, "");
}


const unreachable = ({ wait }) =>
  `Hearth cannot reach its database just now. Nothing was saved: try again${waitText(wait)}.`;

/** A sentence for a person from the admin function's refusal of a save. */
export const settingsMessage = explainer({
  400: "Some settings need attention. Nothing was saved.",
  401: "Your session has ended. Sign in again; what you typed is still here.",
  403: ({ server }) => server || "Only the owner changes booking settings and links.",
  404: ({ server }) => server || "There is nothing here any more.",
  429: unreachable,
  503: unreachable,
  other: ({ server, status }) => server || `Something went wrong (HTTP ${status}). Nothing was saved: try again.`,
});

/** The browser's time-zone names, for the inputs' suggestions (none in an old browser). */
export function zoneNames() {
  try {
    return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  } catch {
    return [];
  }
}
