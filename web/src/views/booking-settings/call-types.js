// The booking settings' kinds of call: name, minutes, id (typed for a new one, derived
// from its name until then; fixed once saved, since links and booked calls carry it) and
// which one visitors are offered first.
//
// Its own component because a row's errors are found under its id or, while it has none,
// under its row key; the form around it owns the state and the save (see settings-form.js).
import { html, nothing } from "lit-html";
import { rowKey, typeIdOf } from "./model.js";

export function callTypes(editor) {
  const { s, container, edited, fieldError } = editor;

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

  function template(f) {
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

  return { template };
}
