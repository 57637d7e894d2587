from hypothesis import given, strategies

from app.text import subst


def test_replaces_each_placeholder_by_its_value():
    assert subst("%1 – %2", "1 May", "3 May") == "1 May – 3 May"
    assert subst("%2 before %1", "a", "b") == "b before a"


def test_values_are_turned_into_text():
    assert subst("%1 of %2", 3, 7.5) == "3 of 7.5"
    assert subst("%1", None) == "None"


def test_a_value_holding_a_placeholder_is_not_substituted_again():
    assert subst("%1, %2", "50%2 off", "x") == "50%2 off, x"
    assert subst("%1", "%1%1") == "%1%1"


def test_repeated_placeholder_and_missing_value():
    assert subst("%1 and %1", "a") == "a and a"
    assert subst("%1 %2", "a") == "a %2"


def test_percent_percent_and_percent_zero_are_left_alone():
    assert subst("100%% %1", "x") == "100%% x"
    assert subst("%0 %1", "x") == "%0 x"


def test_two_digit_placeholder_reads_as_one_digit_and_a_digit():
    # Qt's own arg() also stops at one digit here; we only have %1..%9
    assert subst("%10", "a") == "a0"


_text = strategies.text(alphabet=strategies.sampled_from("ab%123 9"), max_size=12)


@given(values=strategies.lists(_text, min_size=1, max_size=9), filler=_text)
def test_values_with_percent_sequences_stay_intact(values, filler):
    sep = "\x00"
    template = sep.join(f"%{i + 1}" for i in range(len(values)))
    assert subst(template, *values).split(sep) == values
    # text around the placeholders is untouched when it holds none
    plain = filler.replace("%", "")
    assert subst(plain + "%1" + plain, values[0]) == plain + values[0] + plain


@given(values=strategies.lists(strategies.integers(), min_size=1, max_size=9))
def test_placeholders_become_str_of_value(values):
    template = " ".join(f"<%{i + 1}>" for i in reversed(range(len(values))))
    expected = " ".join(f"<{v}>" for v in reversed(values))
    assert subst(template, *values) == expected
