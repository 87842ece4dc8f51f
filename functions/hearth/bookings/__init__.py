"""Booking calls: free times, booking one, and looking up, cancelling or moving it.

``settings`` holds the owner's rules (working hours, call types, booking links) and
``admin`` lets the owner change them; ``availability`` answers free times, ``book``
books one (the person becomes a customer through intake's upsert), ``manage`` serves
the signed link and staff, ``view`` is the one JSON shape of a booking. Slots are
claimed in the store (store.bookings); Google Calendar is told afterwards through
hearth.calendar and never decides whether a booking stands. Decides in plain code and
raises HearthErrors; knows nothing of HTTP (hearth.web.bookings is its edge).
"""
