"""The attribution notice a customer gets: every copyright with its own component, terms
once, no review vocabulary, links, 80 columns, in-house code left out by default, and
templates written for the earlier data model failing loudly. All through the CLI, with the
emulator serving the data over HTTP."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DATASET, SAMPLE_SNAPSHOT, Mend, run_cli
from lxml import html as lxml_html

# Mend's license-text zip holds one file per license name: the LICENSE of *some* component
MIT_OF_EXPRESS = """(The MIT License)

Copyright (c) 2009-2014 TJ Holowaychuk <tj@vision-media.ca>

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
'Software'), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED 'AS IS', WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
"""


def _dataset(tmp_path: Path, mit_text: str) -> Path:
    """The mini organization: express (TJ Holowaychuk) and ms (Vercel) are both MIT;
    Mend's MIT text is express's LICENSE file."""
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    data["libraries"]["k-ms"]["copyrightReferences"] = [
        {"copyright": "Copyright (c) 2020 Vercel, Inc.", "author": "Vercel, Inc."}
    ]
    (folder / "dataset.json").write_text(json.dumps(data))
    (folder / "texts" / "MIT.txt").write_text(mit_text)
    return folder


def _bundle(mend: Mend, out: Path, *args: str) -> Path:
    result = run_cli("attribution", "--org", "--out", out, *args, env=mend.env())
    assert result.code == 0, result.stderr
    return out / "attribution"


def _blocks(text: str) -> dict[str, str]:
    """NOTICE.txt's component blocks, by their first line."""
    body = text.split("\nCOMPONENTS\n----------\n", 1)[1].split("\nLICENSE TEXTS\n", 1)[0]
    return {b.strip().splitlines()[0]: b for b in re.split(r"\n\n(?=\S)", body) if b.strip()}


def test_each_copyright_stays_with_its_own_component(tmp_path: Path, start_emulator: Any) -> None:
    mend: Mend = start_emulator(_dataset(tmp_path, MIT_OF_EXPRESS))
    bundle = _bundle(mend, tmp_path / "out")
    text = (bundle / "NOTICE.txt").read_text()
    blocks = _blocks(text)
    assert "TJ Holowaychuk" in blocks["express 4.18.2"]
    assert "Vercel" in blocks["ms 2.0.0"] and "TJ Holowaychuk" not in blocks["ms 2.0.0"]
    assert "Vercel" not in blocks["express 4.18.2"]
    # the terms, printed once, carry no holder; so does licenses/MIT.txt
    terms = text.split("\nLICENSE TEXTS\n", 1)[1]
    assert "Permission is hereby granted" in terms
    assert "TJ Holowaychuk" not in terms and "Vercel" not in terms
    license_file = (bundle / "licenses" / "MIT.txt").read_text()
    assert license_file.startswith("(The MIT License)\n\nPermission is hereby granted")
    # the same in the HTML: no holder beside a component that is not theirs
    page = lxml_html.fromstring((bundle / "NOTICE.html").read_bytes())
    for section in page.xpath("//section[@class='component']"):
        heading = section.findtext("h3")
        body = section.text_content()
        if heading.startswith("ms "):
            assert "Vercel" in body and "Holowaychuk" not in body
        if heading.startswith("express "):
            assert "Holowaychuk" in body and "Vercel" not in body
    for section in page.xpath("//section[@class='license']"):
        assert "Holowaychuk" not in section.findtext("pre")


def test_a_text_that_cannot_be_split_goes_only_with_its_component(
    tmp_path: Path, start_emulator: Any
) -> None:
    # copyright lines amid other text: whose, and where do they end?
    tangled = "Some history of express.\n" + MIT_OF_EXPRESS
    mend: Mend = start_emulator(_dataset(tmp_path, tangled))
    bundle = _bundle(mend, tmp_path / "out")
    text = (bundle / "NOTICE.txt").read_text()
    own = (bundle / "licenses" / "MIT-express-4.18.2.txt").read_text()
    assert own == tangled
    assert "as distributed with express 4.18.2" in text
    general = (bundle / "licenses" / "MIT.txt").read_text()
    assert "Holowaychuk" not in general and "Permission is hereby granted" in general
    page = lxml_html.fromstring((bundle / "NOTICE.html").read_bytes())
    for section in page.xpath("//section[@class='license']"):
        applies = section.xpath(".//p[@class='meta']")[0].text_content()
        if "Holowaychuk" in section.findtext("pre"):
            assert "express" in applies and "ms" not in applies.split("·")[0]


