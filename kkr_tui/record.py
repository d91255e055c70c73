"""Frozen, slotted records made without :mod:`dataclasses`: ``@record``.

Why not ``@dataclass(frozen=True, slots=True)``: a dataclass writes each class's
methods out as source text and compiles them with ``exec`` when its module is imported
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``,
pickling: seven compilations a class), and importing :mod:`dataclasses` loads
``inspect``, ``ast``, ``dis`` and ``tokenize``. The ~45 records a one-off
``kkr-tui search`` imports (the model, the read records, the search's own) cost ~25 ms
that way, a fifth of the whole command (bench/README.md, issue 20).

A record is the same class a frozen slotted dataclass is: ``__init__`` takes the
fields in order (a base record's first), positionally or by name, with their defaults;
equal to a record of the same class with equal fields, hashed as the tuple of its
fields; ``repr`` ``Name(field=value, ...)``; assigning raises
:class:`FrozenInstanceError`; it pickles (ingest results cross processes) and has
``__match_args__``. Nothing is compiled per class: ``__init__`` is one template per
number of fields, compiled once, its parameters renamed to the fields
(``CodeType.replace``), so it is as fast as a written-out one and keyword arguments
work; the other methods are shared closures over the field names. The type checker
sees a frozen dataclass (``dataclass_transform``), so mypy checks constructors and
refuses assignments as before.

Not supported (not used by records): ``field()``, ``default_factory``,
``__post_init__``, ordering, keyword-only fields. A mutable default is refused as a
dataclass refuses it. The functions of :mod:`dataclasses` (``replace``, ``asdict``,
``fields``, ``is_dataclass``) work on records as before (:class:`_DataclassFields`);
the read path uses :func:`replace` and :func:`asdict` here, which need no import.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from types import CodeType, FunctionType, MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")

#: The field names of a record class, its bases' first.
FIELDS = "__record_fields__"
_DEFAULTS = "__record_defaults__"
_NO_DEFAULT = object()
#: The methods a record makes (a class defining one itself is refused, not overridden).
_MADE = frozenset(
    ("__init__", "__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__")
    + ("__getstate__", "__setstate__", "__match_args__", "__dataclass_fields__")
)


class FrozenInstanceError(AttributeError):
    """Assigning to (or deleting) a field of a record, as dataclasses' error of that name."""


_TEMPLATES: dict[int, CodeType] = {}


def _template(count: int) -> CodeType:
    """``def __init__(self, a0, a1, …): s0(self, a0); …`` for ``count`` fields, compiled
    once a count; ``sN`` are the slots' setters, found in the function's globals."""
    code = _TEMPLATES.get(count)
    if code is None:
        params = "".join(f", a{i}" for i in range(count))
        body = "".join(f"\n    s{i}(self, a{i})" for i in range(count)) or "\n    pass"
        namespace: dict[str, Any] = {}
        exec(f"def __init__(self{params}):{body}", namespace)  # noqa: S102 - fixed text
        code = namespace["__init__"].__code__
        _TEMPLATES[count] = code
    return code


def _member(cls: type, name: str) -> MemberDescriptorType:
    """The slot descriptor of field ``name`` (on ``cls`` or the base that declared it)."""
    for klass in cls.__mro__:
        found = vars(klass).get(name)
        if isinstance(found, MemberDescriptorType):
            return found
    raise TypeError(f"{cls.__qualname__}: field {name!r} has no slot")


