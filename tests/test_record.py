"""``kkr_tui.record.record`` makes the classes a frozen slotted dataclass made: the same
constructor, equality, hash, repr, immutability and pickling, and the functions of
:mod:`dataclasses` still work on them (the tests and the reader use ``replace``)."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from kkr_tui.model import Item, Meeting, Page, ParseWarning, Part
from kkr_tui.record import FrozenInstanceError, asdict, fields, record, replace
from kkr_tui.records import ItemDetail, ItemRef, ItemRow


@record
class _Base:
    number: int
    name: str = "x"

    @property
    def double(self) -> int:
        return self.number * 2


@record
class _Child(_Base):
    inner: tuple[_Base, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class _Twin:
    """The dataclass ``_Base`` was: what a record is compared with."""

    number: int
    name: str = "x"


def test_constructor_takes_fields_in_order_by_position_or_name_with_defaults() -> None:
    assert _Base(1) == _Base(number=1) == _Base(1, "x")
    assert _Base(1, name="y").name == "y"
    child = _Child(2, "c", (_Base(3),))
    assert (child.number, child.name, child.inner) == (2, "c", (_Base(3),))
    assert child.double == 4, "methods and properties of the class are kept"
    with pytest.raises(TypeError):
        _Base()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Base(1, "a", 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Base(1, nmae="a")  # type: ignore[call-arg]


def test_equality_hash_and_repr_are_a_dataclass_s() -> None:
    assert _Base(1) != _Base(2)
    assert _Base(1) != _Child(1), "only a record of the same class is equal"
    assert _Base(1) != _Twin(1)  # type: ignore[comparison-overlap]
    assert hash(_Base(1, "a")) == hash(_Twin(1, "a")) == hash((1, "a"))
    assert (
        repr(_Child(1, "a", (_Base(2),)))
        == "_Child(number=1, name='a', inner=(_Base(number=2, name='x'),))"
    )
    assert repr(_Base(1, "a")).replace("_Base", "_Twin") == repr(_Twin(1, "a"))
    assert len({_Base(1), _Base(1), _Base(2)}) == 2


def test_records_are_frozen_and_slotted() -> None:
    row = _Base(1)
    with pytest.raises(FrozenInstanceError):
        row.number = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del row.number
    with pytest.raises(AttributeError):
        row.other = 1  # type: ignore[attr-defined]
    assert not hasattr(row, "__dict__")
    assert issubclass(FrozenInstanceError, AttributeError)


def test_records_pickle_and_copy() -> None:
    """Ingest results (model objects) travel pickled from the reading processes."""
    meeting = Meeting(
        source="a.txt",
        council="KKR Midtjylland",
        meeting_date="2025-06-18",
        doc_type="agenda",
        warnings=(ParseWarning("no_date", (("page", 2),)),),
    )
    assert pickle.loads(pickle.dumps(meeting)) == meeting
    assert copy.deepcopy(meeting) == meeting
    assert copy.copy(_Child(1)) == _Child(1)


def test_replace_asdict_and_fields_here_and_in_dataclasses() -> None:
    child = _Child(1, "a", (_Base(2),))
    for changed in (replace(child, name="b"), dataclasses.replace(child, name="b")):
        assert changed == _Child(1, "b", (_Base(2),))
    expected = {"number": 1, "name": "a", "inner": ({"number": 2, "name": "x"},)}
    assert asdict(child) == dataclasses.asdict(child) == expected
    assert fields(child) == fields(_Child) == ("number", "name", "inner")
    assert [f.name for f in dataclasses.fields(_Child)] == ["number", "name", "inner"]
    assert dataclasses.is_dataclass(child)
    with pytest.raises(TypeError):
        replace(child, nmae="b")


def test_the_model_and_the_read_records_are_records() -> None:
    ref = ItemRef(1, "KKR Midtjylland", "2025-06-18", "agenda", "3.2", "Økonomi")
    row = ItemRow(ref, 4, 5, None)
    assert row.title == "Økonomi" and row.ref is ref
    assert fields(ItemDetail)[:4] == fields(ItemRow), "a base's fields come first"
    assert row.as_json()["title"] == "Økonomi"
    assert Page(1, "tekst").links == ()
    item = Item("3.2", "Økonomi", parts=(Part("Baggrund", "Baggrund"),))
    assert dataclasses.replace(item, title="Ny") == Item("3.2", "Ny", parts=item.parts)


def test_a_record_refuses_what_a_dataclass_refuses() -> None:
    with pytest.raises(TypeError):

        @record
        class _Order:
            first: int = 0
            second: str  # type: ignore[misc]

    with pytest.raises(ValueError):

        @record
        class _Mutable:
            values: list[int] = []  # noqa: RUF012 - the point of the test
