"""Learner codes: enough entropy, readable, and a parser that is lenient but never fooled."""

from __future__ import annotations

import hashlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.learner_code import (
    ALPHABET,
    GROUPS,
    LENGTH,
    learner_key,
    new_learner_code,
    parse_learner_code,
)


def compact(code: str) -> str:
    return code.replace("-", "")


def test_code_has_at_least_128_bits_in_crockford_base32() -> None:
    code = new_learner_code()
    assert len(compact(code)) == LENGTH == 26
    assert LENGTH * math.log2(len(ALPHABET)) >= 128
    assert set(compact(code)) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)
    assert [len(part) for part in code.split("-")] == list(GROUPS)


def test_codes_are_unique_and_use_the_whole_alphabet() -> None:
    codes = {new_learner_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert set("".join(compact(c) for c in codes)) == set(ALPHABET)


def test_parse_is_tolerant_of_case_dashes_spaces_and_lookalikes() -> None:
    code = new_learner_code()
    assert parse_learner_code(code) == code
    assert parse_learner_code(code.lower()) == code
    assert parse_learner_code(compact(code)) == code
    assert parse_learner_code(f"  {code.replace('-', ' ')}\n") == code
    assert parse_learner_code(code.replace("-", "\u2013")) == code  # en dash from a document
    assert parse_learner_code("-".join(compact(code))) == code
    assert parse_learner_code("o" + compact(code)[1:]) == "0" + code[1:]
    assert parse_learner_code("i" + compact(code)[1:]) == "1" + code[1:]
    assert parse_learner_code("L" + compact(code)[1:]) == "1" + code[1:]


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "----",
        "7K3M-9QXD",  # too short
        "0" * 25,
        "0" * 27,
        "U" * 26,  # U is not in Crockford base32
        "0" * 25 + "!",
        "' OR '1'='1' --",
        "'; DROP TABLE learners; --" + "0" * 5,
        "0" * 24 + "%_",
        "0" * 25 + "\u0131",  # dotless i upper-cases to ASCII "I"
        "\uff10" * 26,  # full-width digits
        "0" * 13 + "\x00" + "0" * 13,
        "0" * 10_000,
        "0" * 1_000_000,
    ],
)
def test_parse_rejects_malformed_and_forged_input(text: str | None) -> None:
    assert parse_learner_code(text) is None
    assert learner_key(text) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [12, 1.5, b"0" * 26, ["0" * 26], object()])
def test_parse_rejects_non_strings(value: object) -> None:
    assert parse_learner_code(value) is None  # type: ignore[arg-type]


def test_learner_key_is_sha256_of_the_canonical_code() -> None:
    code = new_learner_code()
    expected = hashlib.sha256(code.encode()).hexdigest()
    assert learner_key(code) == expected
    assert learner_key(compact(code).lower()) == expected
    assert learner_key(new_learner_code()) != expected


@given(st.one_of(st.none(), st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_parse_never_raises(text: str | None) -> None:
    result = parse_learner_code(text)
    assert result is None or parse_learner_code(result) == result


@given(
    st.integers(min_value=0, max_value=2**130 - 1),
    st.lists(st.sampled_from(["", "", "-", " "]), min_size=26, max_size=26),
    st.booleans(),
)
def test_parse_round_trips(value: int, separators: list[str], lower: bool) -> None:
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    canonical = parse_learner_code(symbols)
    assert canonical is not None and compact(canonical) == symbols
    typed = "".join(s + sep for s, sep in zip(symbols, separators, strict=True))
    assert parse_learner_code(typed.lower() if lower else typed) == canonical
    assert parse_learner_code(canonical) == canonical
