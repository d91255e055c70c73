"""The words a decision is read with: Danish verbs by stem and class, negation, modifiers.

:mod:`.decisions` holds the few grammatical rules; everything a council's wording adds
goes here. A new phrasing is one entry:

- a regular verb is its stem and class (``weak_ede("drøft")``: drøfte, drøfter, drøftes,
  drøftede, drøftet; ``weak_te("godkend")``: godkende, godkender, godkendes, godkendte,
  godkendt); an irregular one lists its forms (``strong("tage", "tog", "taget")``);
- a verb that only means something with a complement names it ("tage" … "til
  efterretning"; "sende" … "tilbage"), looked for within ``after`` words after the verb
  or ``before`` words before it (passive and inverted word order);
- a verb that is only a departure with a certain subject names the words one of which
  the sentence must hold (``needs``): "behandles på næste møde" postpones *this* item
  only when "punktet" or "sagen" is said, not in "Følgende punkter behandles …".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "approved",
    "noted",
    "discussed",
    "informed",
    "nothing",
    "changed",
    "postponed",
    "rejected",
    "returned",
    "removed",
    "withdrawn",
]


@dataclass(frozen=True, slots=True)
class Verb:
    """A verb (or noun of action) with what it means when the council is its subject."""

    kind: Kind
    forms: frozenset[str]
    complements: tuple[tuple[str, ...], ...] = ()
    after: int = 12
    before: int = 4
    needs: frozenset[str] = frozenset()
    #: False for nouns ("opbakning"): "ikke opbakning" is no clear rejection.
    negation_rejects: bool = True


def weak_ede(stem: str) -> frozenset[str]:
    """First weak class (past in -ede): drøft → drøfte, drøfter, drøftes, drøftede, drøftet."""
    return frozenset(stem + e for e in ("e", "er", "es", "ede", "edes", "et"))


def weak_te(stem: str) -> frozenset[str]:
    """Second weak class (past in -te): godkend → godkende, godkender, godkendte, godkendt."""
    return frozenset(stem + e for e in ("e", "er", "es", "te", "tes", "t"))


def strong(infinitive: str, past: str, participle: str) -> frozenset[str]:
    """An irregular verb: infinitive, past and participle; present and passive follow."""
    return frozenset(
        {infinitive, infinitive + "r", infinitive + "s", past, past + "es", participle}
    )


def words(*forms: str) -> frozenset[str]:
    """Forms listed one by one (nouns, or only some forms of a verb)."""
    return frozenset(forms)


def _v(kind: Kind, forms: frozenset[str], *complements: str, **extra: object) -> Verb:
    seqs = tuple(tuple(c.split()) for c in complements)
    # extra: Verb's keyword fields, spelt out in the table below (after=, needs=, ...).
    return Verb(kind, forms, seqs, **extra)  # type: ignore[arg-type]


TAGE = strong("tage", "tog", "taget")
GIVE = strong("give", "gav", "givet")
TRAEKKE = strong("trække", "trak", "trukket")
SENDE = weak_te("send")
MEETING_LATER = ("senere møde", "næste møde", "kommende møde", "et senere tidspunkt")
THIS_ITEM = frozenset({"punktet", "sagen", "emnet", "forslaget", "indstillingen", "beslutningen"})

_DECISION_VERBS: tuple[Verb, ...] = (
    # approval: the recommendation was adopted
    _v("approved", weak_te("godkend")),
    _v("approved", strong("tiltræde", "tiltrådte", "tiltrådt")),
    _v("approved", strong("vedtage", "vedtog", "vedtaget")),
    _v("approved", weak_ede("anbefal")),
    _v("approved", words("beslutte", "beslutter", "besluttes", "besluttede", "besluttet")),
    _v("approved", strong("bifalde", "bifaldt", "bifaldt")),
    _v("approved", weak_ede("udpeg")),
    _v("approved", weak_ede("indstill")),
    _v("approved", strong("følge", "fulgte", "fulgt"), "indstillingen", "anbefalingen"),
    _v("approved", weak_ede("tilslutt"), "sig", after=2),
    _v("approved", GIVE, "tilslutning", "opbakning", "sin tilslutning", after=3),
    _v("approved", weak_ede("bakk"), "op", after=3),
    _v("approved", strong("gå", "gik", "gået"), "videre med", after=1),
    _v("approved", words("opbakning", "tilslutning", "enighed"), negation_rejects=False),
    # a note taken of the orientation
    _v("noted", TAGE, "til efterretning", "til orientering", "til underretning"),
    _v("noted", weak_ede("noter"), "sig", after=2),
    _v("noted", words("efterretning"), "til", after=0, before=1),
    # a discussion
    _v("discussed", weak_ede("drøft")),
    _v("discussed", words("drøftelse", "drøftelsen", "drøftelser"), negation_rejects=False),
    _v("discussed", weak_ede("debatter")),
    _v("discussed", weak_ede("behandl")),
    _v("discussed", strong("pege", "pegede", "peget"), "på", after=2),
    _v("discussed", GIVE, "input", "bemærkninger", "sparring", after=4),
    # an orientation given (answers a request to take note)
    _v("informed", weak_ede("orienter")),
    _v("informed", weak_ede("præsenter")),
    _v("informed", strong("gennemgå", "gennemgik", "gennemgået")),
    _v("informed", words("fremlagde", "fremlagt", "fremlægges"), negation_rejects=False),
    _v("informed", words("redegjorde", "redegjort")),
    _v("informed", GIVE, "præsentation", "oplæg", "beretning", "orientering", "status"),
    _v("informed", strong("holde", "holdt", "holdt"), "oplæg", "oplægget", after=4),
    # departures
    _v("postponed", words("udsætte", "udsætter", "udsættes", "udsatte", "udsat", "udsattes")),
    _v("postponed", words("udskyde", "udskyder", "udskydes", "udskød", "udskudt")),
    _v("postponed", words("genoptages", "genoptager")),
    _v("postponed", weak_ede("behandl"), *MEETING_LATER, needs=THIS_ITEM),
    _v("postponed", weak_ede("vent"), "med", after=1, before=0),
    _v("rejected", strong("afvise", "afviste", "afvist")),
    _v("rejected", weak_ede("forkast")),
    _v("returned", SENDE, "tilbage", after=6),
    _v("returned", weak_te("tilbagesend")),
    _v("returned", strong("tilbagevise", "tilbageviste", "tilbagevist")),
    _v("removed", TAGE, "af dagsordenen", "af dagsorden", after=6),
    _v("removed", words("udgår", "udgik", "udgået")),
    _v("removed", weak_ede("fjern"), "fra dagsordenen", after=6),
    _v("removed", TRAEKKE, "fra dagsordenen", after=6),
    _v("withdrawn", TRAEKKE, "tilbage", after=6),
    _v("withdrawn", words("tilbagetrak", "tilbagetrukket", "tilbagetrækkes", "tilbagetrække")),
    _v("changed", weak_ede("ændr"), "indstillingen", "forslaget", "anbefalingen", "modellen"),
    _v("changed", weak_ede("juster"), "indstillingen", "forslaget", "anbefalingen", "modellen"),
    _v("changed", weak_ede("ændr"), "dog", after=1, before=1),
)

#: What an Indstilling asks for: the same verbs, plus the recommendation's own phrasing.
_RECOMMENDATION_VERBS: tuple[Verb, ...] = tuple(
    v
    for v in _DECISION_VERBS
    if v.kind in ("approved", "noted", "discussed")
    and v.negation_rejects  # nouns ("opbakning til …") describe, they do not ask
    and "indstilles" not in v.forms
) + (
    # "Det indstilles, at …" is the formula itself; "indstiller" nominates
    _v("approved", words("indstiller", "godkendelse", "anmoder")),
    _v("discussed", weak_ede("evaluer")),
    _v("discussed", strong("komme", "kom", "kommet"), "med input", "med bemærkninger", after=3),
)


def _index(verbs: tuple[Verb, ...]) -> dict[str, tuple[Verb, ...]]:
    index: dict[str, list[Verb]] = {}
    for verb in verbs:
        for form in verb.forms:
            index.setdefault(form, []).append(verb)
    return {form: tuple(found) for form, found in index.items()}


VERBS: dict[str, tuple[Verb, ...]] = _index(_DECISION_VERBS)
RECOMMENDATION_WORDS: dict[str, tuple[Verb, ...]] = _index(_RECOMMENDATION_VERBS)

#: A word of negation shortly before or after a verb: "kunne ikke tiltræde" rejects.
NEGATIONS = frozenset({"ikke", "ej", "aldrig"})
#: "Intet blev besluttet" is no rejection either: the reading is left open.
NOTHING_WORDS = frozenset({"intet", "ingen"})
#: A modal just before a verb: the act lies in the future or is someone else's.
HYPOTHETICAL = frozenset(
    {"skal", "skulle", "vil", "ville", "kan", "bør", "burde", "forventes", "forventer", "må"}
)


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(t.split()) for t in texts)


#: Modifiers that change what was adopted (a departure when said of the decision).
CHANGE_MARKERS = _phrases(
    "med den ændring",
    "med de ændringer",
    "med følgende ændring",
    "med følgende ændringer",
    "med den tilføjelse",
    "med en tilføjelse",
    "med en ændring",
    "med en justering",
    "med følgende tilføjelse",
    "med følgende tilføjelser",
    "med den justering",
    "med følgende justering",
    "med følgende justeringer",
    "dog således",
    "i stedet",
)
#: A clause opened by one of these reports what was discussed, not what was decided:
#: "drøftede, hvordan man i stedet kan …" changes nothing.
SUBORDINATORS = frozenset(
    {"hvordan", "om", "hvorvidt", "hvis", "hvilke", "hvilken", "hvad", "hvor", "når", "hvorfor"}
)
#: Conditions and reservations: not clearly as recommended, not clearly otherwise.
UNSURE_MARKERS = _phrases(
    "under forudsætning af",
    "forudsat at",
    "med forbehold",
    "med den præcisering",
    "med følgende præcisering",
)
#: "Nothing to add": a complete answer to an Eventuelt or an orientation.
NOTHING_PHRASES = _phrases(
    "intet at bemærke",
    "ingen bemærkninger",
    "intet nyt",
    "intet at referere",
    "intet til referat",
)
#: Words that make a sentence holding an act also a remark ("… med bemærkningen om, at …").
REMARK_PREFIXES = ("bemærkning", "opmærksom", "spørgsmål", "spurgt")
