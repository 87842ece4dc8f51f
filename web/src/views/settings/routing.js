// The owner's lead routing rules: list them in order, add, edit, turn on and off, reorder
// and remove rules, choose the fallback, preview who the last 30 days' leads would have
// gone to, then save the whole list (PUT /admin/settings/routing). The first enabled rule
// a new customer matches gives it to its rep (or the next of its group, round robin);
// a rule whose reps are all away falls through; the fallback comes last. A rule's id is
// fixed once saved (its round robin is kept under it); a new rule's id is made from its
// label. What the server refuses (an unknown source, rep or field) is shown beside the
// input it names, and nothing typed is lost.
import { html, nothing } from "lit-html";
import { listTeam, watchFieldSettings, watchRoutingSettings, watchSources } from "../../data/firestore.js";
import { listFoot } from "./list-foot.js";
import { rulesForm } from "./rules-form.js";
import { actionPicker } from "./routing-action.js";
import { routingPreview } from "./routing-preview.js";
import { routingLists, routingRow } from "./routing-row.js";
import { MAX_RULES, fallbackFrom, fallbackOf, newRow, placeOf, rowFromRule, ruleFromRow, ruleIdOf } from "./routing-rules.js";

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function routingEditor(screen) {
  const { ctx, api, update } = screen;
  const s = {
    status: "loading",
    rows: [],
    fallback: fallbackFrom(null),
    dirty: false,
    busy: false,
    errors: {}, // row.rk (or "fallback") -> {part: message}
    formError: "",
    saved: "",
    stored: undefined, // settings/routing as last read (null: never saved)
    sources: undefined,
    fields: undefined,
    team: undefined, // uid -> entry
  };

  function arrived() {
    if ([s.stored, s.sources, s.fields, s.team].includes(undefined)) return;
    if (!s.dirty) fromStored(s.stored);
    s.status = "ready";
    update();
  }

  function failed(err) {
    if (screen.disposed()) return;
    console.error(err);
    s.status = "error";
    update();
  }

  const on = (key) => (value) => {
    if (screen.disposed()) return;
    s[key] = value;
    arrived();
  };
  const stops = [
    watchRoutingSettings(ctx.db, on("stored"), failed),
    watchSources(ctx.db, on("sources"), failed),
    watchFieldSettings(ctx.db, (data) => on("fields")(data && Array.isArray(data.fields) ? data.fields : []), failed),
  ];
  listTeam(ctx.db).then((entries) => on("team")(Object.fromEntries(entries.map((e) => [e.uid, e]))), failed);

  const preview = routingPreview(screen, {
    api,
    timeZone: ctx.config.businessTimeZone,
    body: () => form.checked(),
    refused: (res) => form.refused(res),
    ruleName: (id) => s.rows.find((r) => r.id === id)?.label || (id === "fallback" ? "the fallback" : id),
  });

  function fromStored(stored) {
    const rules = stored && Array.isArray(stored.rules) ? stored.rules : [];
    s.rows = rules.filter((rule) => rule && typeof rule === "object").map(rowFromRule);
    s.fallback = fallbackFrom(stored);
  }

  function activeReps() {
    return Object.values(s.team || {})
      .filter((m) => m.role === "rep" && !m.disabled)
      .sort((a, b) => String(a.displayName || a.email || a.uid).localeCompare(String(b.displayName || b.email || b.uid)));
  }

  function changed(key, part) {
    if (key && s.errors[key]) {
      delete s.errors[key][part];
      if (part === "mode" || part === "rep" || part === "group") delete s.errors[key].action;
      if (!Object.keys(s.errors[key]).length) delete s.errors[key];
    }
    s.dirty = true;
    s.saved = "";
    preview.changed();
    update();
  }

  function set(row, part, value) {
    row[part] = value;
    if (part === "label" && row.isNew) {
      row.id = ruleIdOf(value, new Set(s.rows.filter((r) => r !== row).map((r) => r.id)));
    }
    if (part === "fieldKey") row.fieldValue = "";
    if (part === "country") row.country = value.toUpperCase();
    changed(row.rk, part === "fieldKey" ? "fieldKey" : part);
  }

  function setFallback(part, value) {
    s.fallback[part] = value;
    changed("fallback", part);
  }

  const form = rulesForm(screen, s, {
    name: "routing",
    check(fault) {
      let missing = false;
      for (const part of [...s.rows, s.fallback]) {
        const key = part === s.fallback ? "fallback" : part.rk;
        if (part.mode === "rep" && !part.rep) fault(key, "rep", "Choose the rep.");
        else if (part.mode === "group" && !part.group.length) fault(key, "group", "Tick at least one rep.");
        else continue;
        missing = true;
      }
      if (missing) return null;
      const types = Object.fromEntries((s.fields || []).map((f) => [f.key, f.type]));
      return { rules: s.rows.map((row) => ruleFromRow(row, types)), fallback: fallbackOf(s.fallback) };
    },
    place(path) {
      const where = placeOf(path);
      const row = where && where[0] === "rule" ? s.rows[where[1]] : null;
      if (row) return [row.rk, where[2]];
      return where && where[0] === "fallback" ? ["fallback", where[1]] : null;
    },
    reload: fromStored,
    savedText: "Rules saved. New leads are routed by them from now on.",
    firstFocus: "[data-testid=rule-add]",
    preview,
    rows: { max: MAX_RULES, make: newRow, input: "[data-testid=rule-label]", changed },
  });

  // --- rendering -----------------------------------------------------------------------

  function template() {
    if (s.status === "loading") return html`<section class="bs-card"><p class="bs-help">Loading the routing rules…</p></section>`;
    if (s.status === "error") {
      return html`<section class="bs-card"><p class="bs-alert" role="alert">The routing rules could not be loaded.</p></section>`;
    }
    const reps = activeReps();
    const lists = { sources: s.sources, fields: s.fields, reps, team: s.team };
    return html`<section class="bs-card au rt" data-testid="routing" aria-labelledby="rt-title">
      <h2 class="bs-legend" id="rt-title">Routing rules</h2>
      <p class="bs-help">Every new customer, however it arrives, goes to the rep of the first rule it matches (rules that are
        off are skipped). A group shares its leads by round robin; a rep who is away (see <a href="#/team">Team</a>) is
        skipped, and when a rule's reps are all away the next rule is tried. A customer someone assigned by hand is never
        re-routed.</p>
      ${s.stored ? nothing : html`<p class="bs-status" data-testid="routing-none">No rules saved yet: new customers stay unassigned
        until you save some.</p>`}
      ${routingLists()}
      <form @submit=${form.save} novalidate>
        ${s.rows.length
          ? html`<ol class="au-list" aria-label="Rules in order">
              ${s.rows.map((row, index) => routingRow(row, index, s.rows.length, s.errors[row.rk] || {}, lists, { set, move: form.move, remove: form.remove }))}
            </ol>`
          : html`<p class="bs-help" data-testid="routing-empty">No rules: every lead goes to the fallback.</p>`}
        <div class="bs-card rt-fallback" data-testid="routing-fallback">
          ${actionPicker({
            part: s.fallback,
            errors: s.errors.fallback || {},
            reps,
            team: s.team,
            key: "fallback",
            legend: "When no rule takes a lead (the fallback), give it to",
            set: setFallback,
            allowNone: true,
          })}
        </div>
        ${preview.template()}
        ${listFoot(s, {
          name: "routing",
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
