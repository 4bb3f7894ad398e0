"""The catalogs are whole and true to their English (issue 33, part 6).

Each shipped language has every message translated (none fuzzy), passes gettext's own
`msgfmt --check`, and keeps every placeholder, number and unit of the English (translate-
toolkit's pofilter); the template is the code's sentences as they are now, so a sentence
added without running `pybabel extract` is found here, not by a parent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tracker import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tracker" / "i18n" / "locale"
SHIPPED = [lang for lang in i18n.LANGUAGES if lang != i18n.ENGLISH]
PYBABEL = Path(sys.executable).with_name("pybabel")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "tracker.po"


def catalog(lang: str):
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed (gettext / translate-toolkit): .ci/run installs it"
    return found


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    cat = catalog(lang)
    untranslated = [m.id for m in cat if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_msgfmt_check_passes(lang: str) -> None:
    done = subprocess.run([tool("msgfmt"), "--check", "-o", "/dev/null", str(po_path(lang))],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


BRACES = re.compile(r"\{[^{}]*\}")
NUMBERS = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")


def _fields(text: str) -> list[str]:
    return sorted(BRACES.findall(text))


@pytest.mark.parametrize("lang", SHIPPED)
def test_a_translation_keeps_its_placeholders_and_numbers(lang: str) -> None:
    """Every {placeholder} of the English, the same number of times; every number of the
    English (a dose, a time, 0.12 mg/kg) is in the translation, with either decimal mark."""
    wrong = []
    for m in catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        english = set().union(*(_fields(i) for i in ids))
        for s in strings:
            if not s:
                continue
            if set(_fields(s)) - english or (len(ids) == 1 and _fields(s) != _fields(ids[0])):
                wrong.append((m.id, s))
                continue
            numbers = {n.replace(",", ".") for n in NUMBERS.findall(BRACES.sub("", ids[-1]))}
            got = {n.replace(",", ".") for n in NUMBERS.findall(BRACES.sub("", s))}
            if numbers - got and len(ids) == 1:
                wrong.append((m.id, s))
    assert wrong == [], f"{len(wrong)} translations change the English's placeholders or " \
        f"numbers, e.g. {wrong[:3]}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_pofilter_finds_no_broken_variable_or_markup(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "failed"
    done = subprocess.run(
        [tool("pofilter"), "--nofuzzy", "--progress=none", "-t", "variables", "-t", "printf",
         "-t", "pythonbraceformat", "-t", "escapes", "-t", "newlines", "-t", "xmltags",
         str(po_path(lang)), str(out)],
        capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    failed = out.read_text(encoding="utf-8") if out.exists() else ""
    flagged = re.findall(r"^# \(pofilter\) (.*)$", failed, flags=re.M)
    assert flagged == [], failed[:3000]


def test_the_template_holds_the_code_s_sentences_as_they_are(tmp_path: Path) -> None:
    """`pybabel extract` now gives the committed template's messages: none missing."""
    fresh = tmp_path / "tracker.pot"
    done = subprocess.run([str(PYBABEL), "-q", "extract", "-F", "babel.cfg", "-o", str(fresh),
                           "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with fresh.open("rb") as fh:
        now = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh)}
    with (LOCALE / "tracker.pot").open("rb") as fh:
        kept = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh)}
    assert sorted(map(str, now - kept)) == [], "run the README's pybabel extract and update"
    for lang in SHIPPED:
        cat = catalog(lang)
        have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in cat}
        assert sorted(map(str, now - have)) == [], f"{lang}: run pybabel update"


def test_the_language_follows_gettext_s_variables() -> None:
    pick = i18n.from_environment
    assert pick({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert pick({"LANGUAGE": "pt_BR:de_AT", "LANG": "fr_FR.UTF-8"}) == "de"
    assert pick({"LC_ALL": "es_EC.UTF-8", "LANG": "de_DE.UTF-8"}) == "es"
    assert pick({"LC_MESSAGES": "ar_EG.UTF-8", "LANG": "de_DE.UTF-8"}) == "ar"
    assert pick({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "en"
    assert pick({"LANG": "pt_BR.UTF-8"}) == "en"
    assert pick({}) == "en"


def test_a_language_is_read_in_another_s_block_only_inside_it() -> None:
    i18n.use("en")
    with i18n.speaking("qps"):
        assert i18n._("Given") != "Given"
        with i18n.speaking("ar"):
            assert i18n.direction() == "rtl"
    assert i18n._("Given") == "Given" and i18n.direction() == "ltr"


def test_the_installed_package_carries_the_compiled_catalogs() -> None:
    """What a parent installs has each language's .mo (built from the .po by the build
    hook, hatch_build.py), and gettext reads the same translations from it as the .po."""
    import gettext

    installed = Path(i18n.__file__).resolve().parent / "locale"
    for lang in SHIPPED:
        mo = installed / lang / "LC_MESSAGES" / "tracker.mo"
        assert mo.exists(), f"{mo} missing: the build hook did not run"
        with mo.open("rb") as fh:
            read = gettext.GNUTranslations(fh)
        every = [m for m in catalog(lang) if m.id and isinstance(m.id, str) and m.string]
        for m in every:  # a .po changed since the build: rebuild (README, "Translating")
            got = read.pgettext(m.context, m.id) if m.context else read.gettext(m.id)
            assert got == m.string
