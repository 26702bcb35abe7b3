"""Every notification e-mail is a template: ``emails/<name>/subject.txt`` and ``body.txt`` (plain text,
not escaped), and its HTML version is ``emails/layout.html`` around the same words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.loader import get_template, render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _plain(name: str, context: dict[str, Any]) -> str:
    template = get_template(name).template  # type: ignore[attr-defined]  # the engine's own Template
    return str(template.render(Context(context, autoescape=False)))


def render_email(name: str, context: dict[str, Any]) -> RenderedEmail:
    subject = " ".join(_plain(f"emails/{name}/subject.txt", context).split())
    text = _plain(f"emails/{name}/body.txt", context).strip() + "\n"
    html = render_to_string("emails/layout.html", {"subject": subject, "text": text})
    return RenderedEmail(subject, text, html)
