"""Suppression keys: one per person whatever the spelling, and useless without the secret."""

from hearth.rules import emails, suppression


def test_every_spelling_of_an_address_meets_one_key():
    one = suppression.key(
        "s", suppression.EMAIL, emails.customer_key(emails.normalise(" Ana@Example.ORG "))
    )
    other = suppression.key(
        "s", suppression.EMAIL, emails.customer_key(emails.normalise("ana@example.org"))
    )
    assert one == other
    assert one.startswith("email_") and "ana" not in one


def test_another_secret_gives_other_keys_so_a_guess_cannot_be_tested_without_it():
    assert suppression.key("a", suppression.MOBILE, "+35679123456") != suppression.key(
        "b", suppression.MOBILE, "+35679123456"
    )


def test_a_person_matches_their_email_and_their_mobile():
    found = suppression.keys("s", "ana@example.org", "+35679123456")
    assert [k.split("_")[0] for k in found] == ["email", "mobile"]
    assert suppression.keys("s", "ana@example.org", None) == found[:1]
