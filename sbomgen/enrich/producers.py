"""Who made and who supplies each library, from stated facts only.

- **Originator** (SPDX ``originator``; CycloneDX ``authors`` or ``manufacturer``): the
  author of the library's copyright as Mend gives it (``copyrightReferences[].author``).
  With several authors, the one whose copyright starts first, in Mend's order on a tie. A
  copyright line without an author (the copyrights text file) names nobody.
- **Supplier** (SPDX ``supplier``, CycloneDX ``supplier``; NTIA's "Supplier Name", "an
  entity that creates, defines, and identifies components", CISA 2025's "Software
  Producer"): for the organization's own in-house libraries, the configured ``supplier``.
  For a third-party library, the author that *every* copyright line with an author names
  (compared without case and spacing): Mend states no supplier, but when the copyright
  agrees on one producer, that is who made the component. Several different authors name
  no supplier (a guess would be worse than none). The documents say where such a supplier
  comes from (``source`` below, written by each emitter).

SPDX needs to know whether an actor is a person or an organization; Mend does not say. The
rule (:func:`party_kind`) is written down and tested: a name with an organization's marker
(Inc., LLC, Foundation, Authors, contributors, a domain …) is an organization; two to four
capitalized words or initials (``TJ Holowaychuk``) are a person; anything else (a single
word such as ``Pallets`` or ``EPFL``) is an organization.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sbomgen.model import Copyright, Finding, Inventory, KeyUuid, Library, Party

ORGANIZATION = re.compile(
    r"(\b(inc|incorporated|llc|l\.l\.c|ltd|limited|gmbh|ag|corp|corporation|co|company|plc|pty"
    r"|b\.?v|s\.?a|s\.?r\.?l|a\.?b|oy|kk|foundation|project|projects|authors|contributors"
    r"|maintainers|developers|team|group|community|organi[sz]ation|university|institute"
    r"|consortium|association|society|labs?|software|systems|technologies|technology|studio"
    r"|affiliates|committee|network|cooperative|services|initiative|alliance|solutions"
    r"|microsystems|partners|research|council|trust|ventures|center|centre)\b\.?)"
    r"|(\.(com|org|net|io|ch|de|fr|uk|edu|gov|dev)\b)",
    re.IGNORECASE,
)
# Multi-word organizations without a marker (the rule would read them as persons)
KNOWN_ORGANIZATIONS = frozenset(
    {"red hat", "bouncy castle", "legion of the bouncy castle", "sun microsystems"}
)
# Lowercase particles of personal names ("Guido van Rossum", "Ludwig van Beethoven")
PARTICLES = frozenset(
    {"van", "von", "de", "da", "di", "del", "der", "den", "du", "la", "le", "ten", "ter", "bin"}
)


def party_kind(name: str) -> str:
    """ "person" or "organization" for a name Mend gives as a copyright author."""
    # an e-mail or web address after a name says nothing about who it is
    text = " ".join(re.sub(r"[<(\[][^>)\]]*[>)\]]", " ", name).split())
    if not text or text.casefold().removeprefix("the ") in KNOWN_ORGANIZATIONS:
        return "organization"
    if ORGANIZATION.search(text):
        return "organization"
    names = [n for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if n]
    if names and all(_person_name(n) for n in names):
        return "person"  # one person, or several ("Jean-loup Gailly and Mark Adler")
    return "organization"


def _person_name(name: str) -> bool:
    words = [w for w in name.split() if w not in PARTICLES]
    return 2 <= len(words) <= 4 and all(_person_word(w) for w in words)


def _person_word(word: str) -> bool:
    """A capitalized word or an initial, in any script ("Łukasz", "Émile", "J.")."""
    core = word.rstrip(".")
    return bool(core) and core[0].isupper() and all(c.isalpha() or c in "'\u2019-" for c in core)


def _start(c: Copyright) -> int:
    try:
        return int(c.start_year or "")
    except ValueError:
        return 10_000


def originator_of(lib: Library) -> Party | None:
    authored = [c for c in lib.copyrights if c.author and c.author.strip()]
    if not authored:
        return None
    first = min(authored, key=_start)  # min() keeps Mend's order among equal years
    name = " ".join((first.author or "").split())
    return Party(name=name, kind=party_kind(name), source="Mend copyright author")


SUPPLIER_FROM_COPYRIGHT = "Mend copyright data: the author every copyright line names"


def supplier_of(lib: Library) -> Party | None:
    """The producer every authored copyright line of a third-party library agrees on."""
    authors = {
        " ".join((c.author or "").split()).casefold(): " ".join((c.author or "").split())
        for c in lib.copyrights
        if c.author and c.author.strip()
    }
    if len(authors) != 1:
        return None
    (name,) = authors.values()
    return Party(name=name, kind=party_kind(name), source=SUPPLIER_FROM_COPYRIGHT)


class ProducerEnricher:
    """Sets each library's originator and, for in-house libraries, the supplier."""

    def __init__(self, supplier: str | None = None) -> None:
        self.supplier = supplier

    def enrich(self, inventory: Inventory) -> Inventory:
        own = (
            Party(name=self.supplier, kind="organization", source="configuration")
            if self.supplier
            else None
        )
        libraries: dict[KeyUuid, Library] = {}
        findings: list[Finding] = []
        for key in sorted(inventory.libraries):
            lib = inventory.libraries[key]
            supplier = own if lib.in_house else supplier_of(lib)
            if lib.in_house and own is None:
                findings.append(
                    Finding(
                        kind="supplier-missing",
                        key_uuid=key,
                        message=f"{lib.display_name}: in-house, but no supplier is configured",
                    )
                )
            libraries[key] = replace(lib, originator=originator_of(lib), supplier=supplier)
        return replace(inventory, libraries=libraries, findings=(*inventory.findings, *findings))
