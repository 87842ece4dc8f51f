// What an automation rule is, for the rules screen: the choices it offers (when, the
// offset's unit) and the rule <-> editable row translation. No rendering, no I/O.
// The server's model (functions/hearth/rules/automations.py) decides what is valid; the
// screen shows what it refuses beside the input it names. The template defaults below
// mirror its DEFAULTS, shown until the owner saves rules of their own (the browser test
// compares them with the server's).
import { stageIdOf } from "./stages.js";

export const STALE = "stale";
export const MAX_RULES = 50;

/** What a rule waits for: an event type, or a customer's stage standing still. */
export const TRIGGERS = [
  { id: "customer.created", label: "A new customer arrives" },
  { id: "stage.changed", label: "The stage changes" },
  { id: "payment.recorded", label: "A payment is recorded" },
  { id: "booking.created", label: "A call is booked" },
  { id: "booking.cancelled", label: "A call is cancelled" },
  { id: "message.received", label: "The customer writes (WhatsApp or e-mail)" },
  { id: STALE, label: "No stage change for a while" },
];
export const TRIGGER_LABEL = Object.fromEntries(TRIGGERS.map((t) => [t.id, t.label]));

/** The offset's units: when the task is due (for "stale", how long the stage stood still). */
export const UNITS = [
  { id: "businessDays", label: "business days after", stale: "business days" },
  { id: "days", label: "days after", stale: "days" },
  { id: "hours", label: "hours after" },
  { id: "beforeCallHours", label: "hours before the booked call" },
];

/** The units a trigger can take: before the call for booking events only, days for "stale". */
export function unitsFor(on) {
  if (on === STALE) return UNITS.filter((u) => u.stale);
  return UNITS.filter((u) => u.id !== "beforeCallHours" || on.startsWith("booking."));
}

export const TEMPLATE_RULES = {
  studio: [],
  trade: [
    { id: "new_lead_check_in", on: "customer.created", offset: { businessDays: 2 }, title: "Check in with the new lead" },
    { id: "demo_reminder", on: "booking.created", offset: { beforeCallHours: 24 }, title: "Demo tomorrow: prepare" },
    { id: "demo_nudge", on: "stage.changed", stage: "demo_completed", offset: { days: 3 }, title: "Nudge after the demo" },
    { id: "stale_reminder", on: STALE, offset: { days: 10 }, title: "No stage change for 10 days: follow up" },
  ],
};

/** The rules in force when none are saved: the active pipeline template's. */
export function defaultRules(pipeline) {
  const template = pipeline && typeof pipeline.template === "string" ? pipeline.template : "studio";
  return TEMPLATE_RULES[template] || [];
}

let rowCounter = 0;

/** A stored rule as an editable row; anything unreadable falls back to something valid-looking. */
export function rowFromRule(rule) {
  const offset = rule && typeof rule.offset === "object" && rule.offset ? rule.offset : {};
  const unit = UNITS.find((u) => Number.isInteger(offset[u.id])) || UNITS[0];
  return {
    rk: `au${++rowCounter}`,
    id: typeof rule.id === "string" ? rule.id : "",
    on: TRIGGER_LABEL[rule.on] ? rule.on : "customer.created",
    stage: typeof rule.stage === "string" ? rule.stage : "",
    sourceKind: typeof rule.sourceKind === "string" ? rule.sourceKind : "",
    unit: unit.id,
    amount: Number.isInteger(offset[unit.id]) ? String(offset[unit.id]) : "",
    title: typeof rule.title === "string" ? rule.title : "",
    enabled: rule.enabled !== false,
    doneOnReply: rule.doneOnReply === true,
    isNew: false,
  };
}

/** A new rule's row: a check-in after a business day, its id made from its title. */
export function newRow(taken) {
  const row = rowFromRule({ on: "customer.created", offset: { businessDays: 1 }, title: "" });
  return { ...row, id: ruleIdOf("", taken), isNew: true };
}

/** A rule id from a title ("Call back!" -> "call_back"), unique among `taken`. */
export function ruleIdOf(title, taken) {
  const id = stageIdOf(title || "rule", taken);
  return id.startsWith("stage_") ? `rule_${id.slice(6)}`.replace(/_+$/, "") : id;
}

/**
 * The rule the server takes from a row. The amount is sent as typed when it is not a
 * whole number (the server names the field), so what it refuses is said in its words.
 */
export function ruleFromRow(row) {
  const typed = row.amount.trim();
  const amount = /^\d+$/.test(typed) ? Number(typed) : typed;
  return {
    id: row.id,
    on: row.on,
    ...(row.stage ? { stage: row.stage } : {}),
    ...(row.sourceKind ? { sourceKind: row.sourceKind } : {}),
    offset: { [row.unit]: amount },
    title: row.title.trim(),
    enabled: row.enabled,
    ...(row.doneOnReply ? { doneOnReply: true } : {}),
  };
}

/**
 * Where a server field path belongs: [row index, part] for rules.<n>.<part>[...]; a
 * rule's own refusal (rules.<n>: an offset its event cannot have) belongs to its offset.
 */
export function placeOf(path) {
  const found = /^rules\.(\d+)(?:\.([A-Za-z]+))?/.exec(path);
  if (!found) return null;
  const part = found[2] || "offset";
  const parts = { id: "title", on: "on", stage: "stage", sourceKind: "sourceKind", offset: "offset", title: "title", enabled: "enabled", doneOnReply: "doneOnReply" };
  return parts[part] ? [Number(found[1]), parts[part]] : null;
}
