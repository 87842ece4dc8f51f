"""Pure decisions: e-mails, phones, search tokens, sources, money, timestamps, CSV
safety, stages and stage history, roles, slots, calendar files, signed links, spam,
shared field limits.

Nothing here touches the network: no Firestore, no Flask, no google.* import, only the
standard library and pure libraries (pydantic, phonenumbers, email-validator,
icalendar). So every rule is tested in milliseconds without an emulator, and every
other package may import it.
"""
