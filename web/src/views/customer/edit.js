// Editing the customer: the form (text fields, owner and segment for the owner, custom
// fields: typed inputs once the owner has defined fields, typed-fields.js, with other
// keys shown read-only; free-form rows while none is defined), what it changes against the version it was opened on, and saving with that
// version as expected_updated_at, so a change someone else made meanwhile comes back
// as a 409 and opens the conflict panel instead of being overwritten.

import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { newId } from "../../lib/ids.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { fromDraft, sameDraft, toDraft, typedInput } from "./typed-fields.js";
import { isoMicros, sameValue, snapshotValues } from "./versions.js";
import { valueText } from "./values.js";

const TEXT_FIELDS = ["name", "company", "mobile", "segment"];
const MAX_CUSTOM_KEY = 64;
const MAX_CUSTOM_VALUE = 2000;

function blankToNull(value) {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

function customText(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => (v === null ? "" : String(v))).join(", ");
  return String(value);
}

/** A typed custom value back in the type it had (number, yes/no, list), else text. */
function customValue(text, original) {
  const t = String(text).trim();
  if (typeof original === "number" && t !== "" && Number.isFinite(Number(t))) return Number(t);
  if (typeof original === "boolean" && /^(true|false|yes|no)$/i.test(t)) return /^(true|yes)$/i.test(t);
  if (Array.isArray(original)) return t === "" ? [] : t.split(",").map((v) => v.trim());
  return t;
}

