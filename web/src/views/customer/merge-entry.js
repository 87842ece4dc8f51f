// A merge on the survivor's timeline (type "merged": which record was merged in, who
// chose what, what moved) with "Undo merge" for the owner while it is not undone, and
// its undo (type "unmerged", on both records, naming the fields kept because they were
// edited after the merge). Entry shapes: functions/hearth/store/timeline.py.
import { html, nothing } from "lit-html";
import { fieldLabel } from "./values.js";

/** "Merging… (n of m)" while a long merge of this customer is still moving: until its
 * last commit both records stand as they were. */
export function mergingBanner(moving, key) {
  if (!moving || !moving.length) return nothing;
  return moving.map((m) => {
    const other = m.survivor === key ? m.other : m.survivor;
    const done = Number(m.moving?.done) || 0;
    const total = Number(m.moving?.total) || 0;
    return html`<p class="bs-note" role="status" data-testid="merging-banner">
      Merging with ${other}… (${done} of ${total}). Both records stay as they were until it finishes; merging again from
      the Duplicates screen continues it.
    </p>`;
  });
}

export function mergeTitle(entry) {
  const other = entry.otherEmail || entry.other || "another record";
  return entry.type === "merged"
    ? html`Merged with <strong>${other}</strong>`
    : html`Merge undone: <strong>${entry.other || ""}</strong> is a customer again`;
}

/** opts.undo: {can, undone: Set of merge ids, busy: merge id, message, run(mergeId)} */
export function mergeContent(entry, undo) {
  if (entry.type === "unmerged") {
    const kept = Array.isArray(entry.kept) ? entry.kept : [];
    return kept.length
      ? html`<p class="cd-muted cd-small">Kept as edited since the merge: ${kept.map(fieldLabel).join(", ")}.</p>`
      : nothing;
  }
  const chosen = entry.chosen && typeof entry.chosen === "object" ? Object.entries(entry.chosen) : [];
  const fromOther = chosen.filter(([, side]) => side === "other").map(([f]) => fieldLabel(f));
  const moved = entry.moved || {};
  const count = (n, one, many) => `${Number(n) || 0} ${Number(n) === 1 ? one : many}`;
  const canUndo = undo && undo.can && entry.mergeId && !undo.undone.has(entry.mergeId);
  return html`<p class="cd-muted cd-small" data-testid="merge-summary">
      Moved here: ${count(moved.entries, "timeline entry", "timeline entries")}, ${count(moved.bookings, "call", "calls")},
      ${count(moved.tasks, "task", "tasks")}.${fromOther.length ? ` Taken from the merged record: ${fromOther.join(", ")}.` : ""}
    </p>
    ${canUndo
      ? html`<div class="cd-merge-undo">
          <button type="button" class="cd-btn cd-btn-small" data-testid="undo-merge" ?disabled=${undo.busy === entry.mergeId}
            @click=${() => undo.run(entry.mergeId)}>${undo.busy === entry.mergeId ? "Undoing…" : "Undo merge"}</button>
        </div>`
      : nothing}
    ${undo && undo.message && undo.for === entry.mergeId
      ? html`<p class="cd-muted cd-small" role="status" data-testid="undo-merge-said">${undo.message}</p>`
      : nothing}`;
}
