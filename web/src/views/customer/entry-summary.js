// The one line a collapsed timeline entry shows under its title: what a person scanning
// the customer's history needs to decide whether to open it (a note's first words, an
// e-mail's opening, the message a form carried). The title already says the kind and
// the headline (stage moved, payment, call time), so most entries need nothing more.
// Plain strings: lit-html renders them as text, never markup.

const LIMIT = 140;

/** The text cut to one line of about LIMIT characters, ending with "…" when cut. */
export function clip(value, limit = LIMIT) {
  const line = String(value ?? "").replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1).trimEnd()}…` : line;
}

function submissionLine(entry) {
  const fields = entry.fields && typeof entry.fields === "object" ? entry.fields : {};
  if (fields.message) return clip(fields.message);
  const answers = entry.answers && typeof entry.answers === "object" ? Object.keys(entry.answers).length : 0;
  const filled = Object.values(fields).filter((v) => v !== null && v !== undefined && v !== "").length;
  const parts = [];
  if (filled) parts.push(filled === 1 ? "1 field" : `${filled} fields`);
  if (answers) parts.push(answers === 1 ? "1 answer" : `${answers} answers`);
  return parts.join(", ");
}

function changedCount(entry) {
  const changes = entry.changes && typeof entry.changes === "object" ? Object.keys(entry.changes) : [];
  return changes.length > 1 ? `${changes.length} fields` : "";
}

/** The collapsed entry's line, or "" when the title says enough. */
export function summaryOf(entry) {
  switch (entry.type) {
    case "form_submission":
      return submissionLine(entry);
    case "note":
      return clip(entry.text);
    case "payment":
      return clip(entry.note);
    case "change":
    case "owed":
      return changedCount(entry);
    case "email":
      return clip(entry.text);
    case "booking":
    case "booking_cancelled":
    case "booking_rescheduled":
      return clip(entry.notes || entry.reason);
    default:
      return "";
  }
}