def test_in_house_code_is_left_out_unless_asked(tmp_path: Path, mini: Mend) -> None:
    default = _bundle(mini, tmp_path / "default")
    assert "orphan.jar" not in (default / "NOTICE.txt").read_text()
    included = _bundle(mini, tmp_path / "included", "--include-in-house")
    assert "orphan.jar" in (included / "NOTICE.txt").read_text()


def test_homepages_and_license_texts_are_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    page = lxml_html.fromstring((out / "attribution" / "NOTICE.html").read_bytes())
    hrefs = {a.get("href") for a in page.iter("a")}
    assert "https://lodash.com/" in hrefs
    assert "https://spdx.org/licenses/MIT.html" in hrefs
    md = (out / "attribution" / "NOTICE.md").read_text()
    assert "- Homepage: [https://lodash.com/](<https://lodash.com/>)" in md
    assert "[https://spdx.org/licenses/MIT.html](<https://spdx.org/licenses/MIT.html>)" in md


def test_text_is_wrapped_at_80_columns_without_changing_a_word(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    text = (out / "attribution" / "NOTICE.txt").read_text()
    long = [ln for ln in text.splitlines() if len(ln) > 80]
    # only a line ending in one unbreakable token (a URL, a purl) may be longer, and only
    # by that token
    assert all(
        len(ln.rsplit(" ", 1)[0]) <= 80 and re.fullmatch(r"[a-z]+:\S+", ln.split()[-1])
        for ln in long
    ), long
    # each license's words are all there, in order
    for path in sorted((out / "attribution" / "licenses").iterdir()):
        words = path.read_text().split()
        assert " ".join(words) in " ".join(text.split()), path.name


def test_a_suspected_license_is_the_license_and_the_suspicion_is_reviewed(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    notice = (out / "attribution" / "NOTICE.txt").read_text()
    assert "* better-assert 1.0.2: MIT" in notice and "uspect" not in notice
    review = json.loads((out / "attribution" / "REVIEW.json").read_text())
    assert {
        "kind": "suspected",
        "component": "better-assert 1.0.2",
        "message": "Mend only suspected this license (Suspected MIT); the notice states it "
        "as the license",
    } in review["items"]


@pytest.mark.parametrize(
    ("snippet", "named"),
    [
        ("{% for p in problems %}{{ p.message }}{% endfor %}", "REVIEW.md"),
        ("{% for c in components %}{{ c.mend_licenses }}{% endfor %}", "component.license"),
        ("{% for l in licenses %}{{ l.source }}{% endfor %}", "license.origin"),
    ],
)
def test_a_template_for_the_earlier_model_fails_naming_the_new_field(
    tmp_path: Path, snippet: str, named: str
) -> None:
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "notice.txt.j2").write_text(f"{{{{ meta.header }}}}\n{snippet}\n")
    out = tmp_path / "out"
    result = run_cli(
        "attribution", "--snapshot", SAMPLE_SNAPSHOT, "--template-dir", custom, "--out", out
    )
    assert result.code == 3, result.stderr
    assert "notice.txt.j2:2" in result.stderr
    assert "is not in the template data model" in result.stderr and named in result.stderr
    assert not out.exists()


def test_a_choice_nobody_made_is_not_claimed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    notice = (out / "attribution" / "NOTICE.txt").read_text()
    # Mend lists two licenses for openssl-libs; whether they are a choice is not stated
    assert "* openssl-libs 1.1.1k-7.el8_6: OpenSSL, Apache-2.0" in notice
    assert "OpenSSL OR Apache-2.0" not in notice
    review = (out / "attribution" / "REVIEW.md").read_text()
    assert (
        "| unresolved-choice | openssl-libs 1.1.1k-7.el8\\_6 | OpenSSL OR Apache-2.0 is a choice"
        in review
    )
    # a LicenseRef is named, not shown as an id
    assert "* xmlpull:xmlpull 1.1.3.1: Public Domain" in notice
    assert "LicenseRef-" not in notice


def _review(bundle: Path) -> list[dict[str, str]]:
    items: list[dict[str, str]] = json.loads((bundle / "REVIEW.json").read_text())["items"]
    return items


@pytest.mark.parametrize(
    ("extra", "holder"),
    [
        # an attribution line of the work, not a license's words
        ("Written by Jane Doe <jane@example.com>\n", "Jane Doe"),
        ("Author: Jane Doe\n", "Jane Doe"),
        # the continuation of a two-line copyright belongs to it
        ("  and Douglas Wilson\n", "Douglas Wilson"),
    ],
)
def test_attribution_and_continued_copyright_lines_go_with_their_component(
    tmp_path: Path, start_emulator: Any, extra: str, holder: str
) -> None:
    text = MIT_OF_EXPRESS.replace("<tj@vision-media.ca>\n", "<tj@vision-media.ca>\n" + extra)
    mend: Mend = start_emulator(_dataset(tmp_path, text))
    bundle = _bundle(mend, tmp_path / "out")
    notice = (bundle / "NOTICE.txt").read_text()
    terms = notice.split("\nLICENSE TEXTS\n", 1)[1]
    blocks = _blocks(notice)
    assert holder in blocks["express 4.18.2"]
    assert holder not in terms and holder not in (bundle / "licenses" / "MIT.txt").read_text()
    for other in ("ms 2.0.0", "debug 2.6.9", "body-parser 1.20.1"):
        assert holder not in blocks[other], other


@pytest.mark.parametrize(
    "tangled",
    [
        # a name on its own line beside the copyright: whose is it?
        MIT_OF_EXPRESS.replace(
            "<tj@vision-media.ca>\n", "<tj@vision-media.ca>\n\nDouglas Wilson\n"
        ),
        # the work's own text after the end of the license's terms
        MIT_OF_EXPRESS.replace(
            "NONINFRINGEMENT.\n",
            "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR "
            "ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR "
            "OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR "
            "OTHER DEALINGS IN THE SOFTWARE.\n\nJane Doe  jane@example.com\n",
        ),
    ],
)
def test_text_that_is_neither_terms_nor_a_copyright_keeps_the_text_with_its_component(
    tmp_path: Path, start_emulator: Any, tangled: str
) -> None:
    mend: Mend = start_emulator(_dataset(tmp_path, tangled))
    bundle = _bundle(mend, tmp_path / "out")
    assert (bundle / "licenses" / "MIT-express-4.18.2.txt").read_text() == tangled
    general = (bundle / "licenses" / "MIT.txt").read_text()
    assert "Douglas" not in general and "Jane Doe" not in general
    assert "Holowaychuk" not in general
    [item] = [i for i in _review(bundle) if i["kind"] == "copyright-split"]
    assert "printed with express only" in item["message"]


def test_a_text_whose_holder_several_components_share_goes_with_none(
    tmp_path: Path, start_emulator: Any
) -> None:
    # debug's copyright names the same holder as the text, in other years: the text cannot
    # be told to be express's rather than debug's
    folder = _dataset(tmp_path, "Some history of express.\n" + MIT_OF_EXPRESS)
    data = json.loads((folder / "dataset.json").read_text())
    data["libraries"]["k-express"]["copyrightReferences"] = [
        {"copyright": "Copyright (c) 2013 TJ Holowaychuk"}
    ]
    data["libraries"]["k-debug"]["copyrightReferences"] = [
        {"copyright": "Copyright (c) 2014 TJ Holowaychuk <tj@vision-media.ca>"}
    ]
    (folder / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(folder)
    bundle = _bundle(mend, tmp_path / "out")
    assert sorted(p.name for p in (bundle / "licenses").iterdir() if p.name.startswith("MIT")) == [
        "MIT.txt"
    ]
    assert "Some history" not in (bundle / "NOTICE.txt").read_text()
    [item] = [i for i in _review(bundle) if i["kind"] == "copyright-split"]
    assert "could be any of debug, express's, so it is printed with none" in item["message"]


def test_a_whole_copyright_line_tells_the_component_apart(
    tmp_path: Path, start_emulator: Any
) -> None:
    # debug shares the holder but not the line: the text is express's, without doubt
    folder = _dataset(tmp_path, "Some history of express.\n" + MIT_OF_EXPRESS)
    data = json.loads((folder / "dataset.json").read_text())
    data["libraries"]["k-debug"]["copyrightReferences"] = [
        {"copyright": "Copyright (c) 2014 TJ Holowaychuk <tj@vision-media.ca>"}
    ]
    (folder / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(folder)
    bundle = _bundle(mend, tmp_path / "out")
    own = sorted(p.name for p in (bundle / "licenses").iterdir() if p.name.startswith("MIT-"))
    assert own == ["MIT-express-4.18.2.txt"]
    [item] = [i for i in _review(bundle) if i["kind"] == "copyright-split"]
    assert item["message"].startswith(
        "the license text Mend holds for MIT could not be split into terms and copyright "
        "lines (printed with express only); the other components get"
    )
