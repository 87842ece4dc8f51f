// Drag and drop with the browser's own (HTML5) events: a card carries its customer's key;
// a column takes the drop and asks for the move. The updatedAt the card had when it was
// picked up is what the move sends as seen, so a change someone else made while the card
// was in the air is a conflict (409), not overwritten.

/** board: {s, move(customer, stage, opts)}. Returns the handlers columns.js binds. */
export function dragHandlers(board) {
  const { s } = board;
  let over = null;

  function mark(column) {
    if (over === column) return;
    over?.classList.remove("board-column-over");
    over = column;
    over?.classList.add("board-column-over");
  }

  return {
    start(event, customer) {
      s.dragging = { key: customer.key, seen: customer.updatedAt || customer.createdAt, from: customer.stage };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", customer.key);
      event.currentTarget.classList.add("board-card-dragged");
    },
    end(event) {
      event.currentTarget?.classList?.remove("board-card-dragged");
      s.dragging = null;
      mark(null);
    },
    over(event, stage) {
      if (!s.dragging) return;
      event.preventDefault(); // this column takes the drop
      event.dataTransfer.dropEffect = stage === s.dragging.from ? "none" : "move";
      mark(event.currentTarget);
    },
    leave(event) {
      if (!event.currentTarget.contains(event.relatedTarget)) mark(null);
    },
    drop(event, stage) {
      event.preventDefault();
      mark(null);
      const dragging = s.dragging;
      s.dragging = null;
      if (!dragging) return;
      const customer = s.customers.find((c) => c.key === dragging.key);
      if (customer) board.move(customer, stage, { seen: dragging.seen });
    },
  };
}
