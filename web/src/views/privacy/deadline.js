// How long is left to answer a person's request (the GDPR's month, counted as 30 days
// from when it arrived: the server stores `due`). Shared by #/privacy and the customer page.
import { toDate } from "../../lib/format.js";

const DAY = 24 * 60 * 60 * 1000;

export const KIND_LABELS = {
  erasure: "Erasure",
  access: "Access (a copy of their data)",
  rectification: "Rectification",
  objection: "Objection",
};

/** {text, overdue}: "due in 12 days", "due today", "overdue by 3 days". */
export function deadline(due, now = new Date()) {
  const when = toDate(due);
  if (!when) return { text: "", overdue: false };
  const days = Math.ceil((when.getTime() - now.getTime()) / DAY);
  if (days < 0) return { text: `overdue by ${-days} day${days === -1 ? "" : "s"}`, overdue: true };
  if (days === 0) return { text: "due today", overdue: false };
  return { text: `due in ${days} day${days === 1 ? "" : "s"}`, overdue: false };
}
