// The inputs a settings row is made of (a labelled text box, text area or select), each
// with the server's error for its part beside it and named by aria-describedby. One
// copy, so every settings editor labels and explains its inputs the same way; values
// from the database are bound as .value, never as markup.
import { html, nothing } from "lit-html";
import { errorOf } from "./routing-action.js";

export function choice(id, label, current) {
  return html`<option value=${id} ?selected=${id === current}>${label}</option>`;
}

/**
 * prefix: the editor's class and id prefix ("em"); row: {rk, [part]: value}; errors:
 * {part: message}; kind: "text" | "area" | "select"; options for a select; list: a
 * datalist's id for a text box; set(row, part, value).
 */
export function field(prefix, row, errors, { part, label, testid, kind = "text", options, set, hint, maxlength = 200, list }) {
  const e = errorOf(`${prefix}-err-${row.rk}-${part}`, errors[part], part);
  const common = { invalid: e.invalid, describedBy: e.describedBy };
  let control;
  if (kind === "select") {
    control = html`<select data-testid=${testid} .value=${row[part]} aria-invalid=${common.invalid}
      aria-describedby=${common.describedBy} @change=${(ev) => set(row, part, ev.target.value)}>${options}</select>`;
  } else if (kind === "area") {
    control = html`<textarea rows="4" data-testid=${testid} maxlength=${maxlength} .value=${row[part]}
      aria-invalid=${common.invalid} aria-describedby=${common.describedBy}
      @input=${(ev) => set(row, part, ev.target.value)}></textarea>`;
  } else {
    control = html`<input type="text" data-testid=${testid} maxlength=${maxlength} .value=${row[part]} list=${list || nothing}
      autocomplete="off"
      aria-invalid=${common.invalid} aria-describedby=${common.describedBy}
      @input=${(ev) => set(row, part, ev.target.value)} />`;
  }
  return html`<label class="bs-field ${prefix}-${part}">
    <span class="bs-label">${label}</span>
    ${control}
    ${hint ? html`<span class="bs-hint">${hint}</span>` : nothing}
    ${e.shown}
  </label>`;
}
