// The reps report's one extra question: whom its wins and revenue are counted for after
// a hand-over. Two native radio buttons in a fieldset (Tab reaches the chosen one,
// the arrow keys choose), kept in the hash as &by=creation (absent: when won), and the
// sentence under the table that says which count the figures shown use.
import { html } from "lit-html";

export const BY_CHOICES = [
  { id: "win", label: "When won (the owner then)" },
  { id: "creation", label: "At creation (the first owner)" },
];

/** The radio group; choose(by) asks for the report counted that way. */
export function repsByChoice(current, choose) {
  return html`<fieldset class="report-by" data-testid="reps-by">
    <legend class="report-by-legend">Count wins and revenue:</legend>
    <div class="report-by-options">
      ${BY_CHOICES.map(
        (c) => html`<label class="report-by-option">
          <input type="radio" name="report-by" value=${c.id} .checked=${c.id === current}
            @change=${() => choose(c.id)} />${c.label}</label>`,
      )}
    </div>
  </fieldset>`;
}

/** Which count the figures on screen use, from the report's own answer (`by`). */
export function repsByNote(by) {
  return by === "creation"
    ? "Wins and revenue are counted for each customer's first owner, the rep who had the lead first, even if another rep closed it."
    : "Wins and revenue are counted for the owner when the deal was won or paid: after a hand-over, the rep who closed it.";
}
