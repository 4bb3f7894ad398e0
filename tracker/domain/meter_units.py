"""The glucose meter's unit usual where a family lives, from its time zone's country.

A meter shows mmol/L or mg/dL by the standard of the country it is sold in (Abbott
Diabetes Care: the unit "is dependent on country standards"), and 14 is a high in mmol/L
but a severe low in mg/dL. Where a country's unit is not known here, or two are in use
(Germany), the answer is None: ask, never guess.

Zone to country comes from the time-zone database's own tables, read from the first of
the places Python's `zoneinfo` reads zones from (`zoneinfo.TZPATH`, e.g.
/usr/share/zoneinfo) and then the `tzdata` package (Windows has no system database;
tzdata 2026.6 ships zone.tab, zone1970.tab and tzdata.zi in `tzdata.zoneinfo`):
- `zone.tab` gives one country per zone, including the zones kept for a country's own
  sake that are links elsewhere (Europe/Jersey JE, Europe/Isle_of_Man IM, Europe/Oslo NO);
  it is asked first.
- A name not in it (an old or merged name: America/Montreal, Europe/Belfast, US/Eastern,
  Canada/Newfoundland) is followed through the links of `tzdata.zi` ("L target name") to
  its zone, and takes that zone's country. Since tzdata 2022 some links cross borders
  (Iceland -> Africa/Abidjan, CET -> Europe/Brussels, Atlantic/Jan_Mayen -> Europe/Berlin):
  so a link gives a unit only if every country `zone1970.tab` lists for its zone that the
  table below knows reads the same unit (Europe/Belfast -> Europe/London: GB, GG, IM, JE,
  all mmol/L); otherwise it asks. A clock's abbreviation (CET, EST5EDT) names no country.
- Where no tzdata.zi is found (macOS without the tzdata package), a name is matched to
  the zone.tab zones whose compiled file is the same bytes, and gives a unit only if every
  such country is in the table with that unit.
The system database is preferred, as `zoneinfo` prefers it, so a zone and its country
come from the same release.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple, Protocol

MMOL = "mmol/L"
MGDL = "mg/dL"

# Country (ISO 3166 alpha-2) -> the unit its meters show; None: both are in use (ask).
# A country not here is not known: ask. Sources, as read 2026-12 (stored copies):
#  [CF]  ../shared/clinical-facts.md, "Third read": mmol/L in the UK, Ireland, Canada,
#        Australia, New Zealand, China; mg/dL in the United States, Japan, France, Israel
#        (and "much of Latin America", too vague to list countries from); Germany both.
#  [HC]  Health Canada, Notice "Units of Measurement for Blood Glucose Meters sold in
#        Canada" (2010-03-08), canada.ca/en/health-canada/services/drugs-health-products/
#        medical-devices/activities/announcements/units-measurement-blood-glucose-meters-
#        sold-canada-notice.html: meters licensed in Canada show only mmol/L.
#  [NHS] NHS "Low blood sugar (hypoglycaemia)" (as copied at 1stchoicepharmacy.co.uk):
#        a low is "below 4mmol/L"; diabetes.co.uk/blood-sugar-converter.html: mmol/L
#        "is used in the UK", mg/dL "in the USA".
#  [NDSS] National Diabetes Services Scheme (Australia), "Managing hypoglycaemia fact
#        sheet", ndss.com.au: "below 4 mmol/L".
#  [DB]  diabetiker-bedarf.de, glossary "Blutzuckermessung": mg/dl in (West) Germany and
#        likewise "in den USA, Frankreich und in Japan".
#  [DDE] diabetesde.org (diabetesDE), lexicon "Einheiten Angabe Blutzuckerwert": Germany
#        uses both, mg/dl mostly in the western states, mmol/l in the eastern ones.
#  [MP]  myparadigm.eu/EN/Units.htm: mg/dl in the United States, Austria, Belgium and
#        Germany.
#  [SC]  Sinocare, "Measurement unit and quantity help" (en.sinocare.com/fr/pages/
#        measurement-unit-quantity-help): United Kingdom mmol/L (NHS), Spain mg/dl,
#        Italy mg/dl, Germany mg/dl (BfArM), France "both".
UNIT_BY_COUNTRY: dict[str, str | None] = {
    "GB": MMOL,  # [CF], [NHS], [SC]
    # The Crown Dependencies: the tz database groups them with Europe/London (zone1970.tab
    # "GB,GG,IM,JE"); no source names their unit, but their diabetes care follows the
    # UK's (UK-supplied meters, NHS guidance): inferred, not cited.
    "GG": MMOL,
    "IM": MMOL,
    "JE": MMOL,
    "IE": MMOL,  # [CF]
    "CA": MMOL,  # [HC], [CF]; Abbott: "In Canada, the correct unit ... is mmol/L"
    "AU": MMOL,  # [NDSS], [CF]
    "NZ": MMOL,  # [CF]
    "CN": MMOL,  # [CF]
    "US": MGDL,  # [CF], [NHS] (diabetes.co.uk), [DB]
    "JP": MGDL,  # [CF], [DB]
    "FR": MGDL,  # [CF], [DB]; [SC] says both, and French doctors also write g/L
    #              (mg/dL / 100): meters sold there show mg/dL ([DB]).
    "IL": MGDL,  # [CF]
    "ES": MGDL,  # [SC]
    "IT": MGDL,  # [SC]
    "BE": MGDL,  # [MP]
    "DE": None,  # [DDE], [CF]: both, by region ([MP], [SC] say mg/dl: the west)
    "AT": None,  # [MP] says mg/dl, but no second source: unsure, ask
}


# A clock's abbreviation kept as a zone name (CET, EET, EST, HST, EST5EDT): since tzdata
# 2024b these are links to one city's zone (CET -> Europe/Brussels), but they name no
# country: ask.
_ABBREVIATION = re.compile(r"[A-Z]{2,3}T(\d[A-Z]{2,3}T)?")


class Tables(NamedTuple):
    """What the time-zone database says of zones and countries."""

    country: dict[str, str]  # zone.tab: zone -> its one country
    shared: dict[str, tuple[str, ...]]  # zone1970.tab: zone -> every country using it
    links: dict[str, str]  # tzdata.zi: old or merged name -> zone


class Source(Protocol):
    """A folder of the database (a Path, or the tzdata package's resources)."""

    def joinpath(self, *name: str) -> Source: ...

    def read_text(self, encoding: str | None = None) -> str: ...

    def read_bytes(self) -> bytes: ...


def parse_tab(text: str) -> dict[str, tuple[str, ...]]:
    """zone.tab or zone1970.tab: zone -> its countries (codes, column 1, comma-separated)."""
    found: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) >= 3:
            found[cells[2].strip()] = tuple(c.strip() for c in cells[0].split(","))
    return found


