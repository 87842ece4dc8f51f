"""Which customers the duplicates screen lists together, and the reason it gives."""

from __future__ import annotations

from typing import Any

from hearth.rules.duplicates import fold_company, keys_of, pair_id, pairs, similar_names


def person(key: str, **fields: Any) -> dict[str, Any]:
    return {"key": key, "email": key, **fields}


def test_a_shared_valid_mobile_pairs_two_customers_with_the_number_as_the_reason() -> None:
    found = pairs(
        [
            person("ana@a.mt", name="Ana", mobile="+35679123456", mobileValid=True),
            person("x@b.mt", name="Someone Else", mobile="+35679123456", mobileValid=True),
            person("typo@c.mt", mobile="7912", mobileValid=False),
            person("other@d.mt", mobile="+35679000000", mobileValid=True),
        ],
        format_mobile=lambda e164: "+356 7912 3456",
    )
    assert [(p.a, p.b, p.reasons) for p in found] == [
        ("ana@a.mt", "x@b.mt", ("same mobile +356 7912 3456",))
    ]
    assert found[0].id == pair_id("x@b.mt", "ana@a.mt")
    assert keys_of(found[0].id) == ("ana@a.mt", "x@b.mt")


def test_similar_names_pair_only_within_one_company_however_it_is_written() -> None:
    found = pairs(
        [
            person("ana@borg.mt", name="Ana Borg", company="Borg & Sons Ltd."),
            person("anna@gmail.com", name="Anna Borg", company="BORG AND SONS limited"),
            person("anna@elsewhere.mt", name="Anna Borg", company="Vella Trading"),
            person("ben@borg.mt", name="Ben Borg", company="Borg & Sons"),
        ]
    )
    assert [(p.a, p.b) for p in found] == [("ana@borg.mt", "anna@gmail.com")]
    assert found[0].reasons == ("very similar names at the same company (Borg & Sons Ltd.)",)


def test_names_with_initials_and_reordered_words_count_but_a_surname_alone_does_not() -> None:
    assert similar_names("J. Smith", "John Smith") == "same name with initials"
    assert similar_names("Smith, John", "john smith") == "same name"
    assert similar_names("Ħasan Żammit", "hasan zammit") == "same name"
    assert similar_names("Smith", "John Smith") is None
    assert similar_names("Ana Borg", "Ben Borg") is None
    assert similar_names(None, "Ben Borg") is None


def test_company_folding_drops_legal_suffixes_case_accents_and_spacing() -> None:
    assert fold_company("  Café  Borg LLC ") == fold_company("cafe borg") == "cafe borg"
    assert fold_company("Inc") == ""


def test_dismissed_pairs_are_left_out_and_both_reasons_are_kept_for_one_pair() -> None:
    people = [
        person("a@x.mt", name="Ana Borg", company="Borg", mobile="+35679123456", mobileValid=True),
        person("b@x.mt", name="Ana Borg", company="Borg", mobile="+35679123456", mobileValid=True),
        person(
            "c@x.mt", name="Carl Vella", company="Vella", mobile="+35699111111", mobileValid=True
        ),
        person("d@x.mt", name="Carl Vella", company="Vella"),
    ]
    found = pairs(people)
    assert [p.id for p in found] == [pair_id("a@x.mt", "b@x.mt"), pair_id("c@x.mt", "d@x.mt")]
    assert len(found[0].reasons) == 2 and found[0].score == 1.0
    assert [p.id for p in pairs(people, dismissed=[pair_id("b@x.mt", "a@x.mt")])] == [
        pair_id("c@x.mt", "d@x.mt")
    ]
    assert keys_of("only-one") is None
