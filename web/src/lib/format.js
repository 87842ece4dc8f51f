// Formatting helpers shared by every view: money from integer minor units,
// dates in the business time zone, relative times. No DOM access here.

const DEFAULT_TZ = "Europe/Malta";
const DEFAULT_LOCALE = "en-GB";

const moneyFormatters = new Map();
const dateFormatters = new Map();

/** A stored value as a person reads it: a string without its edge spaces, anything else "". */
export function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

/** Accepts a Firestore Timestamp, a Date, an ISO string, epoch millis, {seconds,nanoseconds} or null. */
export function toDate(value) {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) return isNaN(value.getTime()) ? null : value;
  if (typeof value === "object" && typeof value.toDate === "function") {
    try {
      const d = value.toDate();
      return d instanceof Date && !isNaN(d.getTime()) ? d : null;
    } catch {
      return null;
    }
  }
  if (typeof value === "object" && typeof value.seconds === "number") {
    const d = new Date(value.seconds * 1000 + Math.floor((value.nanoseconds || 0) / 1e6));
    return isNaN(d.getTime()) ? null : d;
  }
  if (typeof value === "string" || typeof value === "number") {
    const d = new Date(value);
    return isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/**
 * An instant as ISO 8601 text, as the admin API takes it back (expected_updated_at): a
 * string is kept as it is (the server's own, with its sub-millisecond digits), anything
 * toDate() reads becomes UTC with milliseconds; nothing readable gives null.
 */
export function isoTime(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string") return value;
  const d = toDate(value);
  return d ? d.toISOString() : null;
}

function safeCurrency(currency) {
  const c = typeof currency === "string" && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : "EUR";
  return c;
}

// ISO 4217 minor units that are not 2, mirroring functions/hearth/money.py EXPONENTS
// (Intl's CLDR data differs for a few, e.g. IQD, and the server's table is what counts).
const EXPONENTS = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Number of minor-unit digits of a currency (EUR 2, JPY 0, KWD 3), as the server counts them. */
export function currencyDigits(currency) {
  const c = typeof currency === "string" ? currency.trim().toUpperCase() : "";
  return Object.prototype.hasOwnProperty.call(EXPONENTS, c) ? EXPONENTS[c] : 2;
}

/** Exact decimal string of an integer number of minor units: 150050, 2 -> "1500.50". */
function minorToDecimalString(minor, digits) {
  const neg = minor < 0;
  let s = String(Math.abs(Math.trunc(minor)));
  if (digits > 0) {
    s = s.padStart(digits + 1, "0");
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return neg ? `-${s}` : s;
}

function moneyFormatter(currency) {
  const c = safeCurrency(currency);
  const digits = currencyDigits(c);
  const key = `${c}|${digits}`;
  let f = moneyFormatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(DEFAULT_LOCALE, {
        style: "currency",
        currency: c,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      f = new Intl.NumberFormat(DEFAULT_LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    moneyFormatters.set(key, f);
  }
  return { f, digits };
}

/** formatMoney(150050, "EUR") -> "€1,500.50". Non-numbers render as an em dash. */
export function formatMoney(minor, currency = "EUR") {
  const n = typeof minor === "number" ? minor : Number(minor);
  if (minor === null || minor === undefined || minor === "" || !Number.isFinite(n)) return "—";
  const { f, digits } = moneyFormatter(currency);
  // Integers in minor units: format the exact decimal string (Intl reads strings exactly).
  return Number.isInteger(n) ? f.format(minorToDecimalString(n, digits)) : f.format(n / 10 ** digits);
}

/**
 * An amount the functions send as a decimal string ("1500.00", the reports' revenue):
 * formatDecimalMoney("1500.5", "EUR") -> "€1,500.50", exactly (no float on the way).
 * Anything that is not a decimal number renders as an em dash.
 */
export function formatDecimalMoney(decimal, currency = "EUR") {
  const s = typeof decimal === "number" && Number.isFinite(decimal) ? String(decimal) : text(decimal);
  if (!/^-?\d+(\.\d+)?$/.test(s)) return "—";
  return moneyFormatter(currency).f.format(s);
}

let countFormat;
/** 1234 -> "1,234" (en-GB); anything that is not a finite number -> "—". */
export function formatCount(n) {
  countFormat ||= new Intl.NumberFormat(DEFAULT_LOCALE, { maximumFractionDigits: 2 });
  return typeof n === "number" && Number.isFinite(n) ? countFormat.format(n) : "—";
}

let percentFormat;
/** A ratio as a percentage: 0.234 -> "23.4%", 0.3 -> "30%"; not a number -> "—". */
export function formatPercent(ratio) {
  percentFormat ||= new Intl.NumberFormat(DEFAULT_LOCALE, { style: "percent", maximumFractionDigits: 1 });
  return typeof ratio === "number" && Number.isFinite(ratio) ? percentFormat.format(ratio) : "—";
}

/**
 * Parses a typed decimal amount ("500.50", "1,500.5", "€ 20") into integer
 * minor units for the currency. Returns {ok: true, value} or {ok: false, error}.
 */
export function parseMoney(text, currency = "EUR", { allowZero = false, allowNegative = false } = {}) {
  const digits = currencyDigits(currency);
  let s = String(text ?? "").trim().replace(/[\s\u00a0€$£]/g, "").replace(/^[A-Za-z]{3}(?=[-\d.])/, "");
  if (s === "") return { ok: false, error: "Enter an amount." };
  // Commas as thousands separators ("1,500.50"); a lone comma as decimal separator ("500,50").
  if (s.includes(",") && s.includes(".")) s = s.replace(/,/g, "");
  else if (/^-?\d+,\d{1,3}$/.test(s) && !/^-?\d{1,3},\d{3}$/.test(s)) s = s.replace(",", ".");
  else s = s.replace(/,(?=\d{3}(\D|$))/g, "");
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, error: "Enter a number like 500.50." };
  const frac = m[3] || "";
  if (frac.length > digits) {
    return { ok: false, error: digits === 0 ? "This currency has no decimals." : `At most ${digits} decimal places.` };
  }
  const value = Number(m[2].replace(/^0+(?=\d)/, "") + (frac + "0".repeat(digits)).slice(0, digits));
  const signed = m[1] ? -value : value;
  if (!Number.isSafeInteger(signed)) return { ok: false, error: "That amount is too large." };
  if (signed < 0 && !allowNegative) return { ok: false, error: "The amount cannot be negative." };
  if (signed === 0 && !allowZero) return { ok: false, error: "The amount must be more than zero." };
  return { ok: true, value: signed };
}

/** Minor units -> plain decimal string for an input ("1500.50"). */
export function minorToDecimal(minor, currency = "EUR") {
  const n = Number(minor);
  if (!Number.isFinite(n)) return "";
  const digits = currencyDigits(currency);
  return Number.isInteger(n) ? minorToDecimalString(n, digits) : (n / 10 ** digits).toFixed(digits);
}

function dateFormatter(kind, timeZone) {
  const tz = timeZone || DEFAULT_TZ;
  const key = `${kind}|${tz}`;
  let f = dateFormatters.get(key);
  if (!f) {
    const opts =
      kind === "datetime"
        ? { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
        : kind === "time"
          ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
          : { day: "numeric", month: "short", year: "numeric" };
    try {
      f = new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...opts, timeZone: tz });
    } catch {
      f = new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...opts, timeZone: DEFAULT_TZ });
    }
    dateFormatters.set(key, f);
  }
  return f;
}

