// The calendar's model: which days a view shows, how the route names them, and a booking
// document as the calendar draws it (placed by its wall clock in the business zone, never
// the browser's: a DST day is 23 or 25 hours long and a call at 10:00 stays at 10:00).
//
// Pure: no DOM, no Firestore, so the grids and the screen share one reading of a call.
import { calendarProblem } from "../../data/bookings-api.js";
import { text, toDate } from "../../lib/format.js";
import { addDays, addMonths, dateIn, daysBetween, formatCivil, minuteOfDay, parseIsoDate, startOfWeek } from "../../lib/zoned.js";

export const VIEWS = ["day", "week", "month"];
const MIN_EVENT_MINUTES = 20; // a 5-minute call still gets a readable block

/** {view, date (civil or null)} from "#/calendar/week/2026-03-23". */
export function parseCalendarHash(hash) {
  const sub = String(hash || "").replace(/^#\/?calendar\/?/, "");
  const [view, date] = sub.split("/");
  return { view: VIEWS.includes(view) ? view : null, date: parseIsoDate(date) };
}

/** The civil dates on screen: {first, count}. A month shows whole weeks, Monday first. */
export function visibleDays(view, anchor) {
  if (view === "day") return { first: anchor, count: 1 };
  if (view === "week") return { first: startOfWeek(anchor), count: 7 };
  const firstOfMonth = { year: anchor.year, month: anchor.month, day: 1 };
  const lastOfMonth = addDays(addMonths(anchor, 1), -1);
  const first = startOfWeek(firstOfMonth);
  const last = addDays(startOfWeek(lastOfMonth), 6);
  return { first, count: daysBetween(first, last) + 1 };
}

/** The anchor one step back or forward. */
export function step(view, anchor, direction) {
  if (view === "day") return addDays(anchor, direction);
  if (view === "week") return addDays(anchor, 7 * direction);
  return addMonths(anchor, direction);
}

/** A booking document as the calendar draws it; null when it has no usable start. */
export function callOf(id, data, timeZone) {
  const start = toDate(data.start);
  if (!start) return null;
  let end = toDate(data.end);
  if (!end || end <= start) {
    const minutes = Number(data.minutes) > 0 ? Number(data.minutes) : 30;
    end = new Date(start.getTime() + minutes * 60000);
  }
  const minute = minuteOfDay(start, timeZone);
  const duration = Math.round((end - start) / 60000);
  return {
    id,
    key: typeof data.customerKey === "string" && data.customerKey ? data.customerKey : null,
    name: text(data.customerName) || text(data.customerEmail) || text(data.customerKey) || "A customer",
    type: text(data.typeLabel) || text(data.type),
    status: text(data.status) || "confirmed",
    cancelled: data.status === "cancelled",
    videoLink: text(data.videoLink),
    // Google Calendar's copy, when it needs attention: {state, error, cancelled} or null.
    problem: calendarProblem(data),
    start,
    end,
    date: dateIn(start, timeZone),
    minute,
    // Where the block ends on the grid: its own day at most.
    endMinute: Math.min(24 * 60, minute + Math.max(duration, MIN_EVENT_MINUTES)),
  };
}

/** The heading of a view: the day, "23–29 Mar 2026", or the month. */
export function titleOf(view, anchor, first, count) {
  if (view === "day") return formatCivil(anchor, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  if (view === "month") return formatCivil(anchor, { month: "long", year: "numeric" });
  const last = addDays(first, count - 1);
  if (first.year !== last.year) {
    return `${formatCivil(first, { day: "numeric", month: "short", year: "numeric" })} – ${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
  }
  if (first.month !== last.month) {
    return `${formatCivil(first, { day: "numeric", month: "short" })} – ${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
  }
  return `${first.day}–${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
}
