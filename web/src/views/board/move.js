// Moving a card: the same admin PATCH the customer page sends for a stage change
// ({changes: {stage}} with the updatedAt the person saw), so the server checks the role,
// records the move on the timeline and in the stage history, and refuses (409) a move
// made on a customer someone else changed meanwhile. The card shows in its new column at
// once and goes back when the move is refused; the live listener then shows the truth.
import { isoTime } from "../../lib/format.js";

/**
 * board: {s, update(), announce(text), alert(text), stages(), disposed()}.
 * Returns move(customer, stage, {seen}): seen is the customer's updatedAt when the
 * person picked the card up (a drag) or chose the stage (the Move to… select).
 */
export function mover(ctx, board) {
  const { s } = board;

  function nameOf(customer) {
    return customer.name || customer.key;
  }

  return async function move(customer, stage, { seen = customer.updatedAt } = {}) {
    if (!customer || !stage || stage === customer.stage || s.pending.has(customer.key)) return;
    const label = board.stages().label(stage);
    const expected = isoTime(seen) || isoTime(customer.createdAt);
    s.pending.set(customer.key, { stage, since: isoTime(customer.updatedAt) });
    board.alert("");
    board.update();
    const res = await ctx.api.patchCustomer(customer.key, {
      expected_updated_at: expected,
      changes: { stage },
    });
    if (board.disposed()) return;
    const pending = s.pending.get(customer.key);
    if (res.ok) {
      // Kept in the new column until the listener brings the stored change.
      if (pending) pending.saved = true;
      board.announce(`${nameOf(customer)} moved to ${label}.`);
      settle(customer.key);
    } else {
      s.pending.delete(customer.key);
      if (res.status === 409) {
        const now = res.current && res.current.stage ? ` It is in ${board.stages().label(res.current.stage)} now.` : "";
        board.alert(
          `${nameOf(customer)} was not moved to ${label}: someone else changed this customer meanwhile, ` +
            `and the card went back. The board shows their change.${now}`,
        );
      } else {
        board.alert(`${nameOf(customer)} was not moved to ${label}. ${res.message || "Try again."}`);
      }
    }
    board.update();
  };

  /** Drops a saved move's placeholder once the listener shows the customer changed. */
  function settle(key) {
    const customer = s.customers.find((c) => c.key === key);
    const pending = s.pending.get(key);
    if (pending && pending.saved && customer && isoTime(customer.updatedAt) !== pending.since) {
      s.pending.delete(key);
    }
  }
}

/** After a listener answer: the moves the store now shows are no longer pending. */
export function settleAll(s) {
  for (const [key, pending] of s.pending) {
    const customer = s.customers.find((c) => c.key === key);
    if (!customer) {
      s.pending.delete(key);
    } else if (pending.saved && isoTime(customer.updatedAt) !== pending.since) {
      s.pending.delete(key);
    }
  }
}
