"""Who may do what: staff accounts, their role claims, the team directory.

Roles are enforced by firestore.rules for reads and by hearth.rules.roles for writes;
this package makes the accounts those decisions read (users.py, also the
`make users` command) and holds the one firebase-admin app (firebase.py) that
hearth.web.auth verifies tokens with.
"""
