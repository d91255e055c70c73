"""What the user reads, in their language: Danish by default, English on request.

The standard library's gettext reads the compiled catalogue
(``kkr_tui/locale/<lang>/LC_MESSAGES/kkr_tui.mo``, shipped inside the wheel); Babel
extracts and compiles it, as a developer tool only (``python tools/i18n.py``).

Message ids are English, the Danish catalogue translates them. Why not Danish ids: a
Danish id is its own fallback, so a string nobody put in the catalogue would look
translated and no test could find it. With English ids, "every message a user can see
has a Danish translation" is a test (tests/test_i18n.py), and English needs no catalogue.

Which language: ``$KKR_TUI_LANG``, else ``language`` in the config file, else the
environment's locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it names
a language we have, else Danish. Chosen once, on the first message asked for;
:func:`set_language` changes it (the reader calls it with its config, tests with "da").

Use::

    from kkr_tui.i18n import _, N_, ngettext

    self.notify(_("Note saved."))
    label = _("{count} notes").format(count=n)      # never f-strings inside _()
    ngettext("{n} item", "{n} items", n).format(n=n)
    BINDING_TEXT = N_("Search")  # marked for the catalogue; _(BINDING_TEXT) when shown

Document terms (Indstilling, Beslutning, Bilag, dagsorden, referat) stay as the documents
have them in both languages.
"""

from __future__ import annotations

import os

#: typing's own TYPE_CHECKING, without importing typing (and re with it) for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from gettext import NullTranslations

DOMAIN = "kkr_tui"
#: The catalogues' folder (a string: this module is on the way to every command's first
#: line, ``--help`` included, and loads neither pathlib nor gettext until a message is
#: asked for).
LOCALE_FOLDER = os.path.join(os.path.dirname(os.path.realpath(__file__)), "locale")
DEFAULT_LANGUAGE = "da"
#: Languages a user can choose; "en" is the message ids themselves (no catalogue).
LANGUAGES = ("da", "en")
ENV_VAR = "KKR_TUI_LANG"
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: NullTranslations | None = None
_language: str | None = None


def normalise(value: str | None) -> str | None:
    """``"da_DK.UTF-8"`` → ``"da"``, ``"en"`` → ``"en"``; None for what we do not have."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def choose_language(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: ``$KKR_TUI_LANG`` > config > locale > Danish (module docstring)."""
    env = os.environ if environ is None else environ
    for value in (env.get(ENV_VAR), configured):
        chosen = normalise(value)
        if chosen:
            return chosen
    for name in _LOCALE_VARS:
        value = env.get(name)
        if not value:
            continue
        # LANGUAGE is a priority list ("de:en"); the first set variable decides.
        for part in value.split(":"):
            chosen = normalise(part)
            if chosen:
                return chosen
        break
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Use ``language`` ("da", "en", a locale name; None or unknown: choose as above)."""
    global _translation, _language
    import gettext

    chosen = normalise(language) or choose_language(configured_language())
    if chosen == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=LOCALE_FOLDER, languages=[chosen], fallback=True
        )
    _language = chosen
    return chosen


def language() -> str:
    """The language in use ("da" or "en")."""
    if _language is None:
        set_language(None)
    assert _language is not None
    return _language


def configured_language() -> str | None:
    """``language = "en"`` from the config file, read only when no one told us first.

    Imports tomllib only when the file exists, so ``kkr-tui --help`` stays light.
    """
    from kkr_tui.userdirs import config_file

    path = config_file()
    if not os.path.isfile(path):
        return None
    import tomllib

    try:
        with open(path, encoding="utf-8") as file:
            value = tomllib.loads(file.read()).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def _current() -> NullTranslations:
    if _translation is None:
        set_language(None)
    assert _translation is not None
    return _translation


def _(message: str) -> str:
    """``message`` (an English id) in the user's language."""
    return _current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the user's language."""
    return _current().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context``: for one English word that Danish says two ways."""
    return _current().pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the name extraction tools look for
    """Mark ``message`` for the catalogue without translating it now (class-level text,
    translated with ``_()`` when shown, in the language chosen by then)."""
    return message