export function customerEdit(view) {
  const { s, isOwner, container } = view;
  const update = () => view.update();

  function ownerOptions() {
    const options = [];
    for (const [uid, t] of s.team) {
      if (t.role !== "owner" && t.role !== "rep") continue;
      if (t.disabled && uid !== s.edit.draft.ownerUid) continue;
      options.push({ uid, label: `${t.displayName || t.email || uid}${t.role ? ` (${t.role})` : ""}` });
    }
    const current = s.edit.draft.ownerUid;
    if (current && !options.some((o) => o.uid === current)) options.push({ uid: current, label: current });
    options.sort((a, b) => a.label.localeCompare(b.label));
    return options;
  }

  function template() {
    const e = s.edit;
    const d = e.draft;
    const err = e.errors;
    const input = (name, label, attrs = {}) => html`<label class="cd-field">
      <span>${label}</span>
      <input
        name=${name}
        maxlength=${attrs.maxlength || 200}
        autocomplete="off"
        inputmode=${attrs.inputmode || "text"}
        aria-invalid=${err[name] ? "true" : "false"}
        .value=${live(d[name] ?? "")}
        @input=${(ev) => {
          d[name] = ev.target.value;
          if (err[name]) {
            delete err[name];
            update();
          }
        }}
      />
      ${err[name] ? html`<span class="cd-error" data-error=${name}>${err[name]}</span>` : nothing}
    </label>`;
    const changedUnder = s.customer && isoMicros(view.currentIso()) > isoMicros(e.baseIso);
    return html`<section class="cd-card" aria-label="Edit customer">
      <h2>Edit</h2>
      ${changedUnder && !s.conflict
        ? html`<p class="cd-warn" data-testid="changed-while-editing">
            Someone changed this customer while you were editing. Saving will tell you what differs.
          </p>`
        : nothing}
      <form class="cd-form" data-testid="edit-form" novalidate @submit=${submitEdit}>
        ${input("name", "Name")} ${input("company", "Company")}
        ${input("mobile", "Mobile", { maxlength: 40, inputmode: "tel" })}
        ${isOwner
          ? html`${input("segment", "Segment", { maxlength: 64 })}
              <label class="cd-field">
                <span>Owner</span>
                <select
                  name="ownerUid"
                  @change=${(ev) => {
                    d.ownerUid = ev.target.value;
                  }}
                >
                  <option value="" .selected=${live(!d.ownerUid)}>Nobody yet</option>
                  ${ownerOptions().map((o) => html`<option value=${o.uid} .selected=${live(o.uid === d.ownerUid)}>${o.label}</option>`)}
                </select>
                ${err.ownerUid ? html`<span class="cd-error" data-error="ownerUid">${err.ownerUid}</span>` : nothing}
              </label>`
          : nothing}
        ${s.fields.length ? typedEditor(e) : customEditor(d, err)}
        ${e.formError ? html`<p class="cd-error" data-testid="edit-error" role="alert">${e.formError}</p>` : nothing}
        <div class="cd-buttons">
          <button type="submit" class="cd-btn cd-btn-primary" ?disabled=${s.busy.edit}>${s.busy.edit ? "Saving…" : "Save"}</button>
          <button type="button" class="cd-btn cd-btn-quiet" data-testid="edit-cancel" @click=${cancel}>Cancel</button>
        </div>
      </form>
    </section>`;
  }

  /** One input of a custom-field row, bound to row[part] ("key" or "value"). */
  function customInput(row, part, label, max, invalid) {
    return html`<label class="cd-field">
      <span>${label}</span>
      <input
        name=${`custom-${part}`}
        maxlength=${max}
        autocomplete="off"
        aria-invalid=${invalid}
        .value=${live(row[part])}
        @input=${(ev) => {
          row[part] = ev.target.value;
        }}
      />
    </label>`;
  }

  function customEditor(d, err) {
    return html`<fieldset class="cd-custom" data-testid="custom-editor">
      <legend>Custom fields</legend>
      ${d.custom.length ? nothing : html`<p class="cd-muted cd-small">No custom fields.</p>`}
      ${d.custom.map(
        (r, i) => html`<div class="cd-custom-row" data-testid="custom-row" data-index=${i}>
          ${customInput(r, "key", "Field", MAX_CUSTOM_KEY, r.keyError ? "true" : "false")}
          ${customInput(r, "value", "Value", MAX_CUSTOM_VALUE, nothing)}
          <button
            type="button"
            class="cd-btn cd-btn-quiet cd-btn-icon"
            data-testid="custom-remove"
            aria-label=${`Remove ${r.key || "this field"}`}
            title="Remove this field"
            @click=${() => {
              d.custom.splice(i, 1);
              update();
            }}
          >
            ✕
          </button>
          ${r.keyError ? html`<span class="cd-error cd-custom-error">${r.keyError}</span>` : nothing}
        </div>`,
      )}
      <button
        type="button"
        class="cd-btn cd-btn-small"
        data-testid="custom-add"
        @click=${() => {
          d.custom.push({ key: "", value: "", origKey: null, origValue: undefined });
          update();
        }}
      >
        Add field
      </button>
      ${err.custom ? html`<p class="cd-error" data-error="custom">${err.custom}</p>` : nothing}
    </fieldset>`;
  }

  /** The owner's defined fields as typed inputs, then other keys read-only. */
  function typedEditor(e) {
    const custom = view.s.customer && view.s.customer.custom && typeof view.s.customer.custom === "object" ? view.s.customer.custom : {};
    const currency = view.currency();
    const defined = new Set(s.fields.map((f) => f.key));
    const others = Object.keys(custom)
      .filter((k) => !defined.has(k))
      .sort((a, b) => a.localeCompare(b));
    return html`<fieldset class="cd-custom" data-testid="typed-editor">
      <legend>Custom fields</legend>
      ${s.fields.map((f) => {
        if (!(f.key in e.typed)) {
          e.typed[f.key] = toDraft(f, e.base.custom[f.key], currency);
          e.typedBase[f.key] = e.typed[f.key];
        }
        return typedInput(f, e.typed[f.key], e.typedErrors[f.key], (next) => {
          e.typed[f.key] = next;
          delete e.typedErrors[f.key];
          update();
        });
      })}
      ${others.length
        ? html`<p class="cd-small cd-muted cd-other">Other fields (kept as they are)</p>
            <dl class="cd-fields" data-testid="other-fields">
              ${others.map(
                (k) => html`<div class="cd-row">
                  <dt>${k}</dt>
                  <dd>${valueText(custom[k])}</dd>
                </div>`,
              )}
            </dl>`
        : nothing}
    </fieldset>`;
  }

  /** The typed fields' changes, or null with their errors set. */
  function typedChanges(e) {
    const custom = {};
    const currency = view.currency();
    e.typedErrors = {};
    for (const f of s.fields) {
      const draft = f.key in e.typed ? e.typed[f.key] : toDraft(f, e.base.custom[f.key], currency);
      const base = f.key in e.typedBase ? e.typedBase[f.key] : draft;
      const empty = Array.isArray(draft) ? !draft.length : String(draft).trim() === "";
      if (sameDraft(draft, base) && !(f.required && empty)) continue;
      const result = fromDraft(f, draft, currency);
      if (result.error) e.typedErrors[f.key] = result.error;
      else if (result.value !== null || e.base.custom[f.key] !== undefined) custom[f.key] = result.value;
    }
    return Object.keys(e.typedErrors).length ? null : custom;
  }

  function open() {
    const c = s.customer;
    if (!c) return;
    const custom = c.custom && typeof c.custom === "object" ? c.custom : {};
    s.edit = {
      baseIso: view.currentIso(),
      base: snapshotValues(c),
      draft: {
        name: c.name ?? "",
        company: c.company ?? "",
        mobile: c.mobile ?? "",
        segment: c.segment ?? "",
        ownerUid: c.ownerUid ?? "",
        custom: Object.keys(custom)
          .sort((a, b) => a.localeCompare(b))
          .map((k) => ({ key: k, value: customText(custom[k]), origKey: k, origValue: custom[k] })),
      },
      errors: {},
      typed: {}, // key -> draft of each defined field (filled as the inputs render)
      typedBase: {},
      typedErrors: {},
      formError: null,
      requestId: null,
      lastChanges: null,
    };
    s.conflict = null;
    update();
    queueMicrotask(() => {
      const first = container.querySelector('[data-testid="edit-form"] input[name="name"]');
      if (first) first.focus();
    });
  }

  function cancel() {
    s.edit = null;
    s.conflict = null;
    update();
  }

  /**
   * My own write (a stage change, a payment, a note) moves updatedAt under an open edit
   * form. When it left every field the form edits as the form saw them, the form's
   * version moves with it, so saving later is not mistaken for someone else's change.
   */
  function rebase(customer) {
    const e = s.edit;
    if (!e || !customer || typeof customer.updatedAt !== "string") return;
    if (isoMicros(customer.updatedAt) <= isoMicros(e.baseIso)) return;
    const after = snapshotValues(customer);
    const same = ["name", "company", "mobile", "segment", "ownerUid", "custom"].every((f) => sameValue(after[f], e.base[f]));
    if (!same) return;
    e.baseIso = customer.updatedAt;
    e.base = { ...e.base, stage: after.stage, archived: after.archived, pending: after.pending, paid: after.paid };
  }

  /** The custom fields' changes, or null with the rows' errors set. */
  function customChanges(e) {
    const d = e.draft;
    const b = e.base;
    const custom = {};
    const seen = new Set();
    let bad = false;
    for (const r of d.custom) {
      r.keyError = null;
      const k = r.key.trim();
      if (!k) {
        if (r.value.trim() === "" && r.origKey === null) continue; // an empty new row: ignore
        r.keyError = "Name this field.";
        bad = true;
        continue;
      }
      if (k.length > MAX_CUSTOM_KEY) {
        r.keyError = `At most ${MAX_CUSTOM_KEY} characters.`;
        bad = true;
      } else if (/^__.*__$/s.test(k)) {
        r.keyError = "Names like __this__ are reserved.";
        bad = true;
      } else if (seen.has(k)) {
        r.keyError = "Two fields have this name.";
        bad = true;
      }
      seen.add(k);
      if (r.value.length > MAX_CUSTOM_VALUE) {
        r.keyError = `The value is longer than ${MAX_CUSTOM_VALUE} characters.`;
        bad = true;
      }
    }
    if (bad) return null;
    const kept = new Map();
    for (const r of d.custom) {
      const k = r.key.trim();
      if (k) kept.set(k, r);
    }
    for (const origKey of Object.keys(b.custom)) {
      if (!kept.has(origKey)) custom[origKey] = null; // removed or renamed
    }
    for (const [k, r] of kept) {
      const original = b.custom[k];
      const sameRow = r.origKey === k;
      if (original === undefined) {
        custom[k] = customValue(r.value, sameRow ? r.origValue : undefined);
      } else if (customText(original) !== r.value.trim() || !sameRow) {
        const value = customValue(r.value, original);
        if (!sameValue(value, original)) custom[k] = value;
      }
    }
    return custom;
  }

  /** The changes the edit form makes against what it was opened on; null with errors set. */
  function editChanges() {
    const e = s.edit;
    const d = e.draft;
    const b = e.base;
    const changes = {};
    e.errors = {};
    e.formError = null;
    for (const name of TEXT_FIELDS) {
      if (name === "segment" && !isOwner) continue;
      const now = blankToNull(d[name]);
      if (now !== blankToNull(b[name])) changes[name] = now;
    }
    if (isOwner && blankToNull(d.ownerUid) !== blankToNull(b.ownerUid)) changes.ownerUid = blankToNull(d.ownerUid);
    const custom = s.fields.length ? typedChanges(e) : customChanges(e);
    if (!custom) {
      e.formError = "Some custom fields need attention.";
      return null;
    }
    if (Object.keys(custom).length) changes.custom = custom;
    return changes;
  }

  async function submitEdit(ev) {
    ev.preventDefault();
    const e = s.edit;
    if (!e || s.busy.edit) return;
    const changes = editChanges();
    if (!changes) {
      update();
      return;
    }
    if (!Object.keys(changes).length) {
      s.edit = null;
      view.setStatus("info", "Nothing changed.");
      update();
      return;
    }
    // A retry of exactly the same changes after a network error keeps its request id.
    if (!e.requestId || !sameValue(e.lastChanges, changes)) e.requestId = newId();
    e.lastChanges = changes;
    s.busy.edit = true;
    update();
    const res = await view.send("PATCH", "", { expected_updated_at: e.baseIso, changes, request_id: e.requestId });
    s.busy.edit = false;
    if (s.edit !== e) return; // cancelled meanwhile
    if (res.ok) {
      s.edit = null;
      s.conflict = null;
      view.setStatus("ok", outcomeText(res, "Saved."));
    } else if (res.status === 409) {
      e.requestId = null;
      view.showConflict("patch", changes, res, e.base);
    } else {
      const fields = fieldErrors(res.body);
      for (const [name, message] of Object.entries(fields)) {
        if (name.startsWith("custom.") && s.fields.some((f) => f.key === name.slice(7))) {
          e.typedErrors[name.slice(7)] = message;
        } else if (name.startsWith("custom.")) {
          const r = e.draft.custom.find((row) => row.key.trim() === name.slice(7));
          if (r) r.keyError = message;
          else e.errors.custom = message;
        } else e.errors[name] = message;
      }
      e.formError = res.status === 400 && Object.keys(fields).length ? "Some fields need attention." : failureText(res);
    }
    update();
  }

  return { template, open, rebase };
}
