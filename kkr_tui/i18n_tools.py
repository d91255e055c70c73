"""Keeping the catalogues in step with the code: extract, update, compile (needs Babel).

A developer tool, not used at runtime (the reader reads the compiled ``.mo`` with the
standard library). Babel is a test dependency; ``python tools/i18n.py`` runs
:func:`refresh`, and ``tests/test_i18n.py`` uses the same functions to prove the
catalogue complete and up to date. It lives in the package so the tests can extract
from the very code that is installed (``.ci/run`` tests the wheel, not the clone).
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path
from typing import Any

from kkr_tui.i18n import DOMAIN, LOCALE_FOLDER

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = Path(LOCALE_FOLDER)
#: Catalogues we keep (English is the message ids themselves).
TRANSLATED = ("da",)
#: Files that are not user-facing text, skipped by extraction.
_SKIP = ("i18n_tools.py",)


def po_path(language: str) -> Path:
    """The editable catalogue of ``language``."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    """The compiled catalogue the reader reads."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Any:
    """A Babel ``Catalog`` template of every marked message in the package."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="kkr-tui", domain=DOMAIN)

    found = extract_from_dir(
        str(PACKAGE_DIR),
        method_map=[("**.py", "python")],
        callback=None,
        strip_comment_tags=True,
        comment_tags=("TRANSLATORS:",),
    )
    for filename, lineno, message, comments, context in found:
        if filename.endswith(_SKIP):
            continue
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def read_catalogue(language: str) -> Any:
    """The ``.po`` of ``language`` as a Babel ``Catalog``."""
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _key(message: Any) -> tuple[str | None, str]:
    ident = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, ident)


def message_keys(catalogue: Any) -> set[tuple[str | None, str]]:
    """(context, id) of every message in a Babel catalogue, the header left out."""
    return {_key(m) for m in catalogue if m.id}


def untranslated(catalogue: Any) -> list[str]:
    """Ids with an empty or fuzzy translation."""
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(_key(message)[1])
    return out


def compiled(language: str) -> dict[Any, str]:
    """What the shipped ``.mo`` holds, as gettext reads it."""
    with mo_path(language).open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    # _catalog: what gettext read from the file; typeshed leaves it out, Babel has no reader.
    catalogue: dict[Any, str] = dict(translations._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)
    return catalogue


def compile_to_dict(language: str) -> dict[Any, str]:
    """What the ``.mo`` should hold: the ``.po`` compiled in memory and read back."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(language))
    buffer.seek(0)
    catalogue: dict[Any, str] = dict(
        # _catalog, as above: the messages gettext read, absent from typeshed.
        gettext.GNUTranslations(buffer)._catalog  # type: ignore[attr-defined]
    )
    catalogue.pop("", None)
    return catalogue


def refresh() -> dict[str, list[str]]:
    """Extract, bring every ``.po`` up to date (new ids empty, gone ids dropped) and
    compile it; returns the untranslated ids of each language."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    template = extract()
    report: dict[str, list[str]] = {}
    for language in TRANSLATED:
        catalogue = read_catalogue(language)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        with po_path(language).open("wb") as handle:
            # No file names or line numbers: they would change with every edit and make
            # every landing conflict in the catalogue. Sorted, so merges stay local.
            write_po(handle, catalogue, width=100, no_location=True, sort_output=True)
        with mo_path(language).open("wb") as handle:
            write_mo(handle, catalogue)
        report[language] = untranslated(catalogue)
    write_help_texts()
    return report


def help_texts() -> dict[str, str]:
    """Each language's ``kkr-tui --help`` as argparse lays it out for
    :mod:`kkr_tui.quickhelp` (from the compiled catalogues)."""
    from kkr_tui.cli import laid_out_help
    from kkr_tui.i18n import LANGUAGES
    from kkr_tui.quickhelp import WIDTH

    return {language: laid_out_help(language, WIDTH) for language in LANGUAGES}


def write_help_texts() -> None:
    """Write :func:`help_texts` where :mod:`kkr_tui.quickhelp` reads them."""
    from kkr_tui.quickhelp import help_path

    for language, text in help_texts().items():
        path = Path(help_path(language))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
