// The owner's e-mail templates (#/settings/email): add, edit, reorder and remove them,
// each with a name, an optional stage (offered first on the page of a customer in it),
// a subject and a text with merge fields, then save the whole list (PUT
// /admin/settings/email-templates). The server checks every part compiles and says
// which beside it; nothing typed is lost. A template's id is fixed once saved.
import { html } from "lit-html";
import { watchEmailTemplates, watchPipelineSettings } from "../../data/firestore.js";
import { makeStages } from "../../stages.js";
import { choice, field } from "./inputs.js";
import { listFoot } from "./list-foot.js";
import { rowMoveButtons } from "./row-moves.js";
import { rulesForm } from "./rules-form.js";
import { ruleIdOf } from "./automation-rules.js";

const MAX = 50;
const PARTS = { id: "name", name: "name", stage: "stage", subject: "subject", text: "text" };
let counter = 0;

function rowFrom(t) {
  return {
    rk: `em${++counter}`,
    id: typeof t.id === "string" ? t.id : "",
    name: typeof t.name === "string" ? t.name : "",
    stage: typeof t.stage === "string" ? t.stage : "",
    subject: typeof t.subject === "string" ? t.subject : "",
    text: typeof t.text === "string" ? t.text : "",
    html: typeof t.html === "string" ? t.html : null,
    isNew: false,
  };
}

function templateOf(row) {
  return {
    id: row.id,
    name: row.name.trim(),
    ...(row.stage ? { stage: row.stage } : {}),
    subject: row.subject.trim(),
    text: row.text,
    ...(row.html ? { html: row.html } : {}),
  };
}

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function emailTemplatesEditor(screen) {
  const { ctx, update } = screen;
  const s = { status: "loading", rows: [], dirty: false, busy: false, errors: {}, formError: "", saved: "", stored: undefined, pipeline: undefined };

  function reload(stored) {
    const list = stored && Array.isArray(stored.templates) ? stored.templates : [];
    s.rows = list.filter((t) => t && typeof t === "object").map(rowFrom);
  }

  function arrived() {
    if (s.stored === undefined || s.pipeline === undefined) return;
    if (!s.dirty) reload(s.stored);
    s.status = "ready";
    update();
  }

  const failed = () => {
    if (screen.disposed()) return;
    s.status = "error";
    update();
  };
  const stops = [
    watchEmailTemplates(ctx.db, (stored) => ((s.stored = stored), arrived()), failed),
    watchPipelineSettings(ctx.db, (pipeline) => ((s.pipeline = pipeline), arrived()), failed),
  ];

  function changed(row, part) {
    if (row && s.errors[row.rk]) {
      delete s.errors[row.rk][part];
      if (!Object.keys(s.errors[row.rk]).length) delete s.errors[row.rk];
    }
    s.dirty = true;
    s.saved = "";
    update();
  }

  function set(row, part, value) {
    row[part] = value;
    if (part === "name" && row.isNew) row.id = ruleIdOf(value, new Set(s.rows.filter((r) => r !== row).map((r) => r.id)));
    changed(row, part);
  }

  const form = rulesForm(screen, s, {
    name: "email-templates",
    check(fault) {
      let missing = false;
      for (const row of s.rows) {
        for (const part of ["name", "subject", "text"]) {
          if (!row[part].trim()) {
            fault(row.rk, part, "Fill this in.");
            missing = true;
          }
        }
      }
      return missing ? null : { templates: s.rows.map(templateOf) };
    },
    place(path) {
      const found = /^templates\.(\d+)\.([a-z]+)/.exec(path);
      const row = found ? s.rows[Number(found[1])] : null;
      return row ? [row.rk, PARTS[found[2]] || "name"] : null;
    },
    reload,
    savedText: "Templates saved. They are offered on the customer pages now.",
    firstFocus: "[data-testid=template-add]",
    preview: { changed() {} },
    rows: {
      max: MAX,
      make: (taken) => ({ ...rowFrom({}), id: ruleIdOf("", taken), isNew: true }),
      input: "[data-testid=template-name]",
      changed,
    },
  });

  function row(r, index, stages) {
    const errors = s.errors[r.rk] || {};
    const name = r.name.trim() || "this template";
    return html`<li class="au-row" data-testid="template-row" data-row=${r.rk} data-template=${r.id}>
      ${field("em", r, errors, { part: "name", label: "Name", testid: "template-name", maxlength: 100, set })}
      ${field("em", r, errors, {
        part: "stage",
        label: "Offered first for customers in",
        testid: "template-stage",
        kind: "select",
        options: html`${choice("", "Any stage", r.stage)}${stages.map((st) => choice(st.id, st.label, r.stage))}`,
        set,
      })}
      ${field("em", r, errors, { part: "subject", label: "Subject", testid: "template-subject", maxlength: 500, set })}
      ${field("em", r, errors, {
        part: "text",
        label: "Text",
        testid: "template-text",
        kind: "area",
        maxlength: 20000,
        hint: "Merge fields: {{ customer.first_name }}, {{ customer.company }}, {{ customer.custom.budget }}, {{ sender.name }}, {{ business }}.",
        set,
      })}
      <p class="bs-hint au-id">Id <code>${r.id}</code>${r.isNew ? " (new, from the name)" : ""}</p>
      ${rowMoveButtons({
        index,
        count: s.rows.length,
        name,
        onMove: (by, which) => form.move(r, by, which),
        onRemove: () => form.remove(r),
        removeTestid: "template-remove",
        className: "au-actions",
      })}
    </li>`;
  }

  function template() {
    if (s.status === "loading") return html`<section class="bs-card"><p class="bs-help">Loading the e-mail templates…</p></section>`;
    if (s.status === "error") return html`<section class="bs-card"><p class="bs-alert" role="alert">The e-mail templates could not be loaded.</p></section>`;
    const stages = makeStages(s.pipeline, ctx.config.stageGroups).list;
    return html`<section class="bs-card au" data-testid="email-templates" aria-labelledby="em-title">
      <h2 class="bs-legend" id="em-title">E-mail templates</h2>
      <p class="bs-help">What the customer pages offer to send. A template for a stage is offered first for customers in
        it; merge fields are filled from the customer when it is sent, and the preview says which were empty.</p>
      <form @submit=${form.save} novalidate>
        ${s.rows.length
          ? html`<ol class="au-list" aria-label="Templates in order">${s.rows.map((r, i) => row(r, i, stages))}</ol>`
          : html`<p class="bs-help" data-testid="email-templates-empty">No template yet: one-off e-mails only.</p>`}
        ${listFoot(s, {
          name: "email-templates",
          add: { label: "Add a template", testid: "template-add", max: MAX, onClick: form.add },
          onDiscard: form.discard,
          saveLabel: "Save templates",
        })}
      </form>
    </section>`;
  }

  return { template, stop: () => stops.forEach((stop) => stop()) };
}
