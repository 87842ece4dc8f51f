// The owner's automation rules: list them in order, add, edit, turn on and off, reorder
// and remove rules, preview what they would have made over the last 30 days, then save
// the whole list (PUT /admin/settings/automations). Until rules are saved the active
// pipeline template's defaults run, and are shown here as the starting point. A rule's
// id is fixed once saved (its tasks' ids begin with it, so a rule never fires twice for
// one event); a new rule's id is made from its title. What the server refuses is shown
// beside the input it names (rules.<n>.offset.businessDays, rules.<n>.title), and
// nothing typed is lost.
import { html, nothing } from "lit-html";
import { watchAutomationSettings, watchPipelineSettings } from "../../data/firestore.js";
import { makeStages } from "../../stages.js";
import { listFoot } from "./list-foot.js";
import { rulesForm } from "./rules-form.js";
import { ruleRow } from "./automation-row.js";
import { rulesPreview } from "./automation-preview.js";
import { MAX_RULES, defaultRules, newRow, placeOf, ruleFromRow, ruleIdOf, rowFromRule, unitsFor } from "./automation-rules.js";

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function automationsEditor(screen) {
  const { ctx, api, update } = screen;
  const s = {
    status: "loading",
    rows: [],
    dirty: false,
    busy: false,
    errors: {}, // row.rk -> {title?, on?, stage?, sourceKind?, offset?, enabled?}
    formError: "",
    saved: "",
    stored: undefined, // settings/automations as last read (null: never saved)
    pipeline: undefined, // settings/pipeline as last read: the stages and the template
  };

  function arrived() {
    if (s.stored === undefined || s.pipeline === undefined) return;
    if (!s.dirty) s.rows = rowsFrom(s.stored);
    s.status = "ready";
    update();
  }

  function failed(err) {
    if (screen.disposed()) return;
    console.error(err);
    s.status = "error";
    update();
  }

  const stops = [
    watchAutomationSettings(
      ctx.db,
      (stored) => {
        if (screen.disposed()) return;
        s.stored = stored;
        arrived();
      },
      failed,
    ),
    watchPipelineSettings(
      ctx.db,
      (pipeline) => {
        if (screen.disposed()) return;
        s.pipeline = pipeline;
        arrived();
      },
      failed,
    ),
  ];

  const preview = rulesPreview(screen, {
    api,
    timeZone: ctx.config.businessTimeZone,
    rules: () => form.checked(),
    refused: (res) => form.refused(res),
  });

  function rowsFrom(stored) {
    const rules = stored ? (Array.isArray(stored.rules) ? stored.rules : []) : defaultRules(s.pipeline);
    return rules.filter((rule) => rule && typeof rule === "object").map(rowFromRule);
  }

  function changed(row, part) {
    if (row && s.errors[row.rk]) {
      delete s.errors[row.rk][part];
      if (!Object.keys(s.errors[row.rk]).length) delete s.errors[row.rk];
    }
    s.dirty = true;
    s.saved = "";
    preview.changed();
    update();
  }

  function takenBy(row) {
    return new Set(s.rows.filter((r) => r !== row).map((r) => r.id));
  }

  /** A change to one input of a rule; `field` is the row's own name for it when the
   * server's part differs (the offset's amount and unit). */
  function set(row, part, value, field = part) {
    row[field] = value;
    if (part === "title" && row.isNew) row.id = ruleIdOf(value, takenBy(row));
    if (part === "on") {
      // An offset the new trigger cannot take gives way to the first one it can.
      const units = unitsFor(value);
      if (!units.some((u) => u.id === row.unit)) row.unit = units[0].id;
      if (s.errors[row.rk]) delete s.errors[row.rk].offset;
    }
    changed(row, part);
  }

  const form = rulesForm(screen, s, {
    name: "automations",
    check(fault) {
      const blank = s.rows.filter((row) => !row.title.trim());
      for (const row of blank) fault(row.rk, "title", "Say what the task is.");
      return blank.length ? null : s.rows.map(ruleFromRow);
    },
    place(path) {
      const where = placeOf(path);
      const row = where ? s.rows[where[0]] : null;
      return row ? [row.rk, where[1]] : null;
    },
    reload: (settings) => {
      s.rows = rowsFrom(settings);
    },
    savedText: "Rules saved. The sweep applies them from the next minute.",
    firstFocus: "[data-testid=rule-add]",
    preview,
    rows: { max: MAX_RULES, make: newRow, input: "[data-testid=rule-title]", changed },
  });

  // --- rendering -----------------------------------------------------------------------

  function origin() {
    if (s.stored) return nothing;
    const template = s.pipeline && s.pipeline.template === "trade" ? "trade sales" : "studio";
    return html`<p class="bs-status" data-testid="automations-defaults">No rules saved yet: these are the ${template}
      template's, and they run until you save your own.</p>`;
  }

  function template() {
    if (s.status === "loading") return html`<section class="bs-card"><p class="bs-help">Loading the automation rules…</p></section>`;
    if (s.status === "error") {
      return html`<section class="bs-card"><p class="bs-alert" role="alert">The automation rules could not be loaded.</p></section>`;
    }
    const stages = makeStages(s.pipeline, ctx.config.stageGroups).list;
    const on = { set, move: form.move, remove: form.remove };
    return html`<section class="bs-card au" data-testid="automations" aria-labelledby="au-title">
      <h2 class="bs-legend" id="au-title">Follow-up rules</h2>
      <p class="bs-help">Each rule makes a task for the customer's owner when something happens, due a while after
        (business days skip weekends, in the business time zone). A rule makes at most one task per event, and a task
        a rule makes never sets off another rule.</p>
      ${origin()}
      <form @submit=${form.save} novalidate>
        ${s.rows.length
          ? html`<ol class="au-list" aria-label="Rules in order">
              ${s.rows.map((row, index) => ruleRow(row, { index, count: s.rows.length, errors: s.errors[row.rk] || {}, stages, on }))}
            </ol>`
          : html`<p class="bs-help" data-testid="automations-empty">No rules: no task is made by itself.</p>`}
        ${preview.template()}
        ${listFoot(s, {
          name: "automations",
          add: { label: "Add a rule", testid: "rule-add", max: MAX_RULES, onClick: form.add },
          onDiscard: form.discard,
          saveLabel: "Save rules",
        })}
      </form>
    </section>`;
  }

  return {
    template,
    stop: () => stops.forEach((stop) => stop()),
  };
}
