"""Only ASCII digits make a number, within bounds; everything else is no number at all."""
import pytest

from workflow import numbers


@pytest.mark.parametrize("written", ["²", "٣", "①", "³", "٣٤", "１２", "१२", "-1", "+1", "1.5", "1e3", "0x1f", "",
                                     " ", "1 2", "7\n", "\n7", "1" * 19, None, True, False, 1.5, [], {}])
def test_anything_but_ascii_digits_is_no_number(written):
    assert numbers.whole(written) is None


@pytest.mark.parametrize("written, number", [("0", 0), ("7", 7), (" 12 ", 12), ("007", 7), (3, 3),
                                             ("9" * 18, 10 ** 18 - 1)])
def test_ascii_digits_are_read_as_written(written, number):
    assert numbers.whole(written) == number


def test_bounds_refuse_what_lies_outside():
    assert numbers.whole("0", low=1) is None and numbers.whole("1", low=1) == 1
    assert numbers.whole("501", high=500) is None and numbers.whole(500, high=500) == 500
    assert numbers.whole(-1) is None


def test_only_ascii_digit_strings_are_ids():
    assert numbers.is_id("12") and not numbers.is_id("²") and not numbers.is_id(" 12") and not numbers.is_id(12)


def test_what_is_no_number_goes_on_as_sent_for_a_validator_to_refuse():
    assert numbers.or_as_sent(" 12 ") == 12
    assert [numbers.or_as_sent(value) for value in ("²", "x", None, [1])] == ["²", "x", None, [1]]
