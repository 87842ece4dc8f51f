// One routing rule as a row of inputs: its label, what a new customer must match (the
// source, the source's kind, the form, the mobile's country, a custom field's value; none
// given matches everyone), who gets the lead, whether the rule is on, and Up, Down,
// Remove. Every error the server gave for a part is shown beside that part's input.
// Values from the database are bound as text or .value.
import { html, nothing } from "lit-html";
import { choice, field } from "./inputs.js";
import { rowMoveButtons } from "./row-moves.js";
import { KINDS } from "./sources.js";
import { actionPicker, errorOf } from "./routing-action.js";
import { COUNTRIES, FORMS } from "./routing-rules.js";

function err(row, errors, part) {
  return errorOf(`rt-err-${row.rk}-${part}`, errors[part], part);
}

function select(row, errors, options) {
  return field("rt", row, errors, { ...options, kind: "select" });
}

function input(row, errors, { attrs = {}, ...options }) {
  return field("rt", row, errors, { ...options, maxlength: attrs.maxlength || 100 });
}

/** A select source may name one the list no longer has: kept, and said so. */
function sourceOptions(row, sources) {
  const known = sources.some((src) => src.id === row.source);
  return html`${choice("", "Any source", row.source)}
    ${sources.map((src) => choice(src.id, src.label ? `${src.label} (${src.id})` : src.id, row.source))}
    ${row.source && !known ? choice(row.source, `${row.source} (not in the sources)`, row.source) : nothing}`;
}

/** The value input of a field condition, by the field's type. */
function fieldValue(row, errors, field, set) {
  if (!row.fieldKey) return nothing;
  const options = field && Array.isArray(field.options) ? field.options : null;
  if (field && field.type === "yes_no") {
    return select(row, errors, {
      part: "fieldValue",
      label: "Is",
      testid: "rule-field-value",
      options: html`${choice("", "Choose", row.fieldValue)}${choice("true", "Yes", row.fieldValue)}${choice("false", "No", row.fieldValue)}`,
      set,
    });
  }
  if (options && options.length) {
    const label = field.type === "multi_select" ? "Includes" : "Is";
    return select(row, errors, {
      part: "fieldValue",
      label,
      testid: "rule-field-value",
      options: html`${choice("", "Choose", row.fieldValue)}${options.map((o) => choice(String(o), String(o), row.fieldValue))}`,
      set,
    });
  }
  return input(row, errors, { part: "fieldValue", label: "Is", testid: "rule-field-value", set });
}

/**
 * row: the editable rule; index and count: its place; errors: part -> message;
 * lists: {sources, fields, reps, team}; on: {set(row, part, value), move, remove}.
 */
export function routingRow(row, index, count, errors, lists, on) {
  const name = row.label.trim() || `rule ${index + 1}`;
  const field = lists.fields.find((f) => f.key === row.fieldKey);
  const fieldKnown = !row.fieldKey || field;
  const labelErr = err(row, errors, "label");
  return html`<li class="bs-card rt-rule ${row.enabled ? "" : "rt-off"}" data-testid="rule-row" data-row=${row.rk} data-id=${row.id}>
    <h3 class="bs-subtitle rt-rule-title">${index + 1}. ${name}</h3>
    <label class="bs-field rt-label">
      <span class="bs-label">Label</span>
      <input type="text" data-testid="rule-label" .value=${row.label} maxlength="100" autocomplete="off"
        aria-invalid=${labelErr.invalid} aria-describedby=${labelErr.describedBy}
        @input=${(e) => on.set(row, "label", e.target.value)} />
      ${labelErr.shown}
    </label>
    <fieldset class="rt-match">
      <legend class="bs-label">When a new customer matches all of these (leave empty for everyone)</legend>
      <div class="rt-grid">
        ${select(row, errors, { part: "source", label: "Source", testid: "rule-source", options: sourceOptions(row, lists.sources), set: on.set })}
        ${select(row, errors, {
          part: "sourceKind",
          label: "Source kind",
          testid: "rule-kind",
          options: html`${choice("", "Any kind", row.sourceKind)}${KINDS.map((k) => choice(k.id, k.label, row.sourceKind))}`,
          set: on.set,
        })}
        ${input(row, errors, { part: "form", label: "Form", testid: "rule-form", list: "rt-forms", set: on.set })}
        ${input(row, errors, {
          part: "country",
          label: "Mobile's country",
          testid: "rule-country",
          list: "rt-countries",
          hint: "Two letters: MT, GB…",
          attrs: { maxlength: 2 },
          set: on.set,
        })}
        ${select(row, errors, {
          part: "fieldKey",
          label: "Custom field",
          testid: "rule-field",
          options: html`${choice("", "No field condition", row.fieldKey)}
            ${lists.fields.map((f) => choice(f.key, f.label || f.key, row.fieldKey))}
            ${fieldKnown ? nothing : choice(row.fieldKey, `${row.fieldKey} (not a custom field)`, row.fieldKey)}`,
          set: on.set,
        })}
        ${fieldValue(row, errors, field, on.set)}
      </div>
    </fieldset>
    ${actionPicker({
      part: row,
      errors,
      reps: lists.reps,
      team: lists.team,
      key: row.rk,
      legend: "Give the lead to",
      set: (part, value) => on.set(row, part, value),
    })}
    <label class="au-enabled">
      <input type="checkbox" data-testid="rule-enabled" .checked=${row.enabled} @change=${(e) => on.set(row, "enabled", e.target.checked)} />
      On: routes leads
    </label>
    <p class="bs-hint">Id <code data-testid="rule-id">${row.id}</code>${row.isNew ? " (new, from the label)" : ""}</p>
    ${rowMoveButtons({
      index,
      count,
      name,
      onMove: (by, which) => on.move(row, by, which),
      onRemove: () => on.remove(row),
      removeTestid: "rule-remove",
      className: "au-actions",
    })}
  </li>`;
}

/** The suggestions of the form and country inputs, once per screen. */
export function routingLists() {
  const names = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;
  return html`<datalist id="rt-forms">${FORMS.map((f) => html`<option value=${f}></option>`)}</datalist>
    <datalist id="rt-countries">${COUNTRIES.map((c) => html`<option value=${c}>${names ? names.of(c) : c}</option>`)}</datalist>`;
}
