// The conflict panel: a save answered 409 (someone else changed the customer after this
// screen's version). It shows, field by field, mine against the current value, and what
// else they changed; then keeps theirs or applies mine on top of the current version.

import { html, nothing } from "lit-html";
import { formatDateTime, formatDecimalMoney, formatMoney } from "../../lib/format.js";
import { newId } from "../../lib/ids.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { typedText } from "./typed-fields.js";
import { fieldLabel, stageInfo, valueText } from "./values.js";
import { isoMicros, sameValue, snapshotValues } from "./versions.js";

const COMPARED = ["name", "company", "mobile", "stage", "segment", "ownerUid", "archived", "pending", "paid"];

export function customerConflict(view) {
  const { s, container, timeZone } = view;

  function display(field, value) {
    if (value === null || value === undefined || value === "") return "—";
    if (field === "stage") return stageInfo(view.ctx && view.ctx.stages, value).label;
    if (field === "ownerUid") return view.ownerText(value);
    if (field === "pending" || field === "paid") return formatMoney(value, view.currency());
    if (field === "archived") return value ? "archived" : "active";
    return valueText(value);
  }

  /** The owner's definition of custom field `key`, if it has one. */
  function definition(key) {
    return (s.fields || []).find((f) => f.key === key) || null;
  }

  function customLabel(key) {
    const f = definition(key);
    return f ? f.label : `${key} (custom field)`;
  }

  /** A custom value as the customer page shows it: money as money, whether stored (minor
   * units) or as sent (the decimal string the edit form sends). */
  function customText(key, value) {
    const f = definition(key);
    if (!f) return valueText(value);
    if (f.type === "money" && typeof value === "string") return formatDecimalMoney(value, view.currency());
    return typedText(f, value, view.currency());
  }

  /** Each field I change: mine against the current value. */
  function mineAgainstTheirs(op, payload, now, touched) {
    const fields = [];
    if (op === "patch") {
      for (const [field, value] of Object.entries(payload)) {
        if (field === "custom") {
          for (const [ck, cv] of Object.entries(value || {})) {
            touched.add(`custom.${ck}`);
            const theirs = now.custom[ck];
            fields.push({
              field: `custom.${ck}`,
              label: customLabel(ck),
              mine: cv === null ? "(removed)" : customText(ck, cv),
              theirs: theirs === undefined ? "(not set)" : customText(ck, theirs),
              same: sameValue(cv, theirs === undefined ? null : theirs),
            });
          }
        } else {
          touched.add(field);
          fields.push({
            field,
            label: fieldLabel(field),
            mine: display(field, value),
            theirs: display(field, now[field]),
            same: sameValue(value ?? null, now[field] ?? null),
          });
        }
      }
    } else if (op === "owed") {
      touched.add("pending");
      fields.push({
        field: "pending",
        label: "Pending",
        mine: display("pending", payload.pending),
        theirs: display("pending", now.pending),
        same: payload.pending === now.pending,
      });
    }
    return fields;
  }

  /** What else they changed since the version I started from. */
  function theirOtherChanges(base, now, touched) {
    const others = [];
    for (const field of COMPARED) {
      if (touched.has(field) || sameValue(base[field], now[field])) continue;
      others.push({ field, label: fieldLabel(field === "pending" || field === "paid" ? `balances.${field}` : field), before: display(field, base[field]), after: display(field, now[field]) });
    }
    const keys = new Set([...Object.keys(base.custom || {}), ...Object.keys(now.custom || {})]);
    for (const ck of keys) {
      if (touched.has(`custom.${ck}`) || sameValue(base.custom[ck], now.custom[ck])) continue;
      others.push({
        field: `custom.${ck}`,
        label: customLabel(ck),
        before: base.custom[ck] === undefined ? "(not set)" : customText(ck, base.custom[ck]),
        after: now.custom[ck] === undefined ? "(removed)" : customText(ck, now.custom[ck]),
      });
    }
    return others;
  }

  /** The conflict panel's content: each field I change (mine vs current), and what else they changed. */
  function build(op, payload, current, base) {
    const cur = current && typeof current === "object" ? current : {};
    const now = snapshotValues({ ...cur, custom: cur.custom });
    const touched = new Set();
    const fields = mineAgainstTheirs(op, payload, now, touched);
    const others = base ? theirOtherChanges(base, now, touched) : [];
    const at = typeof cur.updatedAt === "string" ? cur.updatedAt : null;
    return {
      op,
      payload,
      currentIso: at,
      base: base || null,
      fields,
      others,
      byline: at ? `It was changed ${formatDateTime(at, timeZone)}.` : "",
    };
  }

  function show(op, payload, res, base) {
    s.conflict = build(op, payload, res.body && res.body.current, base);
    s.status = null;
    // The panel is at the top of the customer; the person is usually at the form.
    queueMicrotask(() => {
      const panel = container.querySelector('[data-testid="conflict"]');
      if (!panel) return;
      panel.scrollIntoView({ block: "start" });
      panel.focus({ preventScroll: true });
    });
  }

  async function takeTheirs() {
    const k = s.conflict;
    if (!k) return;
    s.conflict = null;
    if (k.op === "patch" && s.edit) s.edit = null;
    if (k.op === "owed") {
      s.owed.pending = "";
      s.owed.requestId = null;
    }
    if (k.currentIso && (!s.lastResponseIso || isoMicros(k.currentIso) > isoMicros(s.lastResponseIso))) {
      s.lastResponseIso = k.currentIso;
    }
    view.setStatus("info", "Kept the current values. Your change was not applied.");
    view.update();
  }

  async function applyMine() {
    const k = s.conflict;
    if (!k || s.busy.conflict) return;
    const expected = k.currentIso || view.currentIso();
    s.busy.conflict = true;
    view.update();
    let res;
    if (k.op === "patch") {
      res = await view.send("PATCH", "", { expected_updated_at: expected, changes: k.payload, request_id: newId() });
    } else {
      res = await view.send("PUT", "/owed", { pending: k.payload.pending, expected_updated_at: expected, request_id: newId() });
    }
    s.busy.conflict = false;
    if (s.conflict !== k) return;
    if (res.ok) {
      s.conflict = null;
      if (k.op === "patch") s.edit = null;
      if (k.op === "owed") {
        s.owed.pending = "";
        s.owed.requestId = null;
      }
      view.setStatus("ok", outcomeText(res, "Your change was applied on top of the current version."));
    } else if (res.status === 409) {
      show(k.op, k.payload, res, k.base);
    } else {
      const fields = Object.values(fieldErrors(res.body));
      view.setStatus("error", `Not applied. ${fields.length ? fields.join(" ") : failureText(res)}`);
    }
    view.update();
  }

  function template() {
    const k = s.conflict;
    if (!k) return nothing;
    return html`<section class="cd-card cd-conflict" data-testid="conflict" role="alert" tabindex="-1">
      <h2>Someone else changed this customer</h2>
      <p>
        ${k.byline || "Another session saved a change after you opened this customer."} Nothing of yours was saved
        yet. Compare, then keep their version or apply yours on top of it.
      </p>
      <table class="cd-conflict-table">
        <thead>
          <tr><th scope="col">Field</th><th scope="col">Yours</th><th scope="col">Current</th></tr>
        </thead>
        <tbody>
          ${k.fields.map(
            (f) => html`<tr data-testid="conflict-field" data-field=${f.field} data-same=${f.same ? "true" : "false"}>
              <th scope="row">${f.label}</th>
              <td data-testid="conflict-mine">${f.mine}</td>
              <td data-testid="conflict-theirs">${f.theirs}${f.same ? html` <span class="cd-muted">(same)</span>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${k.others.length
        ? html`<p class="cd-small">Also changed by them:</p>
            <ul class="cd-changes" data-testid="conflict-others">
              ${k.others.map(
                (o) => html`<li data-field=${o.field}>
                  <span class="cd-label">${o.label}:</span> <span class="cd-from">${o.before}</span>
                  <span aria-hidden="true">→</span> <strong class="cd-to">${o.after}</strong>
                </li>`,
              )}
            </ul>`
        : nothing}
      <div class="cd-buttons">
        <button type="button" class="cd-btn" data-testid="conflict-reload" ?disabled=${s.busy.conflict} @click=${takeTheirs}>
          Keep theirs
        </button>
        <button type="button" class="cd-btn cd-btn-primary" data-testid="conflict-overwrite" ?disabled=${s.busy.conflict} @click=${applyMine}>
          ${s.busy.conflict ? "Applying…" : "Apply mine on top"}
        </button>
      </div>
    </section>`;
  }

  return { template, show };
}
