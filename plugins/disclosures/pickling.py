"""Quick pickling for frozen, slotted dataclasses (the model's records).

Python pickles such a class through `_dataclass_getstate/_dataclass_setstate`, which walk
`fields()` and call `object.__setattr__` per field: loading 10,000 cached projects spent
half its time there. Reducing a record to (class, field values) lets pickle call the
generated `__init__` instead, three to four times quicker.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T")


def quick_pickle(cls: type[T]) -> type[T]:
    """Class decorator, outermost (above @dataclass, which makes a new class for slots)."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    assert len(names) == len(dataclasses.fields(cls)), f"{cls.__name__}: init=False field"
    values = attrgetter(*names)

    def __reduce__(self):  # noqa: N807 - the pickle protocol's name
        got = values(self)
        return (cls, got if isinstance(got, tuple) else (got,))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
