// One automation rule as a row of inputs: its task's title, when it fires, the stage and
// source kind it is limited to, when its task is due, whether it is on, and Up, Down,
// Remove. Every error the server gave for a part is shown beside that part's input and
// named by its aria-describedby. Values from the database are bound as text or .value.
import { html, nothing } from "lit-html";
import { choice, field } from "./inputs.js";
import { rowMoveButtons } from "./row-moves.js";
import { KINDS } from "./sources.js";
import { STALE, TRIGGERS, unitsFor } from "./automation-rules.js";

function errorOf(row, errors, part) {
  const message = errors[part];
  const id = `au-err-${row.rk}-${part}`;
  return {
    message,
    invalid: message ? "true" : "false",
    describedBy: message ? id : nothing,
    shown: message ? html`<span class="bs-error" id=${id} data-testid="field-error" data-part=${part}>${message}</span>` : nothing,
  };
}

/** A rule's stage may name a stage the pipeline no longer has: kept, and said so. */
function stageOptions(row, stages) {
  const known = stages.some((st) => st.id === row.stage);
  return html`${choice("", "Any stage", row.stage)}
    ${stages.map((st) => choice(st.id, st.label, row.stage))}
    ${row.stage && !known ? choice(row.stage, `${row.stage} (not in the pipeline)`, row.stage) : nothing}`;
}

function offsetTemplate(row, errors, set) {
  const err = errorOf(row, errors, "offset");
  const stale = row.on === STALE;
  const legend = stale ? "No stage change for" : "Task due";
  return html`<fieldset class="au-offset">
    <legend class="bs-label">${legend}</legend>
    <div class="au-offset-inputs">
      <input type="number" min="0" step="1" inputmode="numeric" data-testid="rule-amount" .value=${row.amount}
        aria-label=${`${legend}: how many`} aria-invalid=${err.invalid} aria-describedby=${err.describedBy}
        @input=${(e) => set(row, "offset", e.target.value, "amount")} />
      <select data-testid="rule-unit" .value=${row.unit} aria-label=${`${legend}: unit`} aria-invalid=${err.invalid}
        aria-describedby=${err.describedBy} @change=${(e) => set(row, "offset", e.target.value, "unit")}>
        ${unitsFor(row.on).map((u) => choice(u.id, stale ? u.stale : u.label, row.unit))}
      </select>
    </div>
    ${err.shown}
  </fieldset>`;
}

/**
 * row: the editable rule; index, count: its place; errors: {part: message}; stages:
 * [{id, label}]; on: {set(row, part, value, field?), move(row, by, which), remove(row)}.
 */
export function ruleRow(row, { index, count, errors, stages, on }) {
  const name = row.title.trim() || "this rule";
  const title = errorOf(row, errors, "title");
  return html`<li class="au-row ${row.enabled ? "" : "au-off"}" data-testid="rule-row" data-row=${row.rk} data-rule=${row.id}>
    <label class="bs-field au-title">
      <span class="bs-label">Task to make</span>
      <input type="text" maxlength="200" data-testid="rule-title" .value=${row.title}
        aria-invalid=${title.invalid} aria-describedby=${title.describedBy}
        @input=${(e) => on.set(row, "title", e.target.value)} />
      ${title.shown}
    </label>
    ${field("au", row, errors, {
      kind: "select",
      part: "on",
      label: "When",
      testid: "rule-on",
      options: TRIGGERS.map((t) => choice(t.id, t.label, row.on)),
      set: on.set,
    })}
    ${field("au", row, errors, {
      kind: "select",
      part: "stage",
      label: row.on === STALE ? "Only while in stage" : "Only in stage",
      testid: "rule-stage",
      options: stageOptions(row, stages),
      set: on.set,
    })}
    ${field("au", row, errors, {
      kind: "select",
      part: "sourceKind",
      label: "Only for customers from",
      testid: "rule-source",
      options: html`${choice("", "Any kind of source", row.sourceKind)}${KINDS.map((k) => choice(k.id, k.label, row.sourceKind))}`,
      set: on.set,
    })}
    ${offsetTemplate(row, errors, on.set)}
    <label class="au-enabled">
      <input type="checkbox" data-testid="rule-enabled" .checked=${row.enabled}
        @change=${(e) => on.set(row, "enabled", e.target.checked)} />
      On: makes tasks
    </label>
    ${errorOf(row, errors, "enabled").shown}
    <label class="au-enabled">
      <input type="checkbox" data-testid="rule-done-on-reply" .checked=${row.doneOnReply}
        @change=${(e) => on.set(row, "doneOnReply", e.target.checked)} />
      Done by itself when the customer replies
    </label>
    <p class="bs-hint au-id">Id <code data-testid="rule-id">${row.id}</code>${row.isNew ? " (new, from the title)" : ""}</p>
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