def parse_links(text: str) -> dict[str, str]:
    """tzdata.zi's links: "L Europe/London Europe/Belfast" -> {"Europe/Belfast": ...}."""
    links = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def _read(source: Source, name: str) -> str | None:
    try:
        return source.joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def build(sources: Iterable[Source]) -> Tables:
    """The tables of the sources merged, an earlier source winning."""
    country: dict[str, str] = {}
    shared: dict[str, tuple[str, ...]] = {}
    links: dict[str, str] = {}
    for source in sources:
        if (text := _read(source, "zone.tab")) is not None:
            for zone, codes in parse_tab(text).items():
                country.setdefault(zone, codes[0])
        if (text := _read(source, "zone1970.tab")) is not None:
            for zone, codes in parse_tab(text).items():
                shared.setdefault(zone, codes)
        if (text := _read(source, "tzdata.zi")) is not None:
            for name, zone in parse_links(text).items():
                links.setdefault(name, zone)
    return Tables(country, shared, links)


def sources() -> Iterator[Source]:
    """The system database's folders (zoneinfo.TZPATH), then the tzdata package."""
    from pathlib import Path
    from zoneinfo import TZPATH

    for folder in TZPATH:
        if Path(folder).is_dir():
            yield Path(folder)
    try:
        from importlib.resources import files

        yield files("tzdata").joinpath("zoneinfo")
    except (ImportError, ModuleNotFoundError):
        return


@lru_cache(maxsize=1)
def tables() -> Tables:
    return build(sources())


def _same_bytes(zone: str, found: Tables, where: Iterable[Source]) -> set[str]:
    """The countries of the zone.tab zones compiled to the same bytes as `zone`."""
    parts = zone.split("/")
    if not all(part and part not in (".", "..") and "\\" not in part for part in parts):
        return set()
    for source in where:
        try:
            body = source.joinpath(*parts).read_bytes()
        except OSError:
            continue
        same = set()
        for candidate, code in found.country.items():
            try:
                if source.joinpath(*candidate.split("/")).read_bytes() == body:
                    same.add(code)
            except OSError:
                continue
        return same
    return set()


def country_of(zone: str, found: Tables | None = None) -> str | None:
    """The one country a zone is in, by zone.tab or by the zone a link names; else None."""
    found = found or tables()
    if _ABBREVIATION.fullmatch(zone):
        return None
    if zone in found.country:
        return found.country[zone]
    target = _follow(zone, found)
    return found.country.get(target) if target else None


def _follow(name: str, found: Tables) -> str | None:
    seen = set()
    while name in found.links and name not in seen:
        seen.add(name)
        name = found.links[name]
        if name in found.country:
            return name
    return None


def usual_unit(zone: str, found: Tables | None = None,
               where: Iterable[Source] | None = None) -> str | None:
    """The unit meters show where `zone` is ("mmol/L" or "mg/dL"), or None: ask."""
    found = found or tables()
    if _ABBREVIATION.fullmatch(zone):
        return None
    if zone in found.country:
        return UNIT_BY_COUNTRY.get(found.country[zone])
    target = _follow(zone, found)
    if target is not None:
        unit = UNIT_BY_COUNTRY.get(found.country[target])
        sharing = [UNIT_BY_COUNTRY[c] for c in found.shared.get(target, ())
                   if c in UNIT_BY_COUNTRY]
        return unit if unit is not None and all(u == unit for u in sharing) else None
    if found.links:  # the database's links were read: an unknown name is not a zone
        return None
    countries = _same_bytes(zone, found, sources() if where is None else where)
    units = {UNIT_BY_COUNTRY.get(c) for c in countries}
    return units.pop() if len(units) == 1 and None not in units else None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for source in sources():
        if (text := _read(source, "iso3166.tab")) is not None:
            for line in text.splitlines():
                code, _, name = line.partition("\t")
                if name and not code.startswith("#"):
                    names.setdefault(code.strip(), name.strip())
    return names


def country_name(code: str) -> str:
    """A country's name as the time-zone database's iso3166.tab writes it ("Canada",
    "Britain (UK)"), or its code where the table is missing; in another language than
    English, as CLDR names it in that language (Babel's territories)."""
    from tracker import i18n

    lang = i18n.language()
    if lang not in (i18n.ENGLISH, i18n.PSEUDO) and lang in i18n.LANGUAGES:
        from babel import Locale

        local = Locale.parse(lang).territories.get(code)
        if local:
            return str(local)
    return _country_names().get(code, code)
