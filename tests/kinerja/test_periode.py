"""The month's stage rule on its own (kinerja.services.effective_tahap), which periode_tahap and the board share."""

import datetime

import pytest

from kinerja.models import LOCKED_STAGES, TahapPeriode
from kinerja.services import VerificationWindow, effective_tahap

D = datetime.date
# October 2025: last working day Friday the 31st, verification open from Saturday 1 November.
WINDOW = VerificationWindow(last_working_day=D(2025, 10, 31), opens=D(2025, 11, 1), deadline=D(2025, 11, 5))


def unread():
    pytest.fail("the calendar was read although the answer did not depend on it")


def stage(recorded, today, window=lambda: WINDOW) -> str:
    return effective_tahap(recorded, year=2025, month=10, today=today, window=window)


def test_a_month_without_a_row_is_open_until_its_window_opens():
    assert stage(None, D(2025, 10, 31), window=unread) == TahapPeriode.OPEN  # the month has not ended
    assert stage(None, D(2025, 10, 31)) == TahapPeriode.OPEN
    assert stage(TahapPeriode.OPEN, D(2025, 11, 1)) == TahapPeriode.VERIFICATION
    assert stage(None, D(2026, 3, 1)) == TahapPeriode.VERIFICATION


def test_an_ended_month_before_its_opening_day_is_still_open():
    late = VerificationWindow(D(2025, 10, 31), opens=D(2025, 11, 4), deadline=D(2025, 11, 7))
    assert stage(None, D(2025, 11, 3), window=lambda: late) == TahapPeriode.OPEN
    assert stage(None, D(2025, 11, 4), window=lambda: late) == TahapPeriode.VERIFICATION


@pytest.mark.parametrize("recorded", [TahapPeriode.VERIFICATION, *LOCKED_STAGES])
def test_a_recorded_later_stage_stands_without_reading_the_calendar(recorded):
    assert stage(recorded, D(2026, 3, 1), window=unread) == recorded


def test_the_locked_stages_are_those_after_compiling():
    assert LOCKED_STAGES == (TahapPeriode.COMPILED, TahapPeriode.PLENO, TahapPeriode.FINAL)
