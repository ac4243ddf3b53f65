"""The theme's gettext callables (render/gettext.py) give what Jinja's own new-style
gettext gives: the same translation, escaping and %-formatting, in HTML and plain text,
for the English and the Russian catalogues (issue 20 replaced them for speed)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import make_site

from briefgen.config import load_config
from briefgen.localise.catalog import theme_translations
from briefgen.render.env import make_env

TEMPLATE = (
    '{{ _("Topics") }}|{{ _("Corrected") }}|{{ _("Skip to content") }}|{{ _("100%% sure") }}|'
    '{{ _("Page %(page)s of %(pages)s", page=2, pages="<b>") }}|'
    '{{ gettext("Pagination") }}|{{ _("Latest") ~ "&" }}|'
    '{{ ngettext("%(num)s min read", "%(num)s min read", 1) }}|'
    '{{ ngettext("%(num)s min read", "%(num)s min read", 5, num="<5>") }}|'
    "{% trans %}Archive{% endtrans %}|{% trans n=3 %}{{ n }} & more{% endtrans %}"
)


def jinja_env(translations: object) -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=jinja2.select_autoescape(["html"]), extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_issue_20_theme_gettext_equals_jinjas(
    tmp_path: Path, language: str, autoescape: bool
) -> None:
    root = make_site(
        tmp_path, {}, config=f"title: T\nbase_url: https://example.org/\nlanguage: {language}\n"
    )
    config, _ = load_config(root, {})
    ours, theirs = make_env(config), jinja_env(theme_translations(config)[0])
    for env in (ours, theirs):
        env.autoescape = autoescape
    expected = theirs.from_string(TEMPLATE).render()
    template = ours.from_string(TEMPLATE)
    assert template.render() == expected
    assert template.render() == expected  # the second time from the per-environment cache
    if language == "ru":
        assert "Темы" in expected  # the catalogue really was used
