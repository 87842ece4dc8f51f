// Pipeline stages: ids, labels and the group that colours each stage's pill
// (lead: red, production: blue, delivered: green). The seven defaults mirror
// functions/hearth/stages.py; settings/pipeline {stages: [{id, label, group}]} replaces
// them when it lists any (as the server does), and config.stageGroups {id: group} can
// regroup single stages.
import { watchPipelineSettings } from "./data/firestore.js";

export const GROUPS = {
  lead: { id: "lead", label: "Active leads" },
  production: { id: "production", label: "In production" },
  delivered: { id: "delivered", label: "Delivered" },
};

export const DEFAULT_STAGES = [
  { id: "lead", label: "Lead", group: "lead" },
  { id: "proposal_sent", label: "Proposal sent", group: "lead" },
  { id: "proposal_signed", label: "Proposal signed", group: "lead" },
  { id: "deposit_paid", label: "Deposit paid", group: "production" },
  { id: "waiting_production", label: "Waiting production", group: "production" },
  { id: "in_production", label: "In production", group: "production" },
  { id: "delivered", label: "Delivered", group: "delivered" },
];

const DEFAULT_GROUP = Object.fromEntries(DEFAULT_STAGES.map((s) => [s.id, s.group]));

/** The stages object every view uses: {list, ids, byId, label(id), group(id), inGroup(group)}. */
export function makeStages(pipeline, stageGroups) {
  const listed = Array.isArray(pipeline?.stages)
    ? pipeline.stages.filter((s) => s && typeof s.id === "string" && s.id)
    : [];
  const source = listed.length ? listed : DEFAULT_STAGES;
  const overrides = stageGroups && typeof stageGroups === "object" ? stageGroups : {};
  const list = source.map((s) => ({
    id: s.id,
    label: typeof s.label === "string" && s.label.trim() ? s.label.trim() : humanise(s.id),
    group: validGroup(overrides[s.id]) || validGroup(s.group) || DEFAULT_GROUP[s.id] || "lead",
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

function validGroup(group) {
  return typeof group === "string" && Object.prototype.hasOwnProperty.call(GROUPS, group) ? group : null;
}

function humanise(id) {
  const text = String(id).replace(/[_-]+/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "—";
}
