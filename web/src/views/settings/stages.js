// The pipeline's stages: pick a template, or rename, regroup, reorder, add and remove
// stages, then save the whole list. Ids never change once saved (customers and their
// history hold them); a new stage's id is made from its first name. Removing a stage
// that customers are in is refused by the server with how many: shown as it says it,
// and nothing typed is lost. Each stage may name the approved WhatsApp template its
// customers are offered first (the list is the business account's, synced hourly).
import { html, nothing } from "lit-html";
import { listFoot } from "./list-foot.js";
import { moveRow, removeRow, rowMoveButtons } from "./row-moves.js";
import { watchPipelineSettings, watchWhatsAppTemplates } from "../../data/firestore.js";
import { GROUPS, makeStages } from "../../stages.js";

const TEMPLATES = [
  { id: "studio", label: "Studio: lead to delivered" },
  { id: "trade", label: "Trade sales: new to active customer" },
];
const MAX_STAGES = 30;
let rowCounter = 0;
const keyOf = (row) => row.key;

/** A stage id from a name: "Demo booked!" -> "demo_booked", unique among `taken`. */
export function stageIdOf(label, taken) {
  let id = String(label || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 34);
  if (!/^[a-z]/.test(id)) id = `stage_${id}`.replace(/_+$/, "");
  let unique = id;
  for (let n = 2; taken.has(unique); n += 1) unique = `${id}_${n}`;
  return unique;
}

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function stagesEditor(screen) {
  const { container, ctx, api, update } = screen;
  const s = {
    status: "loading",
    template: "studio",
    chosen: "studio",
    rows: [],
    dirty: false,
    busy: false,
    errors: {}, // row key -> message
    formError: "",
    saved: "",
    last: null, // settings/pipeline as last read, for "Discard changes"
  };

  let templateNames = []; // the approved WhatsApp templates' names, each once
  const stopTemplates = watchWhatsAppTemplates(
    ctx.db,
    (found) => {
      templateNames = [...new Set(found.map((t) => t.name).filter(Boolean))];
      update();
    },
    () => {},
  );

  const stopPipeline = watchPipelineSettings(
    ctx.db,
    (pipeline) => {
      if (screen.disposed()) return;
      s.last = pipeline;
      s.template = pipeline && typeof pipeline.template === "string" ? pipeline.template : "studio";
      if (!s.dirty) {
        s.chosen = s.template;
        s.rows = rowsFrom(pipeline);
      }
      s.status = "ready";
      update();
    },
    (err) => {
      console.error(err);
      s.status = "error";
      update();
    },
  );

  function rowsFrom(pipeline) {
    return makeStages(pipeline, null).list.map((st) => ({ key: `st${++rowCounter}`, ...st, isNew: false }));
  }

  function changed() {
    s.dirty = true;
    s.saved = "";
    s.formError = "";
    update();
  }

  function setLabel(row, value) {
    row.label = value;
    delete s.errors[row.key];
    if (row.isNew) {
      const taken = new Set(s.rows.filter((r) => r !== row).map((r) => r.id));
      row.id = stageIdOf(value, taken);
    }
    changed();
  }

  function setGroup(row, value) {
    row.group = value;
    changed();
  }

  function setTemplate(row, value) {
    row.whatsappTemplate = value || null;
    delete s.errors[row.key];
    changed();
  }

  function move(row, by, which) {
    if (moveRow(container, s.rows, row, by, which, keyOf)) changed();
  }

  function remove(row) {
    removeRow(container, s.rows, row, keyOf, { focus: "[data-testid=stage-label]", fallback: "[data-testid=stage-add]" });
    delete s.errors[row.key];
    changed();
  }

  function add() {
    if (s.rows.length >= MAX_STAGES) return;
    const taken = new Set(s.rows.map((r) => r.id));
    const row = { key: `st${++rowCounter}`, id: stageIdOf("New stage", taken), label: "New stage", group: "active", isNew: true };
    s.rows.push(row);
    changed();
    queueMicrotask(() => {
      const input = container.querySelector(`[data-row="${row.key}"] [data-testid=stage-label]`);
      input?.focus();
      input?.select();
    });
  }

  function discard() {
    s.dirty = false;
    s.errors = {};
    s.formError = "";
    s.chosen = s.template;
    s.rows = rowsFrom(s.last);
    update();
    queueMicrotask(() => container.querySelector("[data-testid=stage-add]")?.focus());
  }

  async function answer(res, what) {
    s.busy = false;
    if (screen.disposed()) return;
    if (res.ok) {
      s.dirty = false;
      s.errors = {};
      s.formError = "";
      s.saved = what;
      const pipeline = res.body && res.body.pipeline;
      if (pipeline) {
        s.template = pipeline.template;
        s.chosen = pipeline.template;
        s.rows = rowsFrom(pipeline);
      }
      update();
      queueMicrotask(() => container.querySelector("[data-testid=stages-status]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [name, message] of Object.entries(fields)) {
      const found = /^stages\.(\d+)\./.exec(name);
      const row = found ? s.rows[Number(found[1])] : null;
      if (row) s.errors[row.key] = String(message);
      else others.push(String(message));
    }
    s.formError = [res.message, ...others].join(" ");
    update();
    queueMicrotask(() => container.querySelector("[data-testid=stages-error]")?.focus());
  }

  async function save(event) {
    event.preventDefault();
    if (s.busy) return;
    const blank = s.rows.find((row) => !row.label.trim());
    if (blank) {
      s.errors[blank.key] = "Give the stage a name.";
      s.formError = "Some fields need attention. Nothing was saved.";
      update();
      return;
    }
    s.busy = true;
    s.formError = "";
    update();
    const stages = s.rows.map((row) => ({
      id: row.id,
      label: row.label.trim(),
      group: row.group,
      ...(row.whatsappTemplate ? { whatsappTemplate: row.whatsappTemplate } : {}),
    }));
    answer(await api.saveStages(stages), "Stages saved.");
  }

  async function useTemplate() {
    if (s.busy) return;
    s.busy = true;
    s.formError = "";
    update();
    const chosen = TEMPLATES.find((t) => t.id === s.chosen);
    answer(await api.useTemplate(s.chosen), `The ${chosen ? chosen.label.split(":")[0].toLowerCase() : ""} stages are in use.`);
  }

  // --- rendering -----------------------------------------------------------------------

  function rowTemplate(row, index) {
    const error = s.errors[row.key];
    const errorId = `stage-err-${row.key}`;
    const name = row.label.trim() || "this stage";
    return html`<li class="st-row" data-testid="stage-row" data-row=${row.key} data-stage=${row.id}>
      <span class="pill st-pill" data-group=${row.group} data-testid="stage-preview">${row.label.trim() || "—"}</span>
      <label class="bs-field st-name">
        <span class="bs-label">Name</span>
        <input type="text" maxlength="60" data-testid="stage-label" .value=${row.label}
          aria-invalid=${error ? "true" : "false"} aria-describedby=${error ? errorId : nothing}
          @input=${(e) => setLabel(row, e.target.value)} />
      </label>
      <label class="bs-field st-group">
        <span class="bs-label">Group</span>
        <select data-testid="stage-group" .value=${row.group} @change=${(e) => setGroup(row, e.target.value)}>
          ${Object.values(GROUPS).map((g) => html`<option value=${g.id} ?selected=${g.id === row.group}>${g.label}</option>`)}
        </select>
      </label>
      ${templateField(row)}
      <p class="st-id bs-hint">Id <code data-testid="stage-id">${row.id}</code>${row.isNew ? " (new)" : ""}</p>
      ${rowMoveButtons({
        index,
        count: s.rows.length,
        name,
        onMove: (by, which) => move(row, by, which),
        onRemove: () => remove(row),
        removeTestid: "stage-remove",
        keepOne: true,
        className: "st-actions",
      })}
      ${error ? html`<span class="bs-error" id=${errorId} data-testid="field-error">${error}</span>` : nothing}
    </li>`;
  }

  /** The stage's WhatsApp template, once the account has any (or the stage names one). */
  function templateField(row) {
    if (!templateNames.length && !row.whatsappTemplate) return nothing;
    const names = row.whatsappTemplate && !templateNames.includes(row.whatsappTemplate)
      ? [row.whatsappTemplate, ...templateNames] // withdrawn at WhatsApp since: still shown
      : templateNames;
    return html`<label class="bs-field st-wa">
      <span class="bs-label">WhatsApp template</span>
      <select data-testid="stage-whatsapp-template" .value=${row.whatsappTemplate || ""}
        @change=${(e) => setTemplate(row, e.target.value)}>
        <option value="" ?selected=${!row.whatsappTemplate}>None</option>
        ${names.map((n) => html`<option value=${n} ?selected=${n === row.whatsappTemplate}>${n}</option>`)}
      </select>
    </label>`;
  }

  function template() {
    if (s.status === "loading") return html`<section class="bs-card"><p class="bs-help">Loading the stages…</p></section>`;
    if (s.status === "error") {
      return html`<section class="bs-card"><p class="bs-alert" role="alert">The stages could not be loaded.</p></section>`;
    }
    return html`<section class="bs-card st" data-testid="stages" aria-labelledby="st-title">
      <h2 class="bs-legend" id="st-title">Stages</h2>
      <p class="bs-help">Three colours by group: active leads, in production and won (lost is grey).
        Renaming and reordering keep every customer where they are.</p>
      <div class="st-template">
        <label class="bs-field">
          <span class="bs-label">Template</span>
          <select data-testid="template-select" .value=${s.chosen} @change=${(e) => { s.chosen = e.target.value; update(); }}>
            ${TEMPLATES.map((t) => html`<option value=${t.id} ?selected=${t.id === s.chosen}>${t.label}</option>`)}
          </select>
        </label>
        <button type="button" class="button" data-testid="template-use" ?disabled=${s.busy}
          @click=${useTemplate}>Use this template</button>
      </div>
      <form @submit=${save} novalidate>
        <ol class="st-list" aria-label="Stages in order">${s.rows.map(rowTemplate)}</ol>
        ${listFoot(s, {
          name: "stages",
          add: { label: "Add a stage", testid: "stage-add", max: MAX_STAGES, onClick: add },
          onDiscard: discard,
          saveLabel: "Save stages",
        })}
      </form>
    </section>`;
  }

  return {
    template,
    stop: () => {
      stopPipeline();
      stopTemplates();
    },
  };
}
