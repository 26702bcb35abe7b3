"""The markup of one grid row, written in Python: the grid's hot path.

A préalable's grid is 106 rows of three radios and a comment; through the template engine that is some
5,000 variable lookups and ~25 ms per page, most of the page's cost. Here a row is one f-string with
every value escaped, ~20 µs. The markup is the one the grid always had (DSFR radios, htmx attributes,
labels for every input); tests/evaluations check it, and the browser tests run axe on it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clea.evaluations.grid import DomainGroup, GridRow

JUDGEMENT_WORDS = {"acquired": "acquis", "not_acquired": "non acquis"}


def _stale_message(stale) -> str:
    word = JUDGEMENT_WORDS.get(stale.judgement, "non évalué")
    comment = f" ({escape(stale.comment)})" if stale.comment else ""
    return (
        '<div class="fr-alert fr-alert--warning fr-alert--sm fr-mt-1w" role="alert">'
        f"<p>{escape(stale.by)} a enregistré « {word} »{comment} pendant que vous saisissiez. "
        "Sa saisie est affichée : choisissez de nouveau si besoin.</p></div>"
    )


def _message(stale, error, saved) -> str:
    if stale:
        return _stale_message(stale)
    if error:
        return f'<p class="fr-error-text" role="alert">{escape(error)}</p>'
    if saved:
        return '<p class="fr-valid-text fr-text--xs" role="status">Enregistré</p>'
    return ""


def _live(row: GridRow, judgement: str, include: bool) -> str:
    if not row.live:
        return ""
    slug, revision = row.criterion.slug, "" if row.revision is None else row.revision
    included = f' hx-include="#c-{slug}"' if include else ""
    return (
        f' hx-post="{escape(row.cell_url)}" hx-trigger="change" hx-target="#critere-{slug}" hx-swap="outerHTML"'
        f' hx-vals=\'{{"revision": "{revision}", "judgement": "{escape(judgement)}"}}\'{included}'
    )


def _result_cell(row: GridRow) -> str:
    code = escape(row.criterion.code)
    if row.inputs:
        radios = "".join(
            '<div class="fr-fieldset__element fr-fieldset__element--inline fr-mb-0">'
            '<div class="fr-radio-group fr-radio-group--sm">'
            f'<input type="radio" id="j-{code}-{value}" name="j-{code}" value="{value}"'
            f"{' checked' if checked else ''}{_live(row, value, include=True)}>"
            f'<label class="fr-label" for="j-{code}-{value}">{escape(label)}</label></div></div>'
            for value, label, checked in row.options
        )
        revision = "" if row.revision is None else row.revision
        return (
            f'<fieldset class="fr-fieldset fr-mb-0" aria-label="Résultat du critère {code}">{radios}</fieldset>'
            f'<input type="hidden" name="r-{code}" value="{revision}">'
        )
    if row.editable:
        return escape(row.record.get_judgement_display() if row.record else "Non évalué")
    return '<span class="fr-badge fr-badge--success fr-badge--sm">Acquis (conservé)</span>'


def _comment_cell(row: GridRow) -> str:
    comment = escape(row.record.comment) if row.record else ""
    if not row.inputs:
        return comment
    code, slug = escape(row.criterion.code), row.criterion.slug
    return (
        f'<label class="fr-label fr-sr-only" for="c-{slug}">Commentaire sur {code}</label>'
        f'<input class="fr-input" id="c-{slug}" name="c-{code}" maxlength="1000" value="{comment}"'
        f"{_live(row, row.judgement, include=False)}>"
    )


def render_row(row: GridRow, *, stale=None, error: str | None = None, saved: bool = False) -> SafeString:
    criterion = row.criterion
    return mark_safe(  # noqa: S308 -- every value above goes through escape()
        f'<tr id="critere-{criterion.slug}" class="clea-grid-row">'
        f'<th scope="row">{escape(criterion.code)}</th>'
        f"<td>{escape(criterion.title)}{_message(stale, error, saved)}</td>"
        f"<td>{_result_cell(row)}</td><td>{_comment_cell(row)}</td></tr>"
    )


def with_markup(groups: list[DomainGroup]) -> list[DomainGroup]:
    """The grid's groups, each row carrying its markup for the page (``{{ row.html }}``)."""
    for group in groups:
        for sub in group.subdomains:
            for row in sub.rows:
                row.html = render_row(row)
    return groups
