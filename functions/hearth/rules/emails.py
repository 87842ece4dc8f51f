"""E-mail rules: one customer per address, whatever the letter case.

The customer's document id is derived from the address, so two submissions of
``Ana@Example.org`` and ``ana@example.ORG`` land on the same record without a query.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254
# RFC 5321's limit on the part before the @; email-validator does not enforce it.
MAX_LOCAL_LENGTH = 64


class InvalidEmailError(ValueError):
    """The address cannot be a customer's: the message says why, for the person typing."""


def normalise(raw: str) -> str:
    """Validated, trimmed and lowercased whole.

    Lowercasing the local part too is a deliberate choice: mailbox providers treat it
    case-insensitively in practice, and a CRM that splits one person in two is worse
    than the theoretical case-sensitive mailbox. No DNS look-up: intake must not
    depend on the network, and a typo'd domain is still a lead worth seeing.
    """
    text = raw.strip()
    if not text:
        raise InvalidEmailError("Enter an e-mail address.")
    if len(text) > MAX_LENGTH:
        raise InvalidEmailError(f"An e-mail address has at most {MAX_LENGTH} characters.")
    try:
        result = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".").replace("email", "e-mail")
        raise InvalidEmailError(
            f"This is not a valid e-mail address: {reason[:1].lower()}{reason[1:]}."
        ) from None
    if len(result.local_part) > MAX_LOCAL_LENGTH:
        raise InvalidEmailError(f"The part before the @ has at most {MAX_LOCAL_LENGTH} characters.")
    return result.normalized.lower()


def customer_key(email: str) -> str:
    """The Firestore document id for a normalised address.

    A local part may legally hold "/", which Firestore forbids in ids, so "%" and "/"
    are percent-escaped; every ordinary address is its own key, readable as is.
    """
    return email.replace("%", "%25").replace("/", "%2F")
