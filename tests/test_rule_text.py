"""Free text a person types: cleaned, bounded, and shown safely beside amounts.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

import pytest
from conftest import message

from tracker.domain import text
from tracker.errors import InputError


class TestText:
    def test_text_refuses_control_characters_keeps_unicode(self):
        assert text.clean("  שלום עולם  ", "note") == "שלום עולם"
        assert text.clean("", "note") is None
        with pytest.raises(InputError, match="control character"):
            text.clean("bad\x1b[31m", "note")
        with pytest.raises(InputError, match="characters long"):
            text.clean("x" * 3000, "note")
        with pytest.raises(InputError):
            text.clean_name("line\nbreak")


class TestTextEdges:
    def test_clean_text(self):
        assert text.clean("line one\n\tline two", "the note") == "line one\n\tline two"
        with pytest.raises(InputError) as e:
            text.clean("a\x1bb", "the note")
        assert message(e) == "the note contains a control character ('\\x1b'): remove it"
        with pytest.raises(InputError):
            text.clean("half \ud800 a pair", "the note")
        assert text.clean("x" * 10, "the note", 10) == "x" * 10
        with pytest.raises(InputError) as e:
            text.clean("x" * 11, "the note", 10)
        assert message(e) == "the note is 11 characters long: keep it under 10"
        assert text.clean("x" * text.NOTE_MAX, "the note")
        with pytest.raises(InputError):
            text.clean("x" * (text.NOTE_MAX + 1), "the note")

    def test_clean_name(self):
        assert text.clean_name("x" * text.NAME_MAX) == "x" * text.NAME_MAX
        with pytest.raises(InputError) as e:
            text.clean_name("x" * (text.NAME_MAX + 1))
        assert message(e) == "the name is 81 characters long: keep it under 80"
        with pytest.raises(InputError) as e:
            text.clean_name("  ")
        assert message(e) == "the name cannot be empty"
        with pytest.raises(InputError) as e:
            text.clean_name("a\tb", "the caregiver's name")
        assert message(e) == "the caregiver's name contains a control character ('\\t'): remove it"

    def test_one_line(self):
        assert text.one_line("a\nb\x1b[31m\u202ec שלום") == "a\\nb\\x1b[31m\\u202ec שלום"
        assert text.one_line("x" * text.MESSAGE_MAX) == "x" * text.MESSAGE_MAX
        cut = text.one_line("x" * (text.MESSAGE_MAX + 1))
        assert cut == "x" * (text.MESSAGE_MAX - 1) + "…" and len(cut) == text.MESSAGE_MAX


class TestDirectionControls:
    def test_names_refuse_direction_controls_and_keep_right_to_left_letters(self):
        assert text.clean_name("מיה") == "מיה" and text.clean_name("مايا") == "مايا"
        for control in ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                        "\u2066", "\u2067", "\u2068", "\u2069"):
            with pytest.raises(InputError) as e:
                text.clean_name(f"Mia{control}", "the child's name")
            assert message(e) == (
                f"the child's name contains a text-direction control ({control!r}): remove "
                "it; right-to-left letters are fine"
            )

    def test_text_beside_amounts_is_isolated_only_when_it_needs_to_be(self):
        assert text.isolate("ate at 07:30") == "ate at 07:30"
        assert text.isolate("a\u202eb") == "\u2068a\u202eb\u2069"


def test_a_note_with_a_direction_control_cannot_reverse_the_history_line(mia):
    mia.ok("give", "--site", "left-thigh", "--at", "07:35", "--note", "x\u202ey")
    line = next(ln for ln in mia.ok("history").out.splitlines() if "D1" in ln)
    assert line.endswith("  - \u2068x\u202ey\u2069")
    mia.fails("init", "--child", "Leo\u202e", "--birth-date", "2019-01-01", "--weight", "18",
              "--dose-mg-per-kg", "0.04", code=2)
    rows = mia.rows("SELECT note FROM dose")
    assert rows == [("x\u202ey",)]  # kept as typed


def test_counts_as_a_person_writes_them():
    assert text.counted(1, "dose slot") == "1 dose slot"
    assert text.counted(0, "dose slot") == "0 dose slots"
    assert text.counted(2, "resource") == "2 resources"
    assert text.counted(7304, "dose slot") == "7,304 dose slots"
