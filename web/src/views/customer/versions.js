// Versions of a customer: which is newer (updatedAt to the microsecond, as the server
// compares them), and whether two stored values are the same. The edit form and the
// conflict panel decide with these whether someone else changed the customer.

/** Epoch microseconds of an ISO string (keeps the server's sub-millisecond digits). */
export function isoMicros(iso) {
  if (!iso) return -Infinity;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return Date.parse(iso) * 1000;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const frac = Number(((m[2] || "") + "000000").slice(0, 6));
  return whole * 1000 + frac;
}

function stable(value) {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object" && typeof value.toDate !== "function") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable(value[k])]));
  }
  return value ?? null;
}

/** Deep equality of stored values, whatever the order of map keys. */
export function sameValue(a, b) {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

/** The fields a person edits or a conflict compares, as they are in customer `c`. */
export function snapshotValues(c) {
  return {
    name: c.name ?? null,
    company: c.company ?? null,
    mobile: c.mobile ?? null,
    segment: c.segment ?? null,
    ownerUid: c.ownerUid ?? null,
    stage: c.stage ?? null,
    archived: Boolean(c.archived),
    pending: c.balances ? c.balances.pending ?? 0 : 0,
    paid: c.balances ? c.balances.paid ?? 0 : 0,
    custom: c.custom && typeof c.custom === "object" ? { ...c.custom } : {},
  };
}
