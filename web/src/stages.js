// Pipeline stages: ids, labels and the group of each stage. Groups are lead, active,
// production, won and lost; a pill has one of three colours by group (active leads:
// groups lead and active, red; in production, blue; won, green) and a neutral grey for
// lost. The seven studio defaults mirror functions/hearth/rules/stages.py;
// settings/pipeline {stages: [{id, label, group, order, whatsappTemplate?}]} replaces them when it lists
// any (as the server does; an old document's "delivered" group reads as "won"), and
// config.stageGroups {id: group} can regroup single stages.
import { watchPipelineSettings } from "./data/firestore.js";

export const GROUPS = {
  lead: { id: "lead", label: "Lead" },
  active: { id: "active", label: "Active" },
  production: { id: "production", label: "In production" },
  won: { id: "won", label: "Won" },
  lost: { id: "lost", label: "Lost" },
};

// Groups saved before the five existed.
const LEGACY_GROUPS = { delivered: "won" };

/** The dashboard's tiles: one per pill colour, each adding up its groups. */
export const COLOURS = [
  { id: "lead", label: "Active leads", groups: ["lead", "active"] },
  { id: "production", label: "In production", groups: ["production"] },
  { id: "won", label: "Won", groups: ["won"] },
  { id: "lost", label: "Lost", groups: ["lost"] },
];

export const DEFAULT_STAGES = [
  { id: "lead", label: "Lead", group: "lead" },
  { id: "proposal_sent", label: "Proposal sent", group: "active" },
  { id: "proposal_signed", label: "Proposal signed", group: "active" },
  { id: "deposit_paid", label: "Deposit paid", group: "production" },
  { id: "waiting_production", label: "Waiting production", group: "production" },
  { id: "in_production", label: "In production", group: "production" },
  { id: "delivered", label: "Delivered", group: "won" },
];

const DEFAULT_GROUP = Object.fromEntries(DEFAULT_STAGES.map((s) => [s.id, s.group]));

/** The stages object every view uses: {list, ids, byId, label(id), group(id), inGroup(group)}. */
export function makeStages(pipeline, stageGroups) {
  const listed = Array.isArray(pipeline?.stages)
    ? pipeline.stages.filter((s) => s && typeof s.id === "string" && s.id)
    : [];
  if (listed.length && listed.every((s) => Number.isInteger(s.order))) {
    listed.sort((a, b) => a.order - b.order);
  }
  const source = listed.length ? listed : DEFAULT_STAGES;
  const overrides = stageGroups && typeof stageGroups === "object" ? stageGroups : {};
  const list = source.map((s) => ({
    id: s.id,
    label: typeof s.label === "string" && s.label.trim() ? s.label.trim() : humanise(s.id),
    group: validGroup(overrides[s.id]) || validGroup(s.group) || DEFAULT_GROUP[s.id] || "lead",
    // The WhatsApp template offered first to a customer in this stage (its name).
    whatsappTemplate: typeof s.whatsappTemplate === "string" && s.whatsappTemplate ? s.whatsappTemplate : null,
  }));
  const byId = new Map(list.map((s) => [s.id, s]));
  return {
    list,
    ids: list.map((s) => s.id),
    byId,
    label: (id) => byId.get(id)?.label ?? humanise(id || ""),
    group: (id) => byId.get(id)?.group ?? validGroup(overrides[id]) ?? DEFAULT_GROUP[id] ?? "lead",
    inGroup: (group) => list.filter((s) => s.group === group).map((s) => s.id),
  };
}

/**
 * Watches settings/pipeline for the roles that may read it (owner, manager, rep);
 * a partner gets the defaults without a query the rules would refuse.
 * Calls onChange(stages) at once with the defaults and again when settings arrive.
 */
export function watchStages(db, session, config, onChange) {
  const stageGroups = config.stageGroups;
  let current = makeStages(null, stageGroups);
  onChange(current);
  if (!["owner", "manager", "rep"].includes(session.role)) return () => {};
  return watchPipelineSettings(
    db,
    (pipeline) => {
      const next = makeStages(pipeline, stageGroups);
      if (JSON.stringify(next.list) !== JSON.stringify(current.list)) {
        current = next;
        onChange(current);
      }
    },
    () => {
      // Unreadable settings leave the defaults in place: labels are not worth an error.
    },
  );
}

/** A stored group as today's: "delivered" is "won"; anything unknown is null. */
export function validGroup(group) {
  const named = typeof group === "string" ? LEGACY_GROUPS[group] || group : null;
  return named && Object.prototype.hasOwnProperty.call(GROUPS, named) ? named : null;
}

function humanise(id) {
  const text = String(id).replace(/[_-]+/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "—";
}
