"""Untrusted content: XML with entities, HTML payloads in Mend's data, hostile names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DATASET, Mend, names, run_cli
from lxml import html as lxml_html

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="application"><name>&xxe;</name></component></metadata></bom>
"""


def _laughs(root: str) -> bytes:
    entities = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        previous = "lol" if i == 1 else f"lol{i - 1}"
        entities.append(f'<!ENTITY lol{i} "{("&" + previous + ";") * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(entities) + "\n]>\n" + root
    ).encode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("xxe.cdx.xml", XXE),
        (
            "laughs.cdx.xml",
            _laughs(
                '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="application"><name>&lol9;</name></component></metadata></bom>'
            ),
        ),
        (
            "laughs.spdx.xml",
            _laughs("<Document><spdxVersion>SPDX-2.3</spdxVersion><name>&lol9;</name></Document>"),
        ),
        (
            "laughs.spdx.rdf.xml",
            _laughs(
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument><spdx:specVersion>SPDX-2.3</spdx:specVersion><spdx:name>&lol9;</spdx:name></spdx:SpdxDocument></rdf:RDF>'
            ),
        ),
    ],
)
def test_xml_with_entities_is_refused_before_parsing(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for fmt in ("text", "json"):
        result = run_cli("validate", "--format", fmt, path)
        assert result.code == 6, result.stdout + result.stderr
        assert "document type declaration" in result.stdout and "line 2" in result.stdout
        assert "root:" not in result.stdout  # nothing of /etc/passwd


def test_a_native_report_with_entities_is_kept_unread(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator()
    mend.emulator.report_builder = lambda emulator, job: {"report.cdx.xml": XXE}
    out = tmp_path / "o"
    result = run_cli(
        "native",
        "--product",
        mend.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--format",
        "xml",
        "--poll-interval",
        "0.05",
        "--out",
        out,
        env=mend.env(),
    )
    assert result.code == 0, result.stderr  # kept as Mend sent it, and said to be unreadable
    report = json.loads((out / "VALIDATION.json").read_text())
    assert report["files"][0]["status"] == "unreadable"
    assert "document type declaration" in report["files"][0]["error"]
    assert (out / "report.cdx.xml").read_bytes() == XXE
    compared = run_cli(
        "native",
        "--product",
        mend.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--format",
        "xml",
        "--poll-interval",
        "0.05",
        "--out",
        tmp_path / "c",
        "--compare",
        env=mend.env(),
    )
    assert compared.code == 6 and "document type declaration" in compared.stderr


PAYLOADS = {
    "script": "<script>alert('name')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "quote": '"><svg onload=alert(2)>',
    "style": "</style><script>alert(3)</script>",
    "link": "javascript:alert(4)",
}


@pytest.fixture
def hostile(tmp_path: Path, start_emulator: Any) -> Mend:
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    data["products"][0]["name"] = f"Product {PAYLOADS['script']}"
    lib = data["libraries"]["k-express"]
    lib["name"] = f"express{PAYLOADS['img']}"
    lib["description"] = PAYLOADS["quote"]
    lib["references"] = {"url": PAYLOADS["link"], "homepage": PAYLOADS["link"]}
    lib["licenses"] = [{"name": f"Odd {PAYLOADS['style']} License"}]
    lib["copyrightReferences"] = [
        {"type": "COPYRIGHT", "copyright": f"Copyright {PAYLOADS['img']} Evil Corp"}
    ]
    (folder / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(folder)
    return mend


def test_html_attribution_escapes_every_payload(tmp_path: Path, hostile: Mend) -> None:
    out = tmp_path / "o"
    result = run_cli(
        "attribution",
        "--org",
        "--format",
        "html",
        "--title",
        PAYLOADS["script"],
        "--header",
        PAYLOADS["style"],
        "--footer",
        PAYLOADS["img"],
        "--out",
        out,
        env=hostile.env(),
    )
    assert result.code == 0, result.stderr
    page = (out / "attribution" / "NOTICE.html").read_text()
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == []  # none came through as markup
    assert tree.xpath("//img | //svg") == []
    for element in tree.iter():
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (element.tag, attribute)
            if attribute in ("href", "src"):
                assert not value.strip().lower().startswith("javascript:"), value
    text = tree.text_content()
    assert PAYLOADS["script"] in text and "onerror" in text  # shown as text, escaped


@pytest.mark.parametrize(
    "product",
    ["../../etc", "a/b\\c", "nul\x00byte", "CON", "x" * 300, ".hidden", "..."],
)
def test_names_from_mend_cannot_leave_the_output_directory(
    tmp_path: Path, start_emulator: Any, product: str
) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    data["products"][0]["name"] = product
    (folder / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(folder)
    out = tmp_path / "work" / "out"
    result = run_cli(
        "generate",
        "--org",
        "--split",
        "--format",
        "cyclonedx-json,attribution-txt",
        "--out",
        out,
        env=mend.env(),
    )
    assert result.code == 0, result.stderr
    inside = {p.resolve() for p in out.rglob("*")}
    assert all(out.resolve() in p.parents for p in inside)
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["out"]  # nothing beside it
    for path in out.rglob("*"):
        assert len(path.name.encode()) <= 255 and "\x00" not in path.name
        assert path.name.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
    assert len(names(out)) >= 3
