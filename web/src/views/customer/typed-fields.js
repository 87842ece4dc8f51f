// The owner's typed custom fields (settings/fields) on the customer page: how a stored
// value reads, how it becomes a form input's draft and back, and the input of each type
// (text, number, date, select, checkboxes for a multi select, yes/no, money). The server
// checks every value again (PATCH answers 400 naming changes.custom.<key>); the checks
// here only spare a round trip. Every label and value is a lit-html binding (text).

import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { formatMoney, minorToDecimal, parseMoney } from "../../lib/format.js";

const TYPES = new Set(["text", "number", "date", "select", "multi_select", "yes_no", "money"]);
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** The defined fields from settings/fields, only the well-formed ones, in order. */
export function definedFields(settings) {
  const list = settings && Array.isArray(settings.fields) ? settings.fields : [];
  const seen = new Set();
  const out = [];
  for (const f of list) {
    if (!f || typeof f.key !== "string" || !KEY.test(f.key) || seen.has(f.key) || !TYPES.has(f.type)) continue;
    seen.add(f.key);
    out.push({
      key: f.key,
      label: typeof f.label === "string" && f.label ? f.label : f.key,
      type: f.type,
      options: Array.isArray(f.options) ? f.options.filter((o) => typeof o === "string") : [],
      required: f.required === true,
    });
  }
  return out;
}

/** A stored value as one line of text, by its field's type. */
export function typedText(field, value, currency) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (field.type === "money" && typeof value === "number") return formatMoney(value, currency);
  if (field.type === "yes_no" && typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.map(String).join(", ");
  return String(value);
}

/** What the input holds for a stored value: text for most, a list for a multi select. */
export function toDraft(field, value, currency) {
  if (field.type === "multi_select") return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
  if (value === null || value === undefined) return "";
  if (field.type === "money") return typeof value === "number" ? minorToDecimal(value, currency) : String(value);
  if (field.type === "yes_no") return value === true ? "yes" : value === false ? "no" : "";
  return String(value);
}

function emptyDraft(draft) {
  return Array.isArray(draft) ? draft.length === 0 : String(draft).trim() === "";
}

export function sameDraft(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a || []) === JSON.stringify(b || []);
  return String(a).trim() === String(b).trim();
}

/** The value to send for a draft ({value} or {error}); null clears the field. */
export function fromDraft(field, draft, currency) {
  if (emptyDraft(draft)) return field.required ? { error: `${field.label} is required.` } : { value: null };
  const t = Array.isArray(draft) ? draft : String(draft).trim();
  switch (field.type) {
    case "number": {
      const n = Number(t);
      return Number.isFinite(n) ? { value: n } : { error: "Enter a number." };
    }
    case "money": {
      const parsed = parseMoney(t, currency, { allowZero: true, allowNegative: true });
      return parsed.ok ? { value: minorToDecimal(parsed.value, currency) } : { error: parsed.error };
    }
    case "yes_no":
      return { value: t === "yes" };
    case "multi_select":
      return { value: field.options.filter((o) => t.includes(o)) };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? { value: t } : { error: "Enter a date." };
    default:
      return { value: t };
  }
}

/** The input of one field; `onInput(draft)` receives the new draft. */
export function typedInput(field, draft, error, onInput) {
  const id = `cf-${field.key}`;
  const errorId = `${id}-error`;
  const described = error ? errorId : nothing;
  const invalid = error ? "true" : "false";
  const mark = field.required ? html` <span class="cd-required">(required)</span>` : nothing;
  const message = error ? html`<span class="cd-error" id=${errorId} data-error=${`custom.${field.key}`}>${error}</span>` : nothing;
  if (field.type === "multi_select" || field.type === "yes_no") {
    const choices =
      field.type === "yes_no"
        ? html`${["yes", "no"].map(
            (v) => html`<label class="cd-choice"
              ><input
                type="radio"
                name=${id}
                value=${v}
                .checked=${live(draft === v)}
                @change=${() => onInput(v)}
              />
              ${v === "yes" ? "Yes" : "No"}</label
            >`,
          )}
          ${field.required
            ? nothing
            : html`<label class="cd-choice"
                ><input type="radio" name=${id} value="" .checked=${live(draft === "")} @change=${() => onInput("")} /> Not
                set</label
              >`}`
        : field.options.map(
            (o) => html`<label class="cd-choice"
              ><input
                type="checkbox"
                name=${id}
                .checked=${live(draft.includes(o))}
                @change=${(ev) => onInput(ev.target.checked ? [...draft, o] : draft.filter((v) => v !== o))}
              />
              ${o}</label
            >`,
          );
    return html`<fieldset class="cd-field cd-choices" data-field-key=${field.key} aria-describedby=${described}>
      <legend>${field.label}${mark}</legend>
      ${choices} ${message}
    </fieldset>`;
  }
  const common = (type, extra = {}) => html`<input
    id=${id}
    name=${id}
    type=${type}
    inputmode=${extra.inputmode || nothing}
    step=${extra.step || nothing}
    maxlength=${extra.maxlength || nothing}
    autocomplete="off"
    ?required=${field.required}
    aria-invalid=${invalid}
    aria-describedby=${described}
    .value=${live(draft)}
    @input=${(ev) => onInput(ev.target.value)}
  />`;
  let control;
  if (field.type === "select") {
    control = html`<select
      id=${id}
      name=${id}
      ?required=${field.required}
      aria-invalid=${invalid}
      aria-describedby=${described}
      @change=${(ev) => onInput(ev.target.value)}
    >
      <option value="" .selected=${live(draft === "")}>${field.required ? "Choose…" : "Not set"}</option>
      ${field.options.map((o) => html`<option value=${o} .selected=${live(draft === o)}>${o}</option>`)}
    </select>`;
  } else if (field.type === "number") control = common("number", { step: "any" });
  else if (field.type === "date") control = common("date");
  else if (field.type === "money") control = common("text", { inputmode: "decimal", maxlength: 40 });
  else control = common("text", { maxlength: 2000 });
  return html`<div class="cd-field" data-field-key=${field.key}>
    <label for=${id}>${field.label}${mark}</label>
    ${control} ${message}
  </div>`;
}
