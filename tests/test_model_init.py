"""The model's quick constructors (model._quick_init) build what the dataclasses' own do."""

from __future__ import annotations

import inspect
import sys
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomgen import model
from sbomgen.model import DATACLASS_INITS, _quick_init

CLASSES = sorted(DATACLASS_INITS, key=lambda c: c.__name__)

value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.tuples(st.integers())
)


def _both(cls: type, kwargs: dict[str, Any]) -> tuple[Any, Any]:
    reference: Any = object.__new__(cls)
    DATACLASS_INITS[cls](reference, **kwargs)
    return reference, cls(**kwargs)


def test_the_hot_records_have_quick_constructors() -> None:
    assert {c.__name__ for c in CLASSES} >= {
        "Library",
        "Occurrence",
        "Edge",
        "MendLicense",
        "References",
        "Location",
        "Provenance",
    }
    for cls in CLASSES:
        assert vars(cls)["__init__"] is not DATACLASS_INITS[cls]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_signature_is_the_dataclasses(cls: type) -> None:
    assert inspect.signature(vars(cls)["__init__"]) == inspect.signature(DATACLASS_INITS[cls])


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_same_instance_from_any_arguments(cls: type, data: st.DataObject) -> None:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is MISSING or data.draw(st.booleans()):
            kwargs[f.name] = data.draw(value)
    reference, quick = _both(cls, kwargs)
    assert quick == reference
    # the same fields in the same order: the dict is the class's shared-key layout
    assert list(quick.__dict__.items()) == list(reference.__dict__.items())
    assert sys.getsizeof(quick.__dict__) <= sys.getsizeof(reference.__dict__)
    assert hash(quick) == hash(reference)
    with pytest.raises(AttributeError):  # still frozen
        quick.__setattr__(fields(cls)[0].name, 1)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_wrong_arguments_are_refused_alike(cls: type) -> None:
    required = {f.name: 1 for f in fields(cls) if f.default is MISSING}
    for bad_args, bad_kwargs in [
        ((1,), required),  # positional
        ((), {**required, "no_such_field": 1}),
    ]:
        with pytest.raises(TypeError):
            cls(*bad_args, **bad_kwargs)
        with pytest.raises(TypeError):
            DATACLASS_INITS[cls](object.__new__(cls), *bad_args, **bad_kwargs)
    if required:
        with pytest.raises(TypeError, match=next(iter(required))):
            cls()


def test_a_large_fetchs_library_takes_no_more_memory() -> None:
    lib = model.Library(key_uuid=model.KeyUuid("k"), name="n", version="1")
    reference = object.__new__(model.Library)
    DATACLASS_INITS[model.Library](reference, key_uuid="k", name="n", version="1")
    assert sys.getsizeof(lib.__dict__) == sys.getsizeof(reference.__dict__) < 500


def test_classes_it_cannot_build_alike_are_refused() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Factory:
        items: list[int] = field(default_factory=list)

    @dataclass(frozen=True, kw_only=True)
    class After:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (Factory, After):
        with pytest.raises(TypeError):
            _quick_init(cls)
