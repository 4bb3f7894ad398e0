"""Vials: the discard day, the expiry, what is left, and the supply.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import NEW_YORK, NOW, PARIS, TODAY_DEC3, local, said

from tracker.domain import timeparse, vials
from tracker.errors import InputError


class TestVialEdges:
    ZONE = PARIS

    def test_doses_left(self):
        assert vials.doses_left(0.8, 0.08) == 10
        assert vials.doses_left(0.79, 0.08) == 9
        assert vials.doses_left(1.0, 0) == 0

    def test_days_of_supply(self):
        assert vials.days_of_supply(1.0, None, 0, 0.0, 2, NOW) == float("inf")
        assert vials.days_of_supply(1.6, None, 0, 0.08, 2, NOW) == pytest.approx(10)
        # the open vial counts only until its discard day, never less than nothing
        soon = NOW + timedelta(hours=12)
        assert vials.days_of_supply(1.6, soon, 0, 0.08, 2, NOW) == pytest.approx(0.5)
        past = NOW - timedelta(days=2)
        assert vials.days_of_supply(1.6, past, 0, 0.08, 2, NOW) == 0
        # an unopened vial gives 25 days at 0.08 mL twice a day (50 doses), capped at 30
        assert vials.days_of_supply(0, None, 1, 0.08, 2, NOW) == pytest.approx(25)
        assert vials.days_of_supply(0, None, 1, 0.02, 2, NOW) == 30

    def test_vial_warnings_at_their_edges(self):
        discard = datetime(2026, 11, 30, 7, tzinfo=UTC)
        state = vials.VialState(remaining_ml=1.0, discard_at=discard, doses_left=12)
        from tracker.cli.say import text

        none_open = vials.vial_warnings(None, 0.08, NOW, self.ZONE)
        assert none_open == [
            "no vial is recorded as open: when you open one, record the vial that was opened"]
        assert [text(w) for w in none_open] == [
            "no vial is recorded as open: when you open one, run 'tracker vial open'"]
        assert [text(w) for w in vials.vial_warnings(state, 0.08, discard, self.ZONE)] == [
            "the open vial had to be discarded on Mon 30 Nov 08:00: open a new vial "
            "(run 'tracker vial open')"]
        three_days = discard - vials.DISCARD_SOON
        assert vials.vial_warnings(state, 0.08, three_days, self.ZONE) == [
            "the open vial must be discarded in 3 d 0 h (Mon 30 Nov 08:00)"]
        assert vials.vial_warnings(state, 0.08, three_days - timedelta(minutes=1),
                                   self.ZONE) == []
        low = state._replace(remaining_ml=0.08)
        assert vials.vial_warnings(low, 0.08, NOW, self.ZONE) == []
        lower = state._replace(remaining_ml=0.0799)  # never "0.08 mL, less than 0.08 mL"
        assert vials.vial_warnings(lower, 0.08, NOW, self.ZONE) == [
            "the open vial holds about 0.0799 mL, less than one dose (0.08 mL): open a new "
            "vial"]

    def test_supply_warning(self):
        assert vials.supply_warning(10, 1) is None
        assert vials.supply_warning(9.9, 1) == (
            "medicine at home lasts about 10 days (1 unopened vial): order more")
        assert vials.supply_warning(3, 2) == (
            "medicine at home lasts about 3 days (2 unopened vials): order more")
        assert vials.supply_warning(3, 0).endswith("(0 unopened vials): order more")


class TestVials:
    OPENED = datetime(2026, 10, 25, 6, 30, tzinfo=UTC)  # 07:30 in Paris, after the change

    def test_on_the_discard_minute_and_a_minute_before(self):
        limit = vials.discard_at(self.OPENED, None, PARIS)
        assert local(limit) == "2026-11-24 07:30"
        assert vials.past_use(self.OPENED, None, limit - timedelta(minutes=1), PARIS) is None
        assert vials.past_use(self.OPENED, None, limit, PARIS) == (
            "drawn from a vial past its discard day, 30 days after opening "
            "(Tue 24 Nov 2026 07:30)")

    def test_an_expiry_before_the_thirty_days(self):
        expires = date(2026, 11, 10)
        at = datetime(2026, 11, 10, 22, 59, tzinfo=UTC)  # 23:59 in Paris: still the day
        assert vials.past_use(self.OPENED, expires, at, PARIS) is None
        assert vials.past_use(self.OPENED, expires, at + timedelta(minutes=1), PARIS) == (
            "drawn from a vial past its expiry date (10 Nov 2026)")
        # an expiry after the thirty days: the discard day says it
        late = date(2027, 6, 30)
        after = vials.discard_at(self.OPENED, None, PARIS)
        assert vials.past_use(self.OPENED, late, after, PARIS).startswith(
            "drawn from a vial past its discard day")
        # an expiry on the thirtieth day itself, after the opening hour: the discard day
        same = date(2026, 11, 24)
        assert vials.past_use(self.OPENED, same, after, PARIS).startswith(
            "drawn from a vial past its discard day")

    def test_a_shortfall_at_its_edge(self):
        assert vials.shortfall(0.08, 0.08) is None
        assert vials.shortfall(0.08 - 1e-10, 0.08) is None  # rounding noise
        assert vials.shortfall(0.07, 0.08) == (
            "drawn 0.08 mL from a vial that held about 0.07 mL: the dose may have been short")

    @pytest.mark.parametrize("typed_reason,advice", [
        ("left out", "left out of the refrigerator"), ("Left out overnight", "left out"),
        ("frozen", "was frozen"), ("warm all day", "left out"),
        ("not refrigerated", "left out"), ("DROPPED", "dropped or cracked"),
        ("cracked", "dropped or cracked"), ("broken cap", "dropped or cracked"),
        ("cloudy", "particles, clouding"), ("particles", "particles"),
        ("discoloured", "colour change"), ("discolored", "colour change"),
        ("expired", "expired vial"), ("out of date", "expired vial"),
        ("contaminated", "contaminated"), ("the cat", "ask the pharmacist or clinic"),
    ])
    def test_each_reason_gets_its_advice(self, typed_reason, advice):
        shown, what = vials.discard_reason(f"  {typed_reason} ")
        assert shown == typed_reason.strip()
        assert advice in what


class TestSecondReadEdges:
    def test_an_expiry_in_january_and_with_a_two_digit_year(self):
        assert timeparse.parse_expiry("2027-01", TODAY_DEC3) == date(2027, 1, 31)
        assert timeparse.parse_expiry("01/2027", TODAY_DEC3) == date(2027, 1, 31)
        assert timeparse.parse_expiry("30/06/27", TODAY_DEC3, PARIS) == date(2027, 6, 30)
        assert timeparse.parse_expiry("tomorrow", TODAY_DEC3) == date(2026, 12, 4)
        assert timeparse.parse_expiry("31/12/99", TODAY_DEC3, PARIS) == date(2099, 12, 31)

    @pytest.mark.parametrize("printed", ["03/27", "3/27", "MAR 27", "Mar-27", "mar. 2027",
                                         "EXP 03/27", "Exp. 2027-03", "exp: 03/2027",
                                         "expiry MAR 27", "Use by 31/03/2027"])
    def test_an_expiry_as_boxes_print_it(self, printed):
        assert timeparse.parse_expiry(printed, TODAY_DEC3, NEW_YORK) == date(2027, 3, 31)

    def test_an_expiry_word_alone_or_inside_a_word_is_not_a_date(self):
        for typed_text in ("expires", "express 03/27"):
            with pytest.raises(InputError) as e:
                timeparse.parse_expiry(typed_text, TODAY_DEC3)
            assert said(e).startswith(f"'{typed_text}' is not a date: type it like")
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry("13/27", TODAY_DEC3)
        assert said(e) == "'13/27' is not a month that exists: check it"
        with pytest.raises(InputError) as e:  # day first in Paris, month first in New York
            timeparse.parse_expiry("06/12/27", TODAY_DEC3, PARIS)
        assert said(e).startswith("'06/12/27' could be 6 December 2027 or 12 June 2027")

    def test_an_expiry_that_comes_after_the_thirty_days_on_a_dst_day(self):
        opened = datetime(2026, 10, 24, 21, 45, tzinfo=UTC)  # 23:45 in Paris, before DST
        limit = vials.discard_at(opened, date(2026, 11, 23), PARIS)
        assert local(limit) == "2026-11-23 23:45"  # 30 days on the calendar, not 720 h
        assert vials.past_use(opened, date(2026, 11, 23), limit, PARIS).startswith(
            "drawn from a vial past its discard day")
        limit = vials.discard_at(opened, date(2026, 11, 22), PARIS)
        assert vials.past_use(opened, date(2026, 11, 22), limit, PARIS) == (
            "drawn from a vial past its expiry date (22 Nov 2026)")
