"""Firestore, and only Firestore: the client, bounded calls, contention-safe writes.

Owns the one client (client.py), the call options and what a failed call means
(calls.py: a retryable Unavailable), the guarded write staff changes use (guarded.py),
the customer upsert every form uses (customers.py), bookings with their slot locks
and busy days (bookings.py), counters, the one timeline writer (timeline.py): every entry on
customers/{key}/activity is addressed there, and the one events writer (events.py): every
domain event is added there to the batch of the change that caused it. The exports'
reads, a page at a time at one instant, are exports.py's. Imports rules,
errors and config; never a domain, never hearth.web.
"""
