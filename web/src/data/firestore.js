// Every Firestore query and listener the admin page makes, in one file.
//
// Why one file: a reader (or whoever changes firestore.rules) sees here everything the
// page reads, and so everything the rules must allow; the views only call these named
// functions. Besides web/src/firebase.js (which opens the database), this is the only
// module that imports "firebase/firestore". The page never writes Firestore: every
// change goes through the admin API (data/api.js).
//
// Listeners return their unsubscribe function; one-off reads return a promise.

import {
  and,
  collection,
  doc,
  documentId,
  getCountFromServer,
  getDocs,
  limit,
  onSnapshot,
  or,
  orderBy,
  query,
  startAfter,
  Timestamp,
  where,
} from "firebase/firestore";

// --- Settings --------------------------------------------------------------------------

/** settings/pipeline (the stage list): onChange(data or null). Owner, manager and rep may read it. */
export function watchPipelineSettings(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "pipeline"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

/** sources/* as [{id, ...source}], live (owner, manager and rep may read the list). */
export function watchSources(db, onChange, onError) {
  return onSnapshot(
    query(collection(db, "sources"), limit(500)),
    (snap) => onChange(snap.docs.map((d) => ({ ...d.data(), id: d.id }))),
    onError,
  );
}

/** settings/automations (the owner's automation rules): onChange(data or null, when never saved). */
export function watchAutomationSettings(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "automations"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

/** settings/fields (the owner's typed custom fields): onChange(data or null). Owner, manager and rep may read it. */
export function watchFieldSettings(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "fields"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

/** settings/routing (the owner's lead routing rules): onChange(data or null, when never saved). */
export function watchRoutingSettings(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "routing"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

// --- Team directory --------------------------------------------------------------------

/** team/* as [{uid, ...entry}]: the owner reads all of it (names for owners and pickers). */
export async function listTeam(db) {
  const snap = await getDocs(collection(db, "team"));
  return snap.docs.map((d) => ({ uid: d.id, ...(d.data() || {}) }));
}

// --- Customers list --------------------------------------------------------------------
//
// customers [ownerUid == x] [segment in my segments] [archived == false]
//           [stage == x] [firstSource == x] [search array-contains token]
//           orderBy(lastContactAt | createdAt, desc) limit(n) [startAfter(last row)]
// The rules require a rep's query to carry ownerUid == uid and a partner's segment in
// their segments; customerScope() gives exactly that condition, so no query is refused.

/**
 * The filter every customers query of this role must carry ({} for the owner), or null
 * when the role can make no customers query (a partner without segments, a manager).
 */
export function customerScope(session) {
  switch (session.role) {
    case "owner":
      return {};
    case "rep":
      return { ownerUid: session.uid };
    case "partner": {
      const segments = session.segments.slice(0, 30); // "in" takes up to 30 values
      return segments.length ? { segments } : null;
    }
    default:
      return null;
  }
}

/**
 * filters: {ownerUid (a uid, or null for unassigned), segments, archived, stage,
 * firstSource, searchToken, consent ("given" | "not-given")}; an absent (undefined or
 * empty) filter is not applied.
 */
function customersQuery(db, filters) {
  const list = [];
  if (filters.ownerUid !== undefined) list.push(where("ownerUid", "==", filters.ownerUid));
  if (filters.segments) list.push(where("segment", "in", filters.segments));
  if (filters.archived !== undefined) list.push(where("archived", "==", filters.archived));
  if (filters.stage) list.push(where("stage", "==", filters.stage));
  if (filters.firstSource) list.push(where("firstSource", "==", filters.firstSource));
  if (filters.searchToken) list.push(where("search", "array-contains", filters.searchToken));
  if (filters.consent === "given") list.push(where("consent.marketing", "==", true));
  if (filters.consent === "not-given") {
    // "in" never matches null: no answer on record counts as not given.
    const either = or(where("consent.marketing", "==", false), where("consent.marketing", "==", null));
    return query(collection(db, "customers"), and(...list, either));
  }
  return query(collection(db, "customers"), ...list);
}

/**
 * One live page of customers, newest first by `sort`, after the row snapshot `after`
 * (a document of the previous page) when given. onChange gets the QuerySnapshot with
 * metadata changes (the list tells cache from server answers).
 */
export function watchCustomersPage(db, filters, { sort, after, size }, onChange, onError) {
  const q = query(customersQuery(db, filters), orderBy(sort, "desc"), ...(after ? [startAfter(after)] : []), limit(size));
  return onSnapshot(q, { includeMetadataChanges: true }, onChange, onError);
}

/** How many customers match the filters (an aggregation: no document is read). */
export async function countCustomers(db, filters) {
  const snap = await getCountFromServer(customersQuery(db, filters));
  return snap.data().count;
}

// --- One customer ----------------------------------------------------------------------

/**
 * customers/{key}, live: onChange({customer, fromCache}) with customer null when the
 * document does not exist (fromCache: no answer from the server yet, so not "missing").
 * Server timestamps still pending show as their local estimate.
 */
export function watchCustomer(db, key, onChange, onError) {
  return onSnapshot(
    doc(db, "customers", key),
    { includeMetadataChanges: true },
    (snap) =>
      onChange({
        customer: snap.exists() ? snap.data({ serverTimestamps: "estimate" }) : null,
        fromCache: snap.metadata.fromCache,
      }),
    onError,
  );
}

/** The newest `size` entries of customers/{key}/activity, live: onChange([{id, ...entry}]). */
/**
 * Merges of this customer still moving (the resumable path of a long merge; owner only):
 * onChange([{id, survivor, other, moving: {done, total}}]). Only a moving merge record
 * holds `keys`, so the query is one array-contains on a single-field index.
 */
export function watchMovingMerges(db, key, onChange, onError) {
  return onSnapshot(
    query(collection(db, "merges"), where("keys", "array-contains", key), limit(5)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() })).filter((m) => m.state === "moving")),
    onError,
  );
}

export function watchTimeline(db, key, size, onChange, onError) {
  return onSnapshot(
    query(collection(db, "customers", key, "activity"), orderBy("at", "desc"), limit(size)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data({ serverTimestamps: "estimate" }) }))),
    onError,
  );
}

