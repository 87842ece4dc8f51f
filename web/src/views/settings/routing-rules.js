// What a routing rule is, for the routing screen: the rule <-> editable row translation,
// the fallback's, and where a server field path belongs. No rendering, no I/O. The
// server's model (functions/hearth/rules/routing.py) decides what is valid: a source,
// rep or custom field that does not exist is refused there, naming the field
// (rules.2.action.group.1), and the screen shows it beside that input.
import { ruleIdOf } from "./automation-rules.js";

export const MAX_RULES = 100;

/** Forms the site ships with; any other slug may be typed. */
export const FORMS = ["contact", "pricing", "booking", "giveaway"];

/** Countries offered for the mobile's country (ISO 3166 codes); any other code may be typed. */
export const COUNTRIES = ["MT", "GB", "IE", "IT", "DE", "FR", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "PL", "US", "CA", "AU", "AE"];

let rowCounter = 0;

const str = (value) => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));

/** An action ({rep} | {group}) as the editable part of a row or of the fallback. */
export function actionFields(action) {
  const a = action && typeof action === "object" ? action : {};
  if (Array.isArray(a.group)) return { mode: "group", rep: "", group: a.group.map(str) };
  return { mode: "rep", rep: str(a.rep), group: [] };
}

/** A stored rule as an editable row; anything unreadable falls back to blank inputs. */
export function rowFromRule(rule) {
  const r = rule && typeof rule === "object" ? rule : {};
  const match = r.match && typeof r.match === "object" ? r.match : {};
  const field = match.field && typeof match.field === "object" ? match.field : {};
  return {
    rk: `rt${++rowCounter}`,
    id: str(r.id),
    label: str(r.label),
    source: str(match.source),
    sourceKind: str(match.sourceKind),
    form: str(match.form),
    country: str(match.country),
    fieldKey: str(field.key),
    fieldValue: field.value === undefined ? "" : str(field.value),
    ...actionFields(r.action),
    enabled: r.enabled !== false,
    isNew: false,
  };
}

/** A new rule: matches everything until the owner narrows it, its id made from its label. */
export function newRow(taken) {
  return { ...rowFromRule({}), id: ruleIdOf("", taken), isNew: true };
}

export { ruleIdOf };

/** The value a field condition sends: a number for a number field, true/false for yes/no. */
function typedValue(text, type) {
  if (type === "number" && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
  if (type === "yes_no" && (text === "true" || text === "false")) return text === "true";
  return text.trim();
}

/** The action the server takes from a row or the fallback (a group in the order shown). */
export function actionOf(part) {
  return part.mode === "group" ? { group: [...part.group] } : { rep: part.rep };
}

/** The rule the server takes from a row; fieldTypes: custom field key -> type. */
export function ruleFromRow(row, fieldTypes) {
  const match = {};
  if (row.source) match.source = row.source;
  if (row.sourceKind) match.sourceKind = row.sourceKind;
  if (row.form.trim()) match.form = row.form.trim();
  if (row.country.trim()) match.country = row.country.trim().toUpperCase();
  if (row.fieldKey) match.field = { key: row.fieldKey, value: typedValue(row.fieldValue, fieldTypes[row.fieldKey]) };
  return {
    id: row.id,
    ...(row.label.trim() ? { label: row.label.trim() } : {}),
    match,
    action: actionOf(row),
    enabled: row.enabled,
  };
}

/** The fallback the server takes: null when leads no rule takes stay unassigned (the owner's). */
export function fallbackOf(fallback) {
  return fallback.mode === "none" ? null : actionOf(fallback);
}

/** settings/routing's fallback as its editable part ({mode: "none"} when there is none). */
export function fallbackFrom(stored) {
  const action = stored && stored.fallback;
  if (!action || typeof action !== "object") return { mode: "none", rep: "", group: [] };
  return actionFields(action);
}

const RULE_PARTS = {
  id: "label",
  label: "label",
  enabled: "enabled",
  source: "source",
  sourceKind: "sourceKind",
  form: "form",
  country: "country",
  field: "fieldKey",
  rep: "rep",
  group: "group",
};

/**
 * Where a server field path belongs: ["rule", index, part] for rules.<n>...,
 * ["fallback", part] for fallback..., null for anything else.
 * rules.0.match.field.value -> fieldValue; rules.0.action (neither or both) -> the action.
 */
export function placeOf(path) {
  const rule = /^rules\.(\d+)(?:\.(.*))?$/.exec(path);
  if (rule) {
    const rest = (rule[2] || "").split(".");
    let part = "label";
    if (rest[0] === "match") part = rest[1] === "field" && rest[2] === "value" ? "fieldValue" : RULE_PARTS[rest[1]] || "source";
    else if (rest[0] === "action") part = RULE_PARTS[rest[1]] || "action";
    else if (RULE_PARTS[rest[0]]) part = RULE_PARTS[rest[0]];
    return ["rule", Number(rule[1]), part];
  }
  const fallback = /^fallback(?:\.(\w+))?/.exec(path);
  if (fallback) return ["fallback", RULE_PARTS[fallback[1]] || "action"];
  return null;
}

/** A team member's name for a picker: their display name, else their e-mail, else the uid. */
export function nameOf(member) {
  return member.displayName || member.email || member.uid;
}
