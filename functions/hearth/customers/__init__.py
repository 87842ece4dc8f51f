"""What staff do to customers: change fields, balances and payments, archive, notes,
and take them away as a file.

Decides in pure code (changes.py, payments.py), writes through hearth.store with a
timeline entry (operations.py), and streams the export (export.py: the customers;
timeline_export.py: their timelines). Imports rules, store, errors and config; never
Flask: hearth.web.admin and hearth.web.export are its HTTP side.
"""
