"""The client address behind trusted proxies, and the limits that key on it (shared cache, not the process)."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from clea.lib.clients import client_address, client_bucket

# Its transactional tests flush every table: the geography comes back when the module ends.
pytestmark = pytest.mark.usefixtures("geography_back_for_later_tests")


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "10.0.0.1", "198.51.100.1", "10.0.0.1"),  # no trusted proxy: the header is the client's word
        (1, "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged left part is ignored
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.2", "198.51.100.1", "198.51.100.1"),  # fewer hops than proxies: the leftmost
        (1, "10.0.0.1", "", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from(remote, forwarded)) == client
    assert "198.51.100.1" not in client_bucket(request_from(remote, forwarded))  # hashed, never the address


def test_ipv6_clients_count_per_64(settings):
    settings.TRUSTED_PROXIES = 0
    first = client_bucket(request_from("2001:db8:1:2::1"))
    assert first == client_bucket(request_from("2001:db8:1:2:ffff::9"))
    assert first != client_bucket(request_from("2001:db8:1:3::1"))


@pytest.mark.django_db
def test_the_verification_limit_holds_behind_the_proxy_per_client(client, settings):
    settings.TRUSTED_PROXIES = 1
    settings.CERTIFICATE_VERIFICATION_LIMIT = 2
    url = reverse("verification:result", kwargs={"code": "ABCD-EFGH-JKMN-PQRS-TVWX"})
    for _ in range(2):
        assert client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    refused = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.1")
    assert refused.status_code == 429 and refused["Retry-After"]
    # Another client behind the same proxy still has its allowance.
    assert client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_database_cache_is_shared_by_separate_cache_connections(settings):
    """Each process opens its own cache object; the database cache makes them count together."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "clea_cache"},
        "other": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "clea_cache"},
    }
    call_command("createcachetable", verbosity=0)
    first, second = caches["default"], caches["other"]
    assert first is not second
    first.set("shared-count", 1)
    assert second.incr("shared-count") == 2 and first.get("shared-count") == 2


@pytest.mark.django_db
def test_api_throttles_answer_429_in_json_per_client(client, monkeypatch, settings):
    # DRF reads the rates when it loads; the throttle classes are those of production.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"})
    url = reverse("api:referentiel-list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and "detail" in refused.json()
