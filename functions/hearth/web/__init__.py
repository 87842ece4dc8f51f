"""The HTTP edge, and the only code that knows Flask.

endpoint.py is the one opening every function shares (methods, CORS and preflight,
origin, body size and parsing, sign-in, mapping each HearthError to JSON once, a JSON
500 with a request id for anything unexpected); http.py reads bodies and writes JSON;
auth.py verifies ID tokens; openapi.py describes the public API; and one thin adapter
per function (intake, admin, export, bookings, calendar) turns a call into a domain
call. Imported by functions/main.py alone.
"""
