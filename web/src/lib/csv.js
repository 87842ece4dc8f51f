// A small streaming CSV reader for the import screen (RFC 4180: quoted cells, "" for a
// quote, newlines inside quotes, CRLF or LF, a UTF-8 BOM ignored).
//
// Why streaming: a 50,000-row file must never become one string of rows in memory. The
// file is read through file.stream() and a TextDecoderStream, a piece at a time, and
// each record is handed out as soon as it is complete; the caller keeps only the chunk
// it is sending. Records are numbered as Python's csv.reader counts them (a blank line
// is an empty record; a last line break adds none), so a line on the page is the same
// line in the command line's report.

/** Feeds text in pieces; push(text) returns the records completed by it, end() the last one. */
export function csvParser() {
  let cells = [];
  let cell = "";
  let quoted = false; // inside quotes
  let afterQuote = false; // a quote inside quotes: the end of the cell, or the first of ""
  let started = false; // the record has something (a cell, a separator, a quote)
  let pendingCR = false;
  let bomChecked = false;

  function endRecord(out) {
    if (started || cells.length) {
      cells.push(cell);
      out.push(cells);
    } else {
      out.push([]);
    }
    cells = [];
    cell = "";
    started = false;
  }

  function push(text) {
    const out = [];
    let i = 0;
    if (!bomChecked && text.length) {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const ch = text[i];
      if (pendingCR) {
        pendingCR = false;
        if (ch === "\n") continue; // CRLF: the record ended at the CR
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (ch === '"') {
            cell += '"';
            continue;
          }
          quoted = false; // the closing quote: fall through to read ch outside quotes
        } else if (ch === '"') {
          afterQuote = true;
          continue;
        } else {
          cell += ch;
          continue;
        }
      }
      if (ch === '"' && cell === "") {
        quoted = true;
        started = true;
      } else if (ch === ",") {
        cells.push(cell);
        cell = "";
        started = true;
      } else if (ch === "\n" || ch === "\r") {
        endRecord(out);
        if (ch === "\r") pendingCR = true;
      } else {
        cell += ch;
        started = true;
      }
    }
    return out;
  }

  function end() {
    const out = [];
    if (quoted && afterQuote) quoted = false;
    if (started || cells.length || cell) {
      cells.push(cell);
      out.push(cells);
    }
    cells = [];
    cell = "";
    started = false;
    return out;
  }

  return { push, end };
}

/** Every record of a File or Blob, header first, read as a stream. */
export async function* csvRecords(file) {
  const parser = csvParser();
  const reader = file.stream().pipeThrough(new TextDecoderStream("utf-8")).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(value);
    }
    yield* parser.end();
  } finally {
    reader.releaseLock();
  }
}

/** Parses a whole string (tests, small pastes). */
export function parseCsv(text) {
  const parser = csvParser();
  return [...parser.push(text), ...parser.end()];
}
