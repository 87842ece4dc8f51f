// Up, Down and Remove on a row of a settings list (stages, custom fields, automation
// rules). One copy, so every list keeps the keyboard the same way: a moved row keeps it
// on the button pressed (or on the other one when that one has nothing left to do at the
// end of the list), and a removed row hands it to the next row, else to the list's add
// button. Rows are found by their data-row attribute.
import { html } from "lit-html";

/** Moves `row` by `by` (-1 up, 1 down) within `rows`, in place; false when it cannot. */
export function moveRow(container, rows, row, by, which, rowKey) {
  const at = rows.indexOf(row);
  const to = at + by;
  if (at < 0 || to < 0 || to >= rows.length) return false;
  rows.splice(at, 1);
  rows.splice(to, 0, row);
  queueMicrotask(() => {
    const rowEl = container.querySelector(`[data-row="${rowKey(row)}"]`);
    const button =
      rowEl?.querySelector(`[data-move="${which}"]:not([disabled])`) || rowEl?.querySelector("[data-move]:not([disabled])");
    button?.focus();
  });
  return true;
}

/**
 * Takes `row` out of `rows`, in place; the keyboard goes to `focus` (a selector) in the
 * row now at its place, or to `fallback` (a selector) when the list is empty.
 */
export function removeRow(container, rows, row, rowKey, { focus, fallback }) {
  const at = rows.indexOf(row);
  if (at < 0) return;
  rows.splice(at, 1);
  queueMicrotask(() => {
    const next = rows[Math.min(at, rows.length - 1)];
    const target = next ? container.querySelector(`[data-row="${rowKey(next)}"] ${focus}`) : null;
    (target || container.querySelector(fallback))?.focus();
  });
}

/**
 * The buttons: index and count place the row; name says which row to a screen reader;
 * onMove(by, which), onRemove(); removeTestid; keepOne: the last row cannot be removed.
 */
export function rowMoveButtons({ index, count, name, onMove, onRemove, removeTestid, keepOne = false, className = "" }) {
  return html`<div class="bs-actions ${className}">
    <button type="button" class="button button-quiet" data-move="up" ?disabled=${index === 0}
      aria-label=${`Move ${name} up`} @click=${() => onMove(-1, "up")}>Up</button>
    <button type="button" class="button button-quiet" data-move="down" ?disabled=${index === count - 1}
      aria-label=${`Move ${name} down`} @click=${() => onMove(1, "down")}>Down</button>
    <button type="button" class="button button-quiet" data-testid=${removeTestid} ?disabled=${keepOne && count === 1}
      aria-label=${`Remove ${name}`} @click=${onRemove}>Remove</button>
  </div>`;
}
