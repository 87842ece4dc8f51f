// Wall clocks in the business time zone, with nothing but Intl.
//
// The browser's own zone is never used: a rep travelling in London and the owner in
// Malta must see a call in the same place on the same day. Days are "civil dates"
// ({year, month, day}, or "YYYY-MM-DD" strings), counted with Date.UTC so that adding a
// day never meets a DST switch; a civil date becomes an instant only through zonedTime,
// which asks Intl for the zone's offset at that moment (so a DST day is 23 or 25 hours).
// No DOM access here.

const partsFormatters = new Map();

function partsFormatter(timeZone) {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of an instant in a zone: {year, month (1-12), day, hour, minute, second}. */
export function wallClock(date, timeZone) {
  const parts = {};
  for (const p of partsFormatter(timeZone).formatToParts(date)) parts[p.type] = Number(p.value);
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour % 24,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Minutes the zone's wall clock is ahead of UTC at this instant (Malta: 60 or 120). */
export function offsetMinutes(date, timeZone) {
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant whose wall clock in timeZone reads year-month-day hour:minute. A time
 * skipped by a DST switch (02:30 on Malta's spring-forward day) comes out an hour later,
 * as a clock would show it; a repeated one (02:30 on the fall-back day) is the first.
 */
export function zonedTime(year, month, day, hour = 0, minute = 0, timeZone) {
  const target = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetMinutes(new Date(target - 36 * 3600 * 1000), timeZone);
  const after = offsetMinutes(new Date(target + 36 * 3600 * 1000), timeZone);
  // Of the (at most two) offsets in force around that day, take the first that puts the
  // wall clock where asked; none does for a skipped time: then the offset before it.
  for (const offset of before === after ? [before] : [before, after]) {
    const guess = new Date(target - offset * 60000);
    const w = wallClock(guess, timeZone);
    if (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === target) return guess;
  }
  return new Date(target - before * 60000);
}

// --- civil dates --------------------------------------------------------------------

/** A normalised civil date ({year, month, day}); day 32 rolls into the next month. */
export function civil(year, month, day) {
  const d = new Date(Date.UTC(year, month - 1, day));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "2026-03-29" -> {year: 2026, month: 3, day: 29}; null when it is not a real date. */
export function parseIsoDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ""));
  if (!m) return null;
  const date = civil(Number(m[1]), Number(m[2]), Number(m[3]));
  return isoDate(date) === m[0] ? date : null;
}

/** {year, month, day} -> "2026-03-29". */
export function isoDate(date) {
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

export function addDays(date, days) {
  return civil(date.year, date.month, date.day + days);
}

export function addMonths(date, months) {
  // The first of the month: "next month" from 31 January is February, not 3 March.
  return civil(date.year, date.month + months, 1);
}

/** 0 for Monday .. 6 for Sunday (the studio's week starts on Monday). */
export function weekdayIndex(date) {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function startOfWeek(date) {
  return addDays(date, -weekdayIndex(date));
}

export function sameDate(a, b) {
  return Boolean(a && b) && a.year === b.year && a.month === b.month && a.day === b.day;
}

/** Whole days from a to b (civil dates). */
export function daysBetween(a, b) {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86400000);
}

/** The civil date an instant falls on in a zone. */
export function dateIn(date, timeZone) {
  const w = wallClock(date, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** Today, in the zone. */
export function todayIn(timeZone, now = new Date()) {
  return dateIn(now, timeZone);
}

/** The instant a civil date starts in a zone (its midnight). */
export function startOfDay(date, timeZone) {
  return zonedTime(date.year, date.month, date.day, 0, 0, timeZone);
}

/** Midnight to midnight of the day `at` falls on, in `timeZone` (23 or 25 hours on DST days). */
export function dayBounds(timeZone, at = new Date()) {
  const day = dateIn(at, timeZone);
  return { start: startOfDay(day, timeZone), end: startOfDay(addDays(day, 1), timeZone) };
}

/** Minutes since the wall-clock midnight of its own day (10:30 -> 630), whatever the DST. */
export function minuteOfDay(date, timeZone) {
  const w = wallClock(date, timeZone);
  return w.hour * 60 + w.minute;
}

/**
 * True when this wall-clock time happens twice that day (02:30 on Malta's fall-back
 * day): only then does a time need its offset ("02:30 CEST", "02:30 CET") to be told apart.
 */
export function repeatedWallClock(date, timeZone) {
  const t = date.getTime();
  const own = offsetMinutes(date, timeZone);
  for (const probe of [t - 3 * 3600000, t + 3 * 3600000]) {
    const other = offsetMinutes(new Date(probe), timeZone);
    if (other === own) continue;
    const twin = new Date(t + (own - other) * 60000);
    const a = wallClock(date, timeZone);
    const b = wallClock(twin, timeZone);
    if (a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute) return true;
  }
  return false;
}

const civilFormats = new Map();
/** A civil date in words ("Sun 29 Mar"), formatted in UTC so that no zone can move it. */
export function formatCivil(date, options) {
  const key = JSON.stringify(options);
  let f = civilFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" });
    civilFormats.set(key, f);
  }
  return f.format(new Date(Date.UTC(date.year, date.month - 1, date.day)));
}
