// How the customer's stored values read on screen: stage names and groups, field
// labels, any value as one line of text, and "3 minutes ago". Shared by the details,
// the conflict panel and the timeline, so a field reads the same in all three. Every
// value is rendered through lit-html bindings, i.e. as text.

import { html } from "lit-html";
import { formatDateTime, relativeTime, toDate } from "../../lib/format.js";
import { DEFAULT_STAGES, validGroup } from "../../stages.js";

/** The stage list from whatever the shell passes (array, {stages}, {list}, map, getter). */
export function stageList(stages) {
  let value = stages;
  try {
    if (typeof value === "function") value = value();
  } catch {
    value = null;
  }
  if (value && !Array.isArray(value)) {
    if (Array.isArray(value.stages)) value = value.stages;
    else if (Array.isArray(value.list)) value = value.list;
    else if (typeof value.all === "function") value = value.all();
    else if (typeof value === "object") {
      value = Object.entries(value)
        .filter(([, v]) => v && typeof v === "object")
        .map(([id, v]) => ({ id, ...v }));
    }
  }
  if (!Array.isArray(value)) return DEFAULT_STAGES;
  const list = value
    .filter((s) => s && typeof s.id === "string" && s.id)
    .map((s) => ({ id: s.id, label: typeof s.label === "string" && s.label ? s.label : s.id, group: groupOf(s.group) }));
  return list.length ? list : DEFAULT_STAGES;
}

function groupOf(group) {
  return validGroup(group) || "lead";
}

export function stageInfo(stages, id) {
  const found = stageList(stages).find((s) => s.id === id);
  if (found) return found;
  return { id, label: id ? String(id) : "—", group: "lead" };
}

const FIELD_LABELS = {
  name: "Name",
  company: "Company",
  email: "E-mail",
  mobile: "Mobile",
  mobileValid: "Mobile valid",
  message: "Message",
  stage: "Stage",
  segment: "Segment",
  ownerUid: "Owner",
  archived: "Archived",
  "balances.pending": "Pending",
  "balances.paid": "Paid",
  "balances.currency": "Currency",
};

export function fieldLabel(field) {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  if (field.startsWith("custom.")) return field.slice(7);
  return humanize(field);
}

export function humanize(key) {
  const s = String(key).replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : String(key);
}

/** Any stored value as one line of text (lists joined, maps as key: value). */
export function valueText(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(", ") : "—";
  if (typeof value === "object") {
    if (typeof value.toDate === "function") return formatDateTime(value);
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${valueText(v)}`)
      .join("; ");
  }
  return String(value);
}

/** "3 minutes ago" with the full date and time (business time zone) as its tooltip. */
export function when(at, timeZone) {
  const d = toDate(at);
  if (!d) return html`<span class="cd-when">pending…</span>`;
  return html`<time class="cd-when" datetime=${d.toISOString()} title=${formatDateTime(d, timeZone)}
    >${relativeTime(d)}</time
  >`;
}
