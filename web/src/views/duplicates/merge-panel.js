// The merge panel of one pair: which record survives (the older one by default), then
// for each field the two records fill differently a choice of value (the server's
// defaults: the older record's, stage and owner the survivor's), what moves, and
// Confirm. A retried Confirm reuses its merge id, so it cannot merge twice.
import { html, nothing } from "lit-html";
import { newId } from "../../lib/ids.js";
import { fieldLabel, stageInfo, valueText } from "../customer/values.js";

const olderFirst = (a, b) => String(a.createdAt || "9") <= String(b.createdAt || "9");

function nameOf(c) {
  return String(c.name || c.email || c.key);
}

export function mergePanel(pair, { api, stages, update, close, merged }) {
  const [first, second] = olderFirst(pair.a, pair.b) ? [pair.a, pair.b] : [pair.b, pair.a];
  const s = { survivor: first, other: second, preview: null, choices: {}, error: "", busy: false, mergeId: newId() };

  async function loadPreview() {
    s.preview = null;
    s.error = "";
    update();
    const answer = await api.preview(s.survivor.key, s.other.key);
    if (answer.ok) {
      s.preview = answer.body;
      s.choices = Object.fromEntries(answer.body.fields.map((f) => [f.field, f.default]));
    } else {
      s.error = answer.message;
    }
    update();
  }

  function pick(key) {
    if (key === s.survivor.key) return;
    [s.survivor, s.other] = [s.other, s.survivor];
    s.mergeId = newId();
    loadPreview();
  }

  async function confirm() {
    s.busy = true;
    s.error = "";
    update();
    const answer = await api.merge({ id: s.mergeId, survivor: s.survivor.key, other: s.other.key, choices: s.choices });
    s.busy = false;
    if (answer.ok) {
      merged(s.survivor.key);
      return;
    }
    s.error = answer.message;
    update();
  }

  function fieldRow(f) {
    const name = `merge-${f.field}`;
    const option = (side, value) => html`<label class="dp-option">
      <input type="radio" name=${name} value=${side} .checked=${s.choices[f.field] === side}
        data-testid=${`merge-choice-${f.field}-${side}`} @change=${() => { s.choices[f.field] = side; update(); }} />
      ${f.field === "stage" ? stageInfo(stages, value).label : valueText(value)} <span class="bs-muted">(${side === "survivor" ? "kept record" : "merged record"})</span>
    </label>`;
    return html`<fieldset class="dp-choice" data-testid="merge-field">
      <legend>${fieldLabel(f.field)}</legend>
      ${option("survivor", f.survivor)}${option("other", f.other)}
    </fieldset>`;
  }

  function moves(m) {
    const part = (n, one, many) => `${n} ${n === 1 ? one : many}`;
    return `${part(m.entries, "timeline entry", "timeline entries")}, ${part(m.bookings, "call", "calls")}, ${part(m.tasks, "task", "tasks")}${m.messages ? `, ${part(m.messages, "message", "messages")}` : ""}`;
  }

  function template() {
    const p = s.preview;
    return html`<div class="dp-panel" data-testid="merge-panel">
      <h2 class="bs-subtitle" tabindex="-1">Merge ${nameOf(pair.a)} and ${nameOf(pair.b)}</h2>
      <fieldset class="dp-choice">
        <legend>Keep as the customer</legend>
        ${[first, second].map(
          (c) => html`<label class="dp-option">
            <input type="radio" name="merge-survivor" .checked=${s.survivor.key === c.key} data-testid="merge-survivor"
              value=${c.key} @change=${() => pick(c.key)} />
            ${c.email || c.key}${c === first ? html` <span class="bs-muted">(older)</span>` : nothing}
          </label>`,
        )}
      </fieldset>
      ${p
        ? html`${p.fields.length
              ? p.fields.map(fieldRow)
              : html`<p class="bs-help">The two records do not disagree on any field: gaps are filled from each other.</p>`}
            <p class="bs-help" data-testid="merge-moves">Moves to ${s.survivor.email || s.survivor.key}: ${moves(p.moves)}. The
              other address becomes an alias: its later forms land here.</p>`
        : s.error
          ? nothing
          : html`<p class="bs-help">Comparing the two records…</p>`}
      ${s.error ? html`<p class="bs-alert" role="alert" data-testid="merge-error">${s.error}</p>` : nothing}
      <div class="bs-actions">
        <button type="button" class="button" data-testid="merge-cancel" @click=${close}>Cancel</button>
        <button type="button" class="button button-primary" data-testid="merge-confirm" ?disabled=${!p || s.busy} @click=${confirm}>
          ${s.busy ? "Merging…" : "Confirm merge"}
        </button>
      </div>
    </div>`;
  }

  loadPreview();
  return { pair, template };
}
