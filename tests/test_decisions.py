"""Decision reading: the samples' real decisions, the phrase corpus, and the grammar rules."""

from __future__ import annotations

import pytest
from decision_corpus import CONSTRUCTED, all_cases, real_cases, score

from kkr_tui.meetingwork.decision_words import VERBS, strong, weak_ede, weak_te
from kkr_tui.meetingwork.decisions import LABELS, read_decision, recommendation_kinds

APPROVE = "Det indstilles, at KKR godkender indstillingen."
NOTE = "Det indstilles, at KKR tager orienteringen til efterretning."
DISCUSS = "Det indstilles, at KKR drøfter sagen."


def test_no_real_decision_of_the_samples_is_marked() -> None:
    """Issue 17: 004 had all 11 items flagged and 001 7 of 14, every one a plain decision."""
    cases = real_cases()
    assert len(cases) == 24
    flagged = [c.source for c in cases if read_decision(c.beslutning, c.indstilling).departs]
    assert flagged == []
    unsure = [c.source for c in cases if read_decision(c.beslutning, c.indstilling).unsure]
    assert unsure == []


def test_corpus_covers_five_councils_and_sixty_texts() -> None:
    cases = all_cases()
    assert len(cases) >= 60
    assert {c.council for c in cases} == {
        "Hovedstaden",
        "Sjælland",
        "Syddanmark",
        "Midtjylland",
        "Nordjylland",
    }
    assert {c.label for c in cases} == {"follows", "departs", "unsure"}
    assert all(c.source for c in cases)
    assert sum(c.label == "departs" for c in cases) >= 20


def test_warning_precision_and_recall_on_the_corpus() -> None:
    """A false ⚠ is worse than none: precision must stay perfect, recall high."""
    result = score(all_cases())
    assert result.precision == 1.0, result
    assert result.recall >= 0.9, result
    assert result.agree >= 0.9 * result.cases, result


def test_unsure_texts_are_never_marked() -> None:
    for _, source, rec, dec, label in CONSTRUCTED:
        if label == "unsure":
            assert not read_decision(dec, rec).departs, (source, dec)


def test_every_line_fits_eighty_columns() -> None:
    for case in all_cases():
        line = read_decision(case.beslutning, case.indstilling).line
        assert len(line) <= 80, line


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Godkendt.", "approved"),
        ("Tiltrådt.", "approved"),
        ("Vedtaget.", "approved"),
        ("Anbefalet.", "approved"),
        ("Indstillingen blev godkendt.", "approved"),
        ("KKR Sjælland godkendte indstillingen.", "approved"),
        ("Udsat.", "postponed"),
        ("Indstillingen blev ikke godkendt.", "rejected"),
        ("KKR Sjælland kunne ikke tiltræde indstillingen.", "rejected"),
        ("Sagen blev sendt tilbage til administrationen.", "returned"),
        ("Punktet blev taget af dagsordenen.", "removed"),
        ("Sagen blev trukket tilbage.", "withdrawn"),
        ("Godkendt med den ændring, at fristen blev 1. maj.", "changed"),
    ],
)
def test_forms_of_one_verb_are_one_act(text: str, outcome: str) -> None:
    assert read_decision(text, APPROVE).outcome == outcome


def test_noting_and_discussing() -> None:
    for text in ("Taget til efterretning.", "Taget til orientering.", "Drøftet."):
        assert read_decision(text, NOTE).outcome in ("noted", "discussed"), text
    assert read_decision("KKR tog orienteringen til efterretning.", NOTE).outcome == "noted"
    assert read_decision("KKR Midtjylland drøftede sagen.", DISCUSS).outcome == "discussed"


def test_an_approval_asked_for_but_only_discussed_is_unsure_not_a_departure() -> None:
    reading = read_decision("Drøftet.", APPROVE)
    assert reading.outcome == "unsure" and not reading.departs
    assert "godkendelse" in reading.reason


def test_remarks_questions_and_follow_ups_are_not_departures() -> None:
    reading = read_decision(
        "KKR Hovedstaden tiltrådte indstillingen. Der blev spurgt til rekruttering. "
        "KKR får en status på et senere møde.",
        APPROVE,
    )
    assert reading.outcome == "approved" and reading.remarks and not reading.departs
    assert reading.label == "godkendt, med bemærkninger"


def test_hypothetical_and_negated_departures_are_unsure() -> None:
    assert read_decision("Punktet blev ikke udsat.", APPROVE).outcome == "unsure"
    assert read_decision("Sagen vil blive udsat, hvis regionen ønsker det.", APPROVE).unsure


def test_change_in_a_reported_discussion_is_no_departure() -> None:
    text = "KKR tiltrådte indstillingen og drøftede, hvordan man i stedet kan mødes virtuelt."
    assert not read_decision(text, APPROVE).departs


def test_recommendation_kinds() -> None:
    assert recommendation_kinds(APPROVE) == {"approved"}
    assert recommendation_kinds(NOTE) == {"noted"}
    assert recommendation_kinds("Det indstilles, at KKR drøfter og godkender modellen.") == {
        "approved",
        "discussed",
    }
    # "Det indstilles" is the formula, not a request to nominate
    assert recommendation_kinds("Det indstilles, at KKR drøfter udspillet.") == {"discussed"}


def test_verb_classes_generate_the_forms() -> None:
    assert {"godkendte", "godkendt", "godkendes", "godkender"} <= weak_te("godkend")
    assert {"drøftede", "drøftet", "drøftes"} <= weak_ede("drøft")
    assert {"tog", "taget", "tager", "tages"} <= strong("tage", "tog", "taget")
    assert {v.kind for v in VERBS["tiltrådte"]} == {"approved"}


def test_no_text_is_no_decision() -> None:
    assert read_decision(None).outcome == "none"
    assert read_decision("   ").label == LABELS["none"]
