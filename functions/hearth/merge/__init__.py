"""Duplicate customers: finding pairs, merging two records into one, undoing a merge.

Owns the decisions around a merge (who may, what the survivor keeps, the merge record
and its timeline entries) on top of the pure rules (rules.duplicates, rules.merging);
store.merges writes it, as one commit or resumably. ``merge_customers`` is the face
intake (and later messaging) uses when two records turn out to be one person. Imports
rules, store, errors and config; never Flask: hearth.web.merges is its HTTP side.
"""

from hearth.merge.service import (
    MergeRequest,
    PairRequest,
    check_owner,
    dismiss,
    find,
    history_keys,
    merge,
    merge_customers,
    preview,
    undo,
)

__all__ = [
    "MergeRequest",
    "PairRequest",
    "check_owner",
    "dismiss",
    "find",
    "history_keys",
    "merge",
    "merge_customers",
    "preview",
    "undo",
]
