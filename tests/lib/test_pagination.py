"""Counts stop at a cap: a list at a million rows costs what it costs at ten thousand."""

import pytest
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from clea.api import pagination as api_pagination
from clea.lib.pagination import CappedPaginator, capped_count
from clea.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    Organisation.objects.bulk_create(Organisation(name=f"Organisme {i}", kind="employer") for i in range(5))
    return Organisation.objects.filter(name__startswith="Organisme ").order_by("name")


@pytest.mark.parametrize(("cap", "expected"), [(10, (5, True)), (5, (5, True)), (4, (4, False)), (1, (1, False))])
def test_capped_count(five, cap, expected):
    assert capped_count(five, cap) == expected
    assert capped_count(list(five), cap) == expected


def test_paginator_says_when_it_stopped_counting(five):
    pages = CappedPaginator(five, 2, cap=3)
    assert (pages.count, pages.truncated, pages.num_pages) == (3, True, 2)
    whole = CappedPaginator(five, 2, cap=100)
    assert (whole.count, whole.truncated, whole.num_pages) == (5, False, 3)


def page(queryset, number, monkeypatch, cap=3, size=2):
    monkeypatch.setattr(api_pagination, "COUNT_CAP", cap)
    paginator = api_pagination.CappedPageNumberPagination()
    paginator.page_size = size
    request = Request(APIRequestFactory().get("/api/v1/x/", {"page": number} if number else {}))
    rows = paginator.paginate_queryset(queryset, request)
    return rows, paginator.get_paginated_response([o.name for o in rows]).data


def test_api_count_is_capped_but_every_page_is_reachable(five, monkeypatch):
    rows, body = page(five, None, monkeypatch)
    assert (body["count"], body["count_exact"], body["previous"]) == (3, False, None)
    assert body["next"].endswith("page=2")
    _, body = page(five, 2, monkeypatch)
    assert body["next"].endswith("page=3") and body["previous"].endswith("/api/v1/x/")
    rows, body = page(five, 3, monkeypatch)
    # The last page knows the total without counting.
    assert ([o.name for o in rows], body["count"], body["count_exact"], body["next"]) == (
        ["Organisme 4"],
        5,
        True,
        None,
    )


def test_api_count_exact_under_the_cap(five, monkeypatch):
    _, body = page(five, None, monkeypatch, cap=100)
    assert (body["count"], body["count_exact"]) == (5, True)


@pytest.mark.parametrize("number", ["4", "0", "-1", "deux", "1.5", "981570954916737105646560705773568"])
def test_api_page_out_of_range_or_malformed_is_404_in_french(five, monkeypatch, number):
    with pytest.raises(NotFound) as error:
        page(five, number, monkeypatch)
    assert "page" in str(error.value.detail).lower()
