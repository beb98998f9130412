"""Names for files and identifiers, from names people gave (in any script).

* File names keep every letter: only what is unsafe on Windows, macOS or Linux is
  replaced (``< > : " / \\ | ? *``, control characters, a trailing dot or space, reserved
  Windows device names), and whitespace becomes ``-`` so that a name needs no quoting in a
  shell. Text is NFC, the form Linux and Windows keep and macOS reads back.
* Identifiers that must be ASCII (SPDX ids, ``LicenseRef-`` ids, the document namespace)
  transliterate with anyascii (``Prodüct 日本`` -> ``Product-RiBen``). A transliteration
  that lost something carries a short hash of the original, so two names never meet in one
  id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\s]+')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")
MAX_STEM_BYTES = 200  # room for the longest suffix (.spdx.rdf.xml) within 255 bytes


def short_hash(value: str, n: int = 6) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:n]


def file_stem(name: str, fallback: str = "sbom") -> str:
    """A file name stem for ``name`` that every common file system accepts."""
    text = unicodedata.normalize("NFC", name)
    stem = _UNSAFE.sub("-", text).strip("-. ")
    if _RESERVED.match(stem):
        stem += "-"
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        stem = encoded[:MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip("-. ")
    return stem or fallback


def ascii_id(text: str, *, limit: int = 60, fallback: str = "x") -> str:
    """``[A-Za-z0-9.-]`` form of ``text``: transliterated, other runs as ``-``, at most
    ``limit`` characters; when that lost more than punctuation and spacing, a short hash
    of the original follows (so ``Prodüct`` and ``Product`` get different ids)."""
    from anyascii import anyascii

    normalized = unicodedata.normalize("NFC", text)
    transliterated = False
    chars = []
    for ch in normalized:
        if ch.isascii():
            chars.append(ch)
        elif unicodedata.category(ch)[0] in "LN":  # letters and digits: transliterated
            chars.append(anyascii(ch) or " ")
            transliterated = True
        else:  # symbols and punctuation («, ©, …) separate words, as ASCII ones do
            chars.append(" ")
    plain = _ID_CHARS.sub("-", "".join(chars)).strip("-.")
    cut = plain[:limit].rstrip("-.")
    if transliterated or cut != plain or not cut:
        return f"{cut or fallback}-{short_hash(normalized)}"
    return cut
