"""Hearth: the customer record that lives next to the owner's website.

The packages, and what may import what (docs/architecture.md draws it):

    main.py -> web -> intake, customers, bookings, calendar, access -> store -> rules
                                                   (errors and config: everyone)

web is the only HTTP code; a domain decides and raises a HearthError (errors.py),
store alone talks to Firestore, rules are pure.
"""
