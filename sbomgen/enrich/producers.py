"""Who made and who supplies each library, from stated facts only.

- **Originator** (SPDX ``originator``; CycloneDX ``authors`` or ``manufacturer``): the
  author of the library's copyright as Mend gives it (``copyrightReferences[].author``).
  With several authors, the one whose copyright starts first, in Mend's order on a tie. A
  copyright line without an author (the copyrights text file) names nobody.
- **Supplier**: known only for what the organization makes itself, its in-house libraries,
  from the configured ``supplier``. Mend states no supplier of third-party libraries.

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
    r"|affiliates|committee|network|cooperative)\b\.?)|(\.(com|org|net|io|ch|de|fr|uk|edu|gov|dev)\b)",
    re.IGNORECASE,
)
PERSON_WORD = re.compile(r"^(?:[A-Z][\w'\u2019-]*\.?|[A-Z]{1,3}\.?)$")


def party_kind(name: str) -> str:
    """ "person" or "organization" for a name Mend gives as a copyright author."""
    text = " ".join(name.split())
    if ORGANIZATION.search(text):
        return "organization"
    names = [n for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if n]
    if names and all(_person_name(n) for n in names):
        return "person"  # one person, or several ("Jean-loup Gailly and Mark Adler")
    return "organization"


def _person_name(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(PERSON_WORD.match(w) for w in words)


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
            supplier = own if lib.in_house else None
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
