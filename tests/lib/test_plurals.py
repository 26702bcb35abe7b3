import pytest

from clea.lib.plurals import ngettext


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 certificat"), (1, "1 certificat"), (2, "2 certificats"), (300, "300 certificats")]
)
def test_french_plural_rule(n, text):
    assert ngettext("%(n)d certificat", "%(n)d certificats", n) % {"n": n} == text
