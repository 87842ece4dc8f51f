// The owner's custom fields: list them in order, add, edit, reorder and remove typed
// fields, then save the whole list (PUT /admin/settings/fields). A field's key is fixed
// once saved: customers' values, form answers and the export column are filed under it,
// so a new key would orphan them. The server checks every definition with the model each
// write validates against; what it refuses is shown beside the input it names
// (fields.<n>.key, fields.<n>.options), and nothing typed is lost.
import { html, nothing } from "lit-html";
import { listFoot } from "./list-foot.js";
import { moveRow, removeRow, rowMoveButtons } from "./row-moves.js";
import { watchFieldSettings } from "../../data/firestore.js";
import { stageIdOf } from "./stages.js";

export const FIELD_TYPES = [
  { id: "text", label: "Text" },
  { id: "number", label: "Number" },
  { id: "date", label: "Date" },
  { id: "select", label: "Select (one option)" },
  { id: "multi_select", label: "Multi select (several options)" },
  { id: "yes_no", label: "Yes / no" },
  { id: "money", label: "Money" },
];
const WITH_OPTIONS = new Set(["select", "multi_select"]);
const MAX_FIELDS = 60;
const PARTS = ["key", "label", "type", "options", "required"];
let rowCounter = 0;
const keyOf = (row) => row.rk;

/** A field key from a label, like a stage id, but never the "stage_" prefix. */
export function fieldKeyOf(label, taken) {
  if (!String(label || "").trim()) return "";
  const key = stageIdOf(label, taken);
  return key.startsWith("stage_") ? `field_${key.slice(6)}`.replace(/_+$/, "") || "field" : key;
}

