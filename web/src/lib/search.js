// The search box's text reduced to the one token the server stored for it.
//
// An exact mirror of functions/hearth/search.py (query_token, fold) and
// functions/hearth/phones.py (phone_query_digits): the customer list finds people with
// one indexed query, where("search", "array-contains", token), so both sides must
// normalise identically. Change one, change the other (tests/test_search_parity.py
// compares them over a table of inputs by running this module under node).
//
// Python works on code points, JavaScript strings on UTF-16 units: every length and
// slice below counts code points (Array.from), as Python does.

// search.py
export const MAX_TOKEN_LEN = 40;
export const MIN_TEXT_TOKEN_LEN = 2;
// phones.py
export const MAX_TOKEN_DIGITS = 20;
export const MIN_QUERY_DIGITS = 3;

// search._NON_DECOMPOSING: letters NFKD leaves alone but people type without the mark.
const NON_DECOMPOSING = {
  "ħ": "h",
  "ł": "l",
  "ø": "o",
  "đ": "d",
  "ð": "d",
  "þ": "th",
  "æ": "ae",
  "œ": "oe",
  "ı": "i",
};

// Python's str.isspace(): Unicode White_Space minus nothing, plus the C0 separators
// U+001C..U+001F (bidi class B/S). Not JavaScript's \s, which adds U+FEFF and lacks
// U+001C..U+001F and U+0085.
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");

// str.isalpha(): general categories Lu, Ll, Lt, Lm, Lo, i.e. \p{L}.
const LETTER = /\p{L}/u;
// unicodedata.decimal(): characters with Numeric_Type=Decimal, i.e. \p{Nd}.
const DECIMAL_DIGIT = /^\p{Nd}$/u;

// Python's str.casefold() is full case folding; JavaScript has no such method.
// Upper-then-lower case equals full case folding for every code point of Unicode 14
// (checked against Python one code point at a time) except:
// - ß and ẞ, which fold to "ss" (lowercasing keeps ß);
// - Cherokee, whose letters fold to the capitals (encoded first), not the small letters;
// - a capital sigma that lowercasing turns into a final sigma by context: folding never
//   gives ς.
const CHEROKEE = /[\u13a0-\u13ff\uab70-\uabbf]/u;

function casefold(text) {
  let out = "";
  for (const ch of text) {
    out += ch < "\x80" ? ch.toLowerCase() : foldChar(ch);
  }
  return out;
}

const foldCache = new Map();
function foldChar(ch) {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    if (ch === "ß" || ch === "ẞ") folded = "ss";
    else if (CHEROKEE.test(ch)) folded = ch.toUpperCase();
    else folded = ch.toUpperCase().toLowerCase().replace(/ς/g, "σ");
    foldCache.set(ch, folded);
  }
  return folded;
}

// unicodedata.combining(ch) != 0: the canonical combining class is not zero. JavaScript
// has no accessor for it, but canonical reordering reveals it: NFD swaps two adjacent
// marks when the first has the higher non-zero class. A mark of class 1 (U+0334) after
// the character moves in front of it when its class is above 1; a mark of class 240
// (U+0345) before it moves behind it when its class is 1..239.
const combiningCache = new Map();
function isCombining(ch) {
  if (ch < "\u0300") return false; // nothing below U+0300 has a non-zero class
  let result = combiningCache.get(ch);
  if (result === undefined) {
    const low = (ch + "\u0334").normalize("NFD");
    const high = ("\u0345" + ch).normalize("NFD");
    result = low === "\u0334" + ch || high === ch + "\u0345";
    combiningCache.set(ch, result);
  }
  return result;
}

/** search.fold: case, accents and stray spacing removed ("MÜLLER  " -> "muller"). */
export function fold(text) {
  const decomposed = casefold(String(text)).normalize("NFKD");
  let stripped = "";
  for (const ch of decomposed) {
    if (isCombining(ch)) continue;
    stripped += NON_DECOMPOSING[ch] ?? ch;
  }
  return stripped
    .split(SPACE_RUN)
    .filter((word) => word !== "")
    .join(" ");
}

/** phones._ascii_digits: decimal digits of any script as ASCII, everything else dropped. */
export function asciiDigits(text) {
  let out = "";
  for (const ch of String(text)) {
    if (ch >= "0" && ch <= "9") {
      out += ch;
    } else if (ch > "\x7f" && DECIMAL_DIGIT.test(ch)) {
      out += String(digitValue(ch));
    }
  }
  return out;
}

// Every run of decimal digits in Unicode is a whole number of contiguous 0..9 sets
// (the mathematical digits are five sets in a row), so a digit's value is the number of
// decimal digits right before it, modulo ten.
function digitValue(ch) {
  let code = ch.codePointAt(0);
  let before = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    before += 1;
  }
  return before % 10;
}

/** phones.phone_query_digits: the digit token for phone-like input, else null. */
export function phoneQueryDigits(text) {
  const value = String(text);
  if (LETTER.test(value)) return null;
  let digits = asciiDigits(value);
  // "00" is the international prefix: the same as "+".
  if (digits.startsWith("00")) digits = digits.slice(2);
  if (digits.length < MIN_QUERY_DIGITS) return null;
  return digits.slice(0, MAX_TOKEN_DIGITS);
}

/** search.query_token: the single token to look up for a search-box entry, or null
 * when there is nothing worth querying (too short). */
export function queryToken(text) {
  const value = String(text ?? "");
  const digits = phoneQueryDigits(value);
  if (digits !== null) return digits;
  const token = Array.from(fold(value)).slice(0, MAX_TOKEN_LEN).join("").replace(TRAILING_SPACE, "");
  return Array.from(token).length >= MIN_TEXT_TOKEN_LEN ? token : null;
}
