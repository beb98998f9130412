"""Attribution bundles: golden files in both aggregation modes, each license text once,
well-formed HTML whose every internal link has a target, escaping, custom templates,
problems, --strict, and the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINI_DATASET, SAMPLE_SNAPSHOT, clean_env, run_cli
from lxml import html as lxml_html

from sbomgen import __version__
from sbomgen.emit.attribution import Attribution, AttributionOptions, build_context
from sbomgen.emit.interface import DocumentMeta
from sbomgen.model import Inventory, LicenseText

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SBOMGEN_UPDATE_GOLDEN") == "1"


def _bundle(sample: Inventory, meta: DocumentMeta, **options: object) -> dict[str, bytes]:
    return Attribution(("html", "txt", "md"), AttributionOptions(**options)).render(sample, meta)  # type: ignore[arg-type]


@pytest.mark.parametrize("aggregate", ["BY_COMPONENT", "BY_PROJECT"])
def test_golden(sample: Inventory, meta: DocumentMeta, aggregate: str) -> None:
    files = _bundle(
        sample,
        meta,
        aggregate=aggregate,
        title="Acme Corp 2.4.0",
        footer="Questions: oss@acme.example",
    )
    folder = GOLDEN / f"attribution-{aggregate.lower().replace('_', '-')}"
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.replace(__version__.encode(), b"VERSION"))
    expected = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert sorted(files) == expected
    for name, data in files.items():
        assert data.replace(__version__.encode(), b"VERSION") == (folder / name).read_bytes(), name


def test_each_license_text_is_printed_once(sample: Inventory, meta: DocumentMeta) -> None:
    files = _bundle(sample, meta)
    mit_users = sum(
        1 for lib in sample.libraries.values() if lib.license and lib.license.concluded == "MIT"
    )
    assert mit_users > 10
    context = build_context(sample, meta, AttributionOptions())
    mit = next(e for e in context["licenses"] if e["id"] == "MIT")
    terms = " ".join(mit["text"].split())
    for name in ("attribution/NOTICE.txt", "attribution/NOTICE.md"):
        assert " ".join(files[name].decode().split()).count(terms) == 1, name
    page = lxml_html.fromstring(files["attribution/NOTICE.html"])
    assert [" ".join(pre.text_content().split()) for pre in page.iter("pre")].count(terms) == 1
    assert terms in " ".join(files["attribution/licenses/MIT.txt"].decode().split())


def test_identical_texts_of_two_ids_share_one_entry(sample: Inventory, meta: DocumentMeta) -> None:
    from dataclasses import replace

    options = AttributionOptions(include_in_house=True)  # the LicenseRef is the in-house one's
    before = len(build_context(sample, meta, options)["licenses"])
    mit = next(e for e in build_context(sample, meta, options)["licenses"] if e["id"] == "MIT")
    texts = {
        **sample.texts,
        "LicenseRef-Acme-Proprietary-License": LicenseText(
            name="x", text=mit["text"] + "\n\n", source="test"
        ),
    }
    context = build_context(replace(sample, texts=texts), meta, options)
    shared = [entry for entry in context["licenses"] if "MIT" in entry["ids"]]
    assert len(shared) == 1 and shared[0]["ids"] == ["LicenseRef-Acme-Proprietary-License", "MIT"]
    assert len(context["licenses"]) == before - 1


@pytest.mark.parametrize("aggregate", ["BY_COMPONENT", "BY_PROJECT"])
def test_html_parses_and_every_internal_link_has_a_target(
    sample: Inventory, meta: DocumentMeta, aggregate: str
) -> None:
    page = _bundle(sample, meta, aggregate=aggregate)["attribution/NOTICE.html"]
    tree = lxml_html.fromstring(page)
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    hrefs = [a.get("href") for a in tree.iter("a") if a.get("href", "").startswith("#")]
    assert len(hrefs) > 100
    missing = sorted({h for h in hrefs if h[1:] not in ids})
    assert not missing
    assert (
        not tree.xpath("//script") and not tree.xpath("//link") and not tree.xpath("//img")
    )  # self-contained


def test_markdown_links_have_targets(sample: Inventory, meta: DocumentMeta) -> None:
    text = _bundle(sample, meta)["attribution/NOTICE.md"].decode()
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and links <= anchors


def test_txt_has_no_markup(sample: Inventory, meta: DocumentMeta) -> None:
    text = _bundle(sample, meta)["attribution/NOTICE.txt"].decode()
    assert not re.search(
        r"</?(a|p|div|section|h\d|table|tr|td|span|br|pre|dl|dt|dd|ul|li|html|body)\b", text
    )
    assert "href=" not in text and "](#" not in text and "<a id" not in text
    assert "```" not in text and "~~~~" not in text


def test_scopes_and_options(sample: Inventory, meta: DocumentMeta) -> None:
    files = _bundle(
        sample,
        meta,
        scope=("SUMMARY",),
        header="Third-party notices",
        title="T",
        footer="F",
        missing_license="GENERIC_LICENSE",
    )
    text = files["attribution/NOTICE.txt"].decode()
    assert text.startswith("Third-party notices\n===================\nT\n")
    assert "LICENSE TEXTS" not in text and "Copyright" not in text and "NOTICE:" not in text
    assert "component-bind 1.0.0: The license of this component could not be identified" in text
    assert text.rstrip().endswith("F")
    html = files["attribution/NOTICE.html"].decode()
    assert 'id="licenses"' not in html and "<title>Third-party notices · T</title>" in html


def _hostile_dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    express = data["libraries"]["k-express"]
    express["notice"] = 'Express <script>alert("pwned")</script> & friends'
    express["copyrightReferences"] = [
        {"copyright": "Copyright (c) 2009 TJ & Co <tj@example.com> > all"}
    ]
    express["description"] = "Fast *web* framework [x](y) | pipe"
    (folder / "dataset.json").write_text(json.dumps(data))
    return folder


def test_strings_from_mend_are_escaped(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    mend = start_emulator(_hostile_dataset(tmp_path))
    out = tmp_path / "out"
    result = run_cli(
        "attribution",
        "--product",
        mend.product_tokens[0],
        "--out",
        out,
        env=mend.env(),
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    page = (out / "attribution" / "NOTICE.html").read_text()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; &amp; friends" in page
    assert "Copyright (c) 2009 TJ &amp; Co &lt;tj@example.com&gt; &gt; all" in page
    tree = lxml_html.fromstring(page.encode())
    assert not tree.xpath("//script")
    assert any("<script>" in (pre.text or "") for pre in tree.iter("pre"))  # shown as text
    md = (out / "attribution" / "NOTICE.md").read_text()
    assert r"Copyright (c) 2009 TJ & Co \<tj@example.com\> \> all" in md
    txt = (out / "attribution" / "NOTICE.txt").read_text()
    assert "Copyright (c) 2009 TJ & Co <tj@example.com> > all" in txt  # plain text stays as it is


def test_custom_template_dir_overrides_one_template(tmp_path: Path) -> None:
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "notice.txt.j2").write_text(
        "{{ meta.header }}: {{ components|length }} components\n{% for l in licenses %}{{ l.id }}\n{% endfor %}"
    )
    out = tmp_path / "out"
    result = run_cli(
        "attribution", "--snapshot", SAMPLE_SNAPSHOT, "--template-dir", custom, "--out", out
    )
    assert result.code == 0, result.stderr
    assert (
        (out / "attribution" / "NOTICE.txt")
        .read_text()
        .startswith("Attribution Report: 66 components\nApache-2.0\n")
    )
    assert "<!DOCTYPE html>" in (out / "attribution" / "NOTICE.html").read_text()  # still bundled


@pytest.mark.parametrize(
    ("template", "line", "problem"),
    [
        ("{{ meta.header }}\n\n{{ meta.hedaer }}\n", 3, "'dict object' has no attribute 'hedaer'"),
        ("line one\n{% for c in components %}\n{{ c.name }\n{% endfor %}\n", 3, "unexpected '}'"),
    ],
)
def test_template_errors_name_template_and_line(
    tmp_path: Path, template: str, line: int, problem: str
) -> None:
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "notice.md.j2").write_text(template)
    out = tmp_path / "out"
    result = run_cli(
        "attribution", "--snapshot", SAMPLE_SNAPSHOT, "--template-dir", custom, "--out", out
    )
    assert result.code == 3, result.stderr
    assert f"notice.md.j2:{line}" in result.stderr and problem in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_problems_are_counted_and_strict_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out)
    assert result.code == 0
    assert (
        "attribution: 11 items need review (1 copyright-split, 1 missing-text, 1 no-license, "
        "2 suspected, 6 unresolved-choice); see REVIEW.md beside the notice" in result.stderr
    )
    # the review goes to its own report, not to the customer's notice
    review = (out / "attribution" / "REVIEW.md").read_text()
    assert "| no-license | component-bind 1.0.0 | no license is known" in review
    items = json.loads((out / "attribution" / "REVIEW.json").read_text())
    assert items["counts"] == {
        "copyright-split": 1,
        "missing-text": 1,
        "no-license": 1,
        "suspected": 2,
        "unresolved-choice": 6,
    }
    for name in ("NOTICE.html", "NOTICE.txt", "NOTICE.md"):
        notice = (out / "attribution" / name).read_text()
        for internal in (
            r"\bMend\b",
            r"\bNOASSERTION\b",
            r"\bcuration\b",
            r"getLicensesTextZip",
            r"Suspected",
            r"(?i)needs review",
            r"(?i)before shipping",
        ):
            assert not re.search(internal, notice), (name, internal)
    strict = tmp_path / "strict"
    result = run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--strict", "--out", strict)
    assert result.code == 9
    assert "--strict: 11 attribution problem(s) need review, nothing was written" in result.stderr
    assert not strict.exists()


def test_curations_resolve_problems(tmp_path: Path) -> None:
    license_map = tmp_path / "map.toml"
    entries = [
        ("pkg:npm/component-bind@1.0.0", "MIT", "Readme states MIT"),
        ("pkg:npm/better-assert@1.0.2", "MIT", "LICENSE in tarball"),
        ("pkg:npm/callsite@1.0.0", "MIT", "LICENSE in tarball"),
        ("pkg:maven/jakarta.annotation/jakarta.annotation-api@1.3.5", "EPL-2.0", "we take EPL-2.0"),
        ("pkg:maven/javax.activation/javax.activation-api@1.2.0", "CDDL-1.1", "we take CDDL-1.1"),
        ("pkg:maven/javax.servlet/javax.servlet-api@4.0.1", "CDDL-1.1", "we take CDDL-1.1"),
        ("pkg:maven/javax.xml.bind/jaxb-api@2.3.1", "CDDL-1.1", "we take CDDL-1.1"),
        ("pkg:maven/xmlpull/xmlpull@1.1.3.1", "CC-PDDC", "public domain dedication"),
        (
            "pkg:apk/alpine/libstdc%2B%2B@12.2.1_git20220924-r4",
            "GPL-2.0-or-later AND LGPL-2.1-or-later",
            "APKBUILD license= lists both; both apply",
        ),
    ]
    license_map.write_text(
        "".join(
            f'[[curations]]\npurl = "{p}"\nlicense = "{lic}"\nreason = "{r}"\n\n'
            for p, lic, r in entries
        )
        # an RPM whose vendor Mend does not state has no purl: named by its Mend key
        + '[[curations]]\nkeyUuid = "0a5eb397-3db3-580c-a793-0fc74cc0fa50"\nlicense = "OpenSSL AND Apache-2.0"\n'
        'reason = "the spec file says: License: OpenSSL and ASL 2.0"\n'
    )
    out = tmp_path / "out"
    result = run_cli(
        "attribution",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--license-map",
        license_map,
        "--out",
        out,
    )
    assert result.code == 0, result.stderr
    # every license item is resolved; what remains is a text, which curations do not touch:
    # Mend's Zlib text is zlib's own file, its authors' signature after the terms
    assert "attribution: 1 item needs review (1 copyright-split)" in result.stderr
    assert (out / "attribution" / "licenses" / "CC-PDDC.txt").is_file()


def test_empty_scope_writes_nothing(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "dataset.json").write_text(
        json.dumps(
            {
                "organization": {"orgName": "E", "orgToken": "org-e"},
                "products": [
                    {
                        "name": "Empty",
                        "token": "prod-e",
                        "projects": [{"name": "nothing", "token": "proj-e", "dependencies": []}],
                    }
                ],
                "libraries": {},
            }
        )
    )
    mend = start_emulator(folder)
    out = tmp_path / "out"
    result = run_cli(
        "attribution", "--product", "prod-e", "--out", out, env=mend.env(), cwd=tmp_path
    )
    assert result.code == 6
    assert "nothing to attribute" in result.stderr
    assert not out.exists()


def test_through_generate_with_checksums_and_determinism(tmp_path: Path) -> None:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    runs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        fmt = "attribution-html,attribution-txt,attribution-md,spdx-json"
        result = run_cli(
            "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", fmt, "--out", out, env=env
        )
        assert result.code == 0, result.stderr
        runs.append(
            {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert runs[0] == runs[1]
    sums = runs[0]["SHA256SUMS"].decode()
    assert "  attribution/NOTICE.html\n" in sums and "  attribution/licenses/MIT.txt\n" in sums


def test_split_gives_each_product_its_bundle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run_cli(
            "generate",
            "--snapshot",
            SAMPLE_SNAPSHOT,
            "--split",
            "--format",
            "attribution-txt",
            "--out",
            out,
        ).code
        == 0
    )
    assert sorted(p.name for p in (out / "attribution").iterdir()) == [
        "Acme-Payments",
        "Acme-Platform",
        "Acme-Storefront",
    ]
    payments = (out / "attribution" / "Acme-Payments" / "NOTICE.txt").read_text()
    assert "Newtonsoft.Json" in payments and "lodash" not in payments


@pytest.mark.browser
def test_html_renders_in_headless_chromium(
    sample: Inventory, meta: DocumentMeta, tmp_path: Path
) -> None:
    """Opt-in (-m browser): Debian's chromium renders NOTICE.html to a PNG."""
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    page = tmp_path / "NOTICE.html"
    page.write_bytes(_bundle(sample, meta)["attribution/NOTICE.html"])
    png = tmp_path / "notice.png"
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,1800",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert png.is_file(), proc.stderr
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
    keep = os.environ.get("SBOMGEN_KEEP_PNG")
    if keep:
        shutil.copy(png, keep)