// --- Dashboard -------------------------------------------------------------------------

/** intake_stats/{YYYY-MM-DD} from `sinceDay` on, live: onChange([{day, ...counts}]). */
export function watchIntakeStats(db, sinceDay, max, onChange, onError) {
  return onSnapshot(
    query(collection(db, "intake_stats"), where(documentId(), ">=", sinceDay), orderBy(documentId()), limit(max)),
    (snap) => onChange(snap.docs.map((d) => ({ day: d.id, ...d.data() }))),
    onError,
  );
}

/** How many active (not archived) customers are in a stage: owner only (all customers). */
export function countActiveInStage(db, stageId) {
  return countCustomers(db, { archived: false, stage: stageId });
}

// --- The bell: today's calls, a rep's leads of today and overdue tasks ------------------

/**
 * bookings starting in [start, end), by start, live: onChange([{id, ...booking}]).
 * A rep's query carries ownerUid == their uid, as the rules require.
 */
export function watchCallsBetween(db, { start, end, ownerUid }, onChange, onError) {
  const filters = [where("start", ">=", Timestamp.fromDate(start)), where("start", "<", Timestamp.fromDate(end))];
  if (ownerUid) filters.unshift(where("ownerUid", "==", ownerUid));
  return onSnapshot(
    query(collection(db, "bookings"), ...filters, orderBy("start")),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/**
 * A rep's customers assigned to them since `since` (routing or a hand-over sets
 * assignedAt), newest first, live: onChange([{key, ...customer}]). The query carries
 * ownerUid == the rep's uid, as the rules require.
 */
export function watchAssignedSince(db, { ownerUid, since, max }, onChange, onError) {
  return onSnapshot(
    query(
      collection(db, "customers"),
      where("ownerUid", "==", ownerUid),
      where("assignedAt", ">=", Timestamp.fromDate(since)),
      orderBy("assignedAt", "desc"),
      limit(max),
    ),
    (snap) => onChange(snap.docs.map((d) => ({ ...d.data({ serverTimestamps: "estimate" }), key: d.id }))),
    onError,
  );
}

/** A rep's open tasks the sweep marked overdue, oldest due first, live: onChange([{id, ...task}]). */
export function watchOverdueTasks(db, { ownerUid, max }, onChange, onError) {
  return onSnapshot(
    query(
      collection(db, "tasks"),
      where("ownerUid", "==", ownerUid),
      where("done", "==", false),
      where("overdue", "==", true),
      orderBy("due"),
      limit(max),
    ),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

// --- Bookings, calendar and booking settings (W2) ---

// The booking screens read bookings, settings/booking and bookingLinks; every change to
// them goes through the booking functions and the admin API (data/bookings-api.js).
// Calls between two instants (the calendar) are watchCallsBetween above.

/**
 * A customer's calls, live: onChange([{id, ...booking}]), in no order (two equality
 * filters need no composite index; a customer has few calls). A rep's query also carries
 * ownerUid == their uid, or the rules refuse it.
 */
export function watchCustomerBookings(db, { customerKey, ownerUid }, onChange, onError) {
  const filters = [where("customerKey", "==", customerKey)];
  if (ownerUid) filters.push(where("ownerUid", "==", ownerUid));
  return onSnapshot(
    query(collection(db, "bookings"), ...filters),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/**
 * Up to `max` active customers whose search tokens hold `token`, most recently in touch
 * first, as [{id, data}]: whom the New meeting dialog may book for. The customers list's
 * own query shape, so its indexes serve it; ownerUid (a rep's uid) when the rules demand it.
 */
export async function findCustomersToBook(db, { token, ownerUid, max }) {
  const q = customersQuery(db, { ownerUid, archived: false, searchToken: token });
  const snap = await getDocs(query(q, orderBy("lastContactAt", "desc"), limit(max)));
  return snap.docs.map((d) => ({ id: d.id, data: d.data() }));
}

/** settings/booking, live: onChange(data or null, when never saved). Owner only. */
export function watchBookingSettings(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "booking"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

/** bookingLinks/*, live: onChange([{source, ...link}]), in no order. Owner only. */
export function watchBookingLinks(db, onChange, onError) {
  return onSnapshot(
    collection(db, "bookingLinks"),
    (snap) => onChange(snap.docs.map((d) => ({ source: d.id, ...d.data() }))),
    onError,
  );
}

// --- Tasks -------------------------------------------------------------------------------
//
// tasks [ownerUid == uid] done == false [customer == key] orderBy(due): the rules let the
// owner read every task and a rep only theirs, so a rep's query always carries ownerUid.

/** Open tasks by due date, live: onChange([{id, ...task}]). ownerUid: a rep's uid, else null. */
export function watchOpenTasks(db, { ownerUid, max }, onChange, onError) {
  const filters = [where("done", "==", false)];
  if (ownerUid) filters.unshift(where("ownerUid", "==", ownerUid));
  return onSnapshot(
    query(collection(db, "tasks"), ...filters, orderBy("due"), limit(max)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/** One customer's open tasks, live, in no order (equality filters only: no composite index). */
export function watchCustomerTasks(db, { customer, ownerUid }, onChange, onError) {
  const filters = [where("customer", "==", customer), where("done", "==", false)];
  if (ownerUid) filters.push(where("ownerUid", "==", ownerUid));
  return onSnapshot(
    query(collection(db, "tasks"), ...filters),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/** {open, overdue}: how many tasks are open and how many of those overdue (owner: all). */
export async function countOpenTasks(db) {
  const open = query(collection(db, "tasks"), where("done", "==", false));
  const [all, late] = await Promise.all([
    getCountFromServer(open),
    getCountFromServer(query(open, where("overdue", "==", true))),
  ]);
  return { open: all.data().count, overdue: late.data().count };
}

// --- The board ---------------------------------------------------------------------------
//
// customers archived == false [ownerUid == uid] limit(n): equality filters only, so no
// composite index; the board sorts its cards itself. A rep's query carries ownerUid.

/**
 * Active customers for the board and the funnel, live: onChange({customers: [{key,
 * ...customer}], full}) where `full` says the limit cut the list short. ownerUid: a
 * rep's uid, else null (the owner sees everyone's).
 */
export function watchBoardCustomers(db, { ownerUid, max }, onChange, onError) {
  const filters = [where("archived", "==", false)];
  if (ownerUid) filters.unshift(where("ownerUid", "==", ownerUid));
  return onSnapshot(
    query(collection(db, "customers"), ...filters, limit(max)),
    (snap) =>
      onChange({
        customers: snap.docs.map((d) => ({ ...d.data({ serverTimestamps: "estimate" }), key: d.id })),
        full: snap.size >= max,
      }),
    onError,
  );
}

// --- A person's rights (the owner's) --------------------------------------------------
//
// privacyRequests state == open [customer == key] orderBy(due); erasures orderBy(at, desc)

/** The open privacy requests, soonest due first (of one customer when `customer`). */
export function watchOpenRequests(db, { customer, max = 100 }, onChange, onError) {
  const filters = [where("state", "==", "open")];
  if (customer) filters.push(where("customer", "==", customer));
  return onSnapshot(
    query(collection(db, "privacyRequests"), ...filters, ...(customer ? [] : [orderBy("due")]), limit(max)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/** The erasure log: receipts, newest first. */
export function watchErasures(db, { max = 50 }, onChange, onError) {
  return onSnapshot(
    query(collection(db, "erasures"), orderBy("at", "desc"), limit(max)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

// whatsappTemplates orderBy(name): the approved templates the composer offers.

/** The WhatsApp templates of the business account (the sweep keeps them, hourly). */
export function watchWhatsAppTemplates(db, onChange, onError) {
  return onSnapshot(
    query(collection(db, "whatsappTemplates"), orderBy("name"), limit(200)),
    (snap) => onChange(snap.docs.filter((d) => d.id !== "_synced").map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}

/** settings/emailTemplates (the owner's e-mail templates): onChange(data or null). */
export function watchEmailTemplates(db, onChange, onError) {
  return onSnapshot(
    doc(db, "settings", "emailTemplates"),
    (snap) => onChange(snap.exists() ? snap.data() : null),
    onError,
  );
}

// messages customer == key (the owner's): each message's status, for the timeline.

/** The customer's messages, newest first: their statuses (sent, delivered, read, failed). */
export function watchCustomerMessages(db, key, onChange, onError) {
  return onSnapshot(
    query(collection(db, "messages"), where("customer", "==", key), limit(500)),
    (snap) => onChange(snap.docs.map((d) => ({ id: d.id, ...d.data() }))),
    onError,
  );
}