/** "3 Mar 2025, 14:05" in the business time zone; "—" when empty. */
export function formatDateTime(value, timeZone = DEFAULT_TZ) {
  const d = toDate(value);
  return d ? dateFormatter("datetime", timeZone).format(d) : "—";
}

/** "3 Mar 2025" in the business time zone; "—" when empty. */
export function formatDate(value, timeZone = DEFAULT_TZ) {
  const d = toDate(value);
  return d ? dateFormatter("date", timeZone).format(d) : "—";
}

/** "14:05" in the business time zone; "—" when empty. */
export function formatTime(value, timeZone = DEFAULT_TZ) {
  const d = toDate(value);
  return d ? dateFormatter("time", timeZone).format(d) : "—";
}

let rtf;
/** relativeTime(date) -> "3 days ago", "in 2 hours", "just now"; "" when empty. */
export function relativeTime(value, now = new Date()) {
  const d = toDate(value);
  if (!d) return "";
  const nowD = toDate(now) || new Date();
  const diffSec = Math.round((d.getTime() - nowD.getTime()) / 1000);
  const abs = Math.abs(diffSec);
  if (abs < 45) return "just now";
  rtf ||= new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units = [
    ["year", 365 * 24 * 3600],
    ["month", 30 * 24 * 3600],
    ["week", 7 * 24 * 3600],
    ["day", 24 * 3600],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, secs] of units) {
    if (abs >= secs || unit === "minute") {
      return rtf.format(Math.round(diffSec / secs), unit);
    }
  }
  return "";
}
