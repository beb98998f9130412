"""sbomgen.emit.jsontext against the json module, the reference: the same text for
seeded random documents (nesting, empty containers, every scalar, texts that need
escapes, non-ASCII and line separators), and no reference cycle made per call."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import random
from typing import Any

import pytest

from sbomgen.emit.jsontext import compact_digest, pretty, write_pretty

TEXTS = ["", "a", 'é\n"x\\', "\u2028\u2029", "\ud7ff\ue000", "\x7f\x1f", "𝄞 tab\t"]


def _value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth > 3 or r < 0.35:
        return rng.choice([*TEXTS, 0, -1, 2.5, 1e300, True, False, None])
    if r < 0.65:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice(["k", "b", "a", "Z", "é", ""]) + str(i): _value(rng, depth + 1)
        for i in range(rng.randint(0, 3))
    }


@pytest.mark.parametrize("seed", range(4))
def test_the_same_text_as_the_json_module(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        data = {f"{rng.choice('zka')}{i}": _value(rng) for i in range(rng.randint(0, 5))}
        expected = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        assert compact_digest(data) == hashlib.sha256(expected).hexdigest()
        out = io.BytesIO()
        write_pretty(data, out)
        assert out.getvalue() == (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
        value = _value(rng)
        assert pretty(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        assert pretty(value, sort_keys=False) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_key_that_is_not_text_is_refused() -> None:
    with pytest.raises(TypeError, match="not text"):
        pretty({1: "a"})


def test_no_reference_cycle_is_made() -> None:
    """json.dumps(indent=2) leaves a cycle per call; these leave none."""
    data = {"a": [{"b": [1, {"c": "d"}]}] * 3}
    gc.collect()
    gc.disable()
    try:
        for _ in range(50):
            pretty(data)
            write_pretty(data, io.BytesIO())
            compact_digest(data)
        assert gc.collect() == 0
        for _ in range(5):
            json.dumps(data, indent=2)
        assert gc.collect() > 0  # the reference's cycles: the check can fail
    finally:
        gc.enable()
