"""Quick pickling for frozen, slotted dataclasses (the model's records).

Python pickles such a class through `_dataclass_getstate/_dataclass_setstate`, which walk
`fields()` and call `object.__setattr__` per field: loading 10,000 cached projects spent
half its time there. Reducing a record to (class, field values) lets pickle call the
generated `__init__` instead, three to four times quicker.

`shared` names fields holding a few distinct words repeated in every file (an indicator's
levels, a section's label, a target's unit; or, for a tuple of (key, label, …) rows, their
key and label): a loaded record takes the one interned copy of each, so a builder keeping
10,000 projects in memory holds each such word once, not once per project.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def quick_pickle(cls: type[T] | None = None, *, shared: tuple[str, ...] = ()) -> Any:
    """Class decorator, outermost (above @dataclass, which makes a new class for slots)."""
    if cls is None:
        return lambda cls: quick_pickle(cls, shared=shared)
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    assert len(names) == len(dataclasses.fields(cls)), f"{cls.__name__}: init=False field"
    assert all(name in names for name in shared), f"{cls.__name__}: {shared}"
    values = attrgetter(*names)
    positions = tuple(names.index(name) for name in shared)

    def __reduce__(self):  # noqa: N807 - the pickle protocol's name
        got = values(self)
        got = got if isinstance(got, tuple) else (got,)
        return (_shared_init, (cls, positions, got)) if positions else (cls, got)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


def shared_text(value: Any) -> Any:
    """One copy of a repeated word: a string interned; in a tuple of rows (key, label, …),
    each row's first two strings."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is tuple and value and type(value[0]) is tuple:
        return tuple(
            (sys.intern(row[0]), sys.intern(row[1]), *row[2:])
            if len(row) >= 2 and type(row[0]) is str and type(row[1]) is str
            else row
            for row in value
        )
    return value


def _shared_init(cls: Callable[..., T], positions: tuple[int, ...], values: tuple) -> T:
    listed = list(values)
    for position in positions:
        listed[position] = shared_text(listed[position])
    return cls(*listed)