/** Options as typed (one a line) -> the list the server takes. */
function optionsOf(text) {
  return String(text || "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function fieldsEditor(screen) {
  const { container, ctx, api, update } = screen;
  const s = {
    status: "loading",
    rows: [],
    dirty: false,
    busy: false,
    errors: {}, // row.rk -> {key?, label?, type?, options?, required?}
    formError: "",
    saved: "",
    last: null, // settings/fields as last read, for "Discard changes"
  };

  const stop = watchFieldSettings(
    ctx.db,
    (settings) => {
      if (screen.disposed()) return;
      s.last = settings;
      if (!s.dirty) s.rows = rowsFrom(settings);
      s.status = "ready";
      update();
    },
    (err) => {
      console.error(err);
      s.status = "error";
      update();
    },
  );

  function rowsFrom(settings) {
    const fields = settings && Array.isArray(settings.fields) ? settings.fields : [];
    return fields
      .filter((f) => f && typeof f.key === "string")
      .map((f) => ({
        rk: `fd${++rowCounter}`,
        key: f.key,
        label: typeof f.label === "string" ? f.label : f.key,
        type: FIELD_TYPES.some((t) => t.id === f.type) ? f.type : "text",
        options: Array.isArray(f.options) ? f.options.map(String).join("\n") : "",
        required: f.required === true,
        isNew: false,
        keyTyped: true,
      }));
  }

  function changed(row, part) {
    if (row && s.errors[row.rk]) {
      delete s.errors[row.rk][part];
      if (!Object.keys(s.errors[row.rk]).length) delete s.errors[row.rk];
    }
    s.dirty = true;
    s.saved = "";
    update();
  }

  function takenBy(row) {
    return new Set(s.rows.filter((r) => r !== row).map((r) => r.key));
  }

  function setLabel(row, value) {
    row.label = value;
    if (row.isNew && !row.keyTyped) row.key = fieldKeyOf(value, takenBy(row));
    changed(row, "label");
  }

  function setKey(row, value) {
    row.key = value;
    row.keyTyped = true;
    changed(row, "key");
  }

  function setType(row, value) {
    row.type = value;
    changed(row, "type");
    if (s.errors[row.rk]) delete s.errors[row.rk].options;
  }

  function setOptions(row, value) {
    row.options = value;
    changed(row, "options");
  }

  function setRequired(row, value) {
    row.required = value;
    changed(row, "required");
  }

  function focusIn(row, selector) {
    queueMicrotask(() => container.querySelector(`[data-row="${row.rk}"] ${selector}`)?.focus());
  }

  function move(row, by, which) {
    if (moveRow(container, s.rows, row, by, which, keyOf)) changed(null);
  }

  function remove(row) {
    removeRow(container, s.rows, row, keyOf, { focus: "[data-testid=field-label]", fallback: "[data-testid=field-add]" });
    delete s.errors[row.rk];
    changed(null);
  }

  function add() {
    if (s.rows.length >= MAX_FIELDS) return;
    const row = {
      rk: `fd${++rowCounter}`,
      key: "",
      label: "",
      type: "text",
      options: "",
      required: false,
      isNew: true,
      keyTyped: false,
    };
    s.rows.push(row);
    changed(null);
    focusIn(row, "[data-testid=field-label]");
  }

  function discard() {
    s.dirty = false;
    s.errors = {};
    s.formError = "";
    s.rows = rowsFrom(s.last);
    update();
    queueMicrotask(() => container.querySelector("[data-testid=field-add]")?.focus());
  }

  function fault(row, part, message) {
    s.errors[row.rk] = { ...(s.errors[row.rk] || {}), [part]: message };
  }

  /** The first input with an error, to take the keyboard there. */
  function focusFirstError() {
    queueMicrotask(() => {
      const first = container.querySelector("[data-testid=fields] [aria-invalid=true]");
      (first || container.querySelector("[data-testid=fields-error]"))?.focus();
    });
  }

  async function answer(res) {
    s.busy = false;
    if (screen.disposed()) return;
    if (res.ok) {
      s.dirty = false;
      s.errors = {};
      s.formError = "";
      s.saved = "Fields saved.";
      const settings = res.body && res.body.settings;
      if (settings) s.rows = rowsFrom(settings);
      update();
      queueMicrotask(() => container.querySelector("[data-testid=fields-status]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [name, message] of Object.entries(fields)) {
      // fields.<n>.<part>[.<m>]: the row and the input it names; anything else is said
      // with the form's message.
      const found = /^fields\.(\d+)\.([a-z_]+)/.exec(name);
      const row = found ? s.rows[Number(found[1])] : null;
      if (row && PARTS.includes(found[2])) fault(row, found[2], String(message));
      else others.push(String(message));
    }
    s.formError = [res.message, ...others].join(" ");
    update();
    focusFirstError();
  }

  async function save(event) {
    event.preventDefault();
    if (s.busy) return;
    let blank = false;
    for (const row of s.rows) {
      if (!row.label.trim()) {
        fault(row, "label", "Give the field a label.");
        blank = true;
      }
      if (row.isNew && !row.key.trim()) {
        fault(row, "key", "Give the field a key.");
        blank = true;
      }
    }
    if (blank) {
      s.formError = "Some fields need attention. Nothing was saved.";
      update();
      focusFirstError();
      return;
    }
    s.busy = true;
    s.formError = "";
    update();
    const fields = s.rows.map((row) => ({
      key: row.key.trim(),
      label: row.label.trim(),
      type: row.type,
      ...(WITH_OPTIONS.has(row.type) ? { options: optionsOf(row.options) } : {}),
      required: row.required,
    }));
    answer(await api.save(fields));
  }

  // --- rendering -----------------------------------------------------------------------

  function errorOf(row, part) {
    const message = (s.errors[row.rk] || {})[part];
    const id = `field-err-${row.rk}-${part}`;
    return {
      message,
      id,
      invalid: message ? "true" : "false",
      describedBy: message ? id : nothing,
      shown: message
        ? html`<span class="bs-error" id=${id} data-testid="field-error" data-part=${part}>${message}</span>`
        : nothing,
    };
  }

  function keyTemplate(row) {
    const err = errorOf(row, "key");
    if (!row.isNew) {
      return html`<div class="bs-field fd-key">
        <span class="bs-label">Key</span>
        <code data-testid="field-key">${row.key}</code>
        ${err.shown}
      </div>`;
    }
    const hint = `field-keyhint-${row.rk}`;
    return html`<label class="bs-field fd-key">
      <span class="bs-label">Key</span>
      <input type="text" maxlength="40" spellcheck="false" autocapitalize="off" data-testid="field-key-input"
        .value=${row.key} aria-invalid=${err.invalid}
        aria-describedby=${err.message ? `${hint} ${err.id}` : hint}
        @input=${(e) => setKey(row, e.target.value)} />
      <span class="bs-hint" id=${hint}>Lower-case letters, digits and _, from a letter. Fixed once saved.</span>
      ${err.shown}
    </label>`;
  }

  function rowTemplate(row, index) {
    const name = row.label.trim() || "this field";
    const label = errorOf(row, "label");
    const type = errorOf(row, "type");
    const options = errorOf(row, "options");
    const required = errorOf(row, "required");
    return html`<li class="fd-row" data-testid="field-row" data-row=${row.rk} data-key=${row.key}>
      <label class="bs-field fd-label">
        <span class="bs-label">Label</span>
        <input type="text" maxlength="80" data-testid="field-label" .value=${row.label}
          aria-invalid=${label.invalid} aria-describedby=${label.describedBy}
          @input=${(e) => setLabel(row, e.target.value)} />
        ${label.shown}
      </label>
      ${keyTemplate(row)}
      <label class="bs-field fd-type">
        <span class="bs-label">Type</span>
        <select data-testid="field-type" .value=${row.type} aria-invalid=${type.invalid}
          aria-describedby=${type.describedBy} @change=${(e) => setType(row, e.target.value)}>
          ${FIELD_TYPES.map((t) => html`<option value=${t.id} ?selected=${t.id === row.type}>${t.label}</option>`)}
        </select>
        ${type.shown}
      </label>
      ${WITH_OPTIONS.has(row.type)
        ? html`<label class="bs-field fd-options">
            <span class="bs-label">Options, one a line</span>
            <textarea rows="3" data-testid="field-options" .value=${row.options}
              aria-invalid=${options.invalid} aria-describedby=${options.describedBy}
              @input=${(e) => setOptions(row, e.target.value)}></textarea>
            ${options.shown}
          </label>`
        : options.shown}
      <label class="fd-required">
        <input type="checkbox" data-testid="field-required" .checked=${row.required}
          aria-invalid=${required.invalid} aria-describedby=${required.describedBy}
          @change=${(e) => setRequired(row, e.target.checked)} />
        Required when editing a customer
      </label>
      ${required.shown}
      ${rowMoveButtons({
        index,
        count: s.rows.length,
        name,
        onMove: (by, which) => move(row, by, which),
        onRemove: () => remove(row),
        removeTestid: "field-remove",
        className: "fd-actions",
      })}
    </li>`;
  }

  function template() {
    if (s.status === "loading") return html`<section class="bs-card"><p class="bs-help">Loading the custom fields…</p></section>`;
    if (s.status === "error") {
      return html`<section class="bs-card"><p class="bs-alert" role="alert">The custom fields could not be loaded.</p></section>`;
    }
    return html`<section class="bs-card fd" data-testid="fields" aria-labelledby="fd-title">
      <h2 class="bs-legend" id="fd-title">Custom fields</h2>
      <p class="bs-help">Shown in this order on every customer page and as columns of the export. A form
        question with the same name as a key fills the field. A key cannot change once saved: customers'
        values, form answers and the export column are filed under it. Removing a field hides it here; the
        values customers already have stay, shown as other fields.</p>
      <form @submit=${save} novalidate>
        ${s.rows.length
          ? html`<ol class="fd-list" aria-label="Custom fields in order">${s.rows.map(rowTemplate)}</ol>`
          : html`<p class="bs-help" data-testid="fields-empty">No custom fields yet.</p>`}
        ${listFoot(s, {
          name: "fields",
          add: { label: "Add a field", testid: "field-add", max: MAX_FIELDS, onClick: add },
          onDiscard: discard,
          saveLabel: "Save fields",
        })}
      </form>
    </section>`;
  }

  return { template, stop };
}
