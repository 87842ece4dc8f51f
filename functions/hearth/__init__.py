"""Hearth: the customer record that lives next to the website.

The package holds the domain logic behind the thin HTTP entry points in ``main.py``.
Modules are named for the behaviour they own (``customers`` holds the upsert,
``phones`` the phone rules) so a newcomer can find any rule by its name.
"""
