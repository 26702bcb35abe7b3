"""The test identity provider (tests/oidc_idp), one process per test worker, and a person signing in there.

OpenID Connect tests run on the real clock (``real_clock``): the provider signs its tokens with the time of
its own process, as ProConnect and FranceConnect do."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from tests.oidc_idp.serve import CLIENTS

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Person:
    username: str
    password: str = "mot-de-passe-idp"
    claims: dict[str, Any] = field(default_factory=dict)
    fault: str = ""


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values[str(attributes["name"])] = attributes.get("value") or ""


class IdentityProvider:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.discovery_url = f"{base_url}/o/.well-known/openid-configuration"

    def seed(self, people: list[Person], *, redirect_uris: list[str], post_logout_redirect_uris: list[str]) -> None:
        response = requests.post(
            f"{self.base_url}/test/seed/",
            json={
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": post_logout_redirect_uris,
                "people": [person.__dict__ for person in people],
            },
            timeout=10,
        )
        response.raise_for_status()

    def sign_in(self, authorize_url: str, person: Person) -> str:
        """Log in at the provider as a browser would; return where it sends the browser back (not followed)."""
        browser = requests.Session()
        response = browser.get(authorize_url, allow_redirects=True, timeout=10)
        form = _Inputs()
        form.feed(response.text)
        response = browser.post(
            response.url,
            data={**form.values, "username": person.username, "password": person.password},
            headers={"Referer": response.url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:500]
        response = browser.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def settings_for(self) -> dict[str, dict[str, str]]:
        return {
            name: {
                "discovery_url": self.discovery_url,
                "client_id": name,
                "client_secret": secret,
                "scope": "openid email given_name usual_name family_name preferred_username birthdate gender "
                "birthplace birthcountry",
                "acr_values": "",
            }
            for name, secret in CLIENTS.items()
        }


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["OIDC_IDP_DATABASE"] = str(tmp_path_factory.mktemp("idp") / "idp.sqlite3")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_idp.serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(process.stdout.readline())
        yield IdentityProvider(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc_settings(settings, identity_provider):
    """The platform pointed at the test provider, its origin allowed as a form target (logout ends there)."""
    settings.OIDC_PROVIDERS = identity_provider.settings_for()
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], identity_provider.base_url],
    }
    return identity_provider