def _own_fields(cls: type) -> list[str]:
    """The fields ``cls`` declares itself: its annotations, ClassVars left out."""
    annotations = vars(cls).get("__annotations__", {})
    return [name for name, kind in annotations.items() if "ClassVar" not in str(kind)]


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a frozen, slotted record of its annotated fields (see the module)."""
    inherited: tuple[str, ...] = getattr(cls, FIELDS, ())
    defaults: dict[str, Any] = dict(getattr(cls, _DEFAULTS, {}))
    own = [name for name in _own_fields(cls) if name not in inherited]
    namespace = dict(vars(cls))
    clash = _MADE.intersection(namespace)
    if clash:
        raise TypeError(f"{cls.__qualname__} defines {sorted(clash)}, which a record makes")
    for name in own:
        value = namespace.pop(name, _NO_DEFAULT)
        if value is not _NO_DEFAULT:
            if isinstance(value, list | dict | set):
                raise ValueError(f"mutable default {type(value)} for field {name} is not allowed")
            defaults[name] = value
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(own)
    metaclass: Any = type(cls)
    made: type[_T] = metaclass(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    names = (*inherited, *own)
    _add_methods(made, names, defaults)
    return made


class _DataclassFields:
    """A record class's ``__dataclass_fields__``, made when first asked for.

    The functions of :mod:`dataclasses` find a dataclass by this attribute and its
    ``Field`` objects; the tests and the reader (``dataclasses.replace`` of a model
    object) use them as they did when these were dataclasses. Whoever asks has
    imported :mod:`dataclasses` already, so making the fields here costs no import on
    the read path. Cached on the class at first use."""

    def __get__(self, obj: object, owner: type) -> dict[str, Any]:
        import dataclasses

        annotations: dict[str, Any] = {}
        for klass in reversed(owner.__mro__):
            annotations.update(vars(klass).get("__annotations__", {}))
        defaults = getattr(owner, _DEFAULTS)
        made: dict[str, Any] = {}
        for name in getattr(owner, FIELDS):
            field: Any = (
                dataclasses.field(default=defaults[name])
                if name in defaults
                else dataclasses.field()
            )
            field.name = name
            field.type = annotations.get(name)
            field._field_type = getattr(dataclasses, "_FIELD")  # noqa: B009 - what fields() reads
            made[name] = field
        type.__setattr__(owner, "__dataclass_fields__", made)
        return made


def _add_methods(cls: type, names: tuple[str, ...], defaults: dict[str, Any]) -> None:
    """``__init__``, equality, hash, repr, immutability and pickling for ``names``."""
    trailing: list[Any] = []
    for name in names:
        if name in defaults:
            trailing.append(defaults[name])
        elif trailing:
            raise TypeError(f"non-default argument {name!r} follows default argument")
    setters = [_member(cls, name).__set__ for name in names]
    code = _template(len(names)).replace(
        co_varnames=("self", *names), co_qualname=f"{cls.__qualname__}.__init__"
    )
    init = FunctionType(
        code, {f"s{i}": setter for i, setter in enumerate(setters)}, "__init__", tuple(trailing)
    )
    values: Callable[[Any], tuple[Any, ...]]
    if len(names) > 1:
        values = attrgetter(*names)
    elif names:
        only = attrgetter(names[0])

        def values(self: Any) -> tuple[Any, ...]:
            return (only(self),)
    else:

        def values(self: Any) -> tuple[Any, ...]:
            return ()

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, values(self), strict=True))
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self: Any, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return values(self)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for setter, value in zip(setters, state, strict=True):
            setter(self, value)

    methods: dict[str, Any] = {
        "__init__": init,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__repr__": __repr__,
        "__setattr__": __setattr__,
        "__delattr__": __delattr__,
        "__getstate__": __getstate__,
        "__setstate__": __setstate__,
    }
    for name, method in methods.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        type.__setattr__(cls, name, method)
    type.__setattr__(cls, "__match_args__", names)
    type.__setattr__(cls, "__dataclass_fields__", _DataclassFields())
    type.__setattr__(cls, FIELDS, names)
    type.__setattr__(cls, _DEFAULTS, defaults)


def fields(obj: object) -> tuple[str, ...]:
    """The field names of a record or record class, in order."""
    found: tuple[str, ...] | None = getattr(obj, FIELDS, None)
    if found is None:
        raise TypeError(f"not a record: {obj!r}")
    return found


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes`` (as ``dataclasses.replace``)."""
    for name in fields(obj):
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def asdict(obj: object) -> dict[str, Any]:
    """The record's fields as a dict, records inside it (also in tuples, lists and
    dicts) as dicts too (as ``dataclasses.asdict``; its values are plain, so shared)."""
    return {name: _plain(getattr(obj, name)) for name in fields(obj)}


def _plain(value: Any) -> Any:
    if hasattr(type(value), FIELDS):
        return asdict(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(_plain(v) for v in value))
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return value
