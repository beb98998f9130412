"""The indexed run of spdx-tools' validation says exactly what the plain run says."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from spdx_tools.spdx.model import Relationship, RelationshipType
from spdx_tools.spdx.validation import package_validator, spdx_id_validators

from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx import build_document
from sbomgen.emit.spdx_validation import validate_spdx_document
from sbomgen.model import Inventory


def _messages(document: object, indexed: bool) -> list[str]:
    return sorted(
        m.validation_message for m in validate_spdx_document(document, "SPDX-2.3", indexed=indexed)
    )


def _break(document: object, how: str) -> object:
    doc = copy.deepcopy(document)
    if how == "dangling relationship":
        doc.relationships.append(
            Relationship(doc.packages[3].spdx_id, RelationshipType.DEPENDS_ON, "SPDXRef-nowhere")
        )  # type: ignore[attr-defined]
    elif how == "underscore id":
        doc.packages[5].spdx_id = "SPDXRef-bad_id"  # type: ignore[attr-defined]
    elif how == "duplicate id":
        doc.packages[6].spdx_id = doc.packages[7].spdx_id  # type: ignore[attr-defined]
    elif how == "license info with files not analyzed":
        doc.packages[8].license_info_from_files = [doc.packages[8].license_declared]  # type: ignore[attr-defined]
    return doc


@pytest.mark.parametrize(
    "how",
    [
        "valid",
        "dangling relationship",
        "underscore id",
        "duplicate id",
        "license info with files not analyzed",
    ],
)
def test_same_messages_as_spdx_tools(sample: Inventory, meta: DocumentMeta, how: str) -> None:
    document = _break(build_document(plan_document(sample, meta), "2.3"), how)
    indexed, plain = _messages(document, True), _messages(document, False)
    assert indexed == plain
    assert bool(indexed) is (how != "valid")


def test_library_functions_are_restored(sample: Inventory, meta: DocumentMeta) -> None:
    before = (
        spdx_id_validators.get_list_of_all_spdx_ids,
        package_validator.filter_by_type_and_origin,
        package_validator.filter_by_type_and_target,
    )
    validate_spdx_document(build_document(plan_document(sample, meta), "2.3"), "SPDX-2.3")
    after = (
        spdx_id_validators.get_list_of_all_spdx_ids,
        package_validator.filter_by_type_and_origin,
        package_validator.filter_by_type_and_target,
    )
    assert before == after


def test_tag_value_parse_with_one_licensing_is_the_library_parse() -> None:
    """validate parses tag-value with a cached license-expression Licensing (spdx-tools
    builds one per field); the documents and the errors are the library's own."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    from sbomgen.emit.validate import parse_spdx_text

    golden = Path(__file__).parent / "golden" / "spdx-2.3" / "Acme-Corp.spdx"
    # the first 16 packages (the library's own parse takes 5 s for all 81)
    text = "## Package Information".join(
        golden.read_text(encoding="utf-8").split("## Package Information")[:17]
    ).encode("utf-8")
    assert parse_spdx_text(text, "tv") == Parser().parse(text.decode("utf-8"))
    broken = text.replace(
        b"PackageLicenseConcluded: MIT", b"PackageLicenseConcluded: MIT ANDD X", 1
    )
    assert broken != text
    with pytest.raises(SPDXParsingError) as ours:
        parse_spdx_text(broken, "tv")
    with pytest.raises(SPDXParsingError) as theirs:
        Parser().parse(broken.decode("utf-8"))
    assert ours.value.get_messages() == theirs.value.get_messages()


def test_yaml_written_in_batches_is_the_whole_dump(sample: Inventory, meta: DocumentMeta) -> None:
    """SPDX YAML is dumped a key and a batch of items at a time (memory); the text must be
    PyYAML's dump of the whole document."""
    import yaml

    from sbomgen.emit import spdx
    from sbomgen.emit.plan import plan_document

    data = spdx.document_dict(spdx.build_document(plan_document(sample, meta), "2.3"), "2.3")
    assert any(isinstance(v, list) and len(v) > 3 for v in data.values())
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    whole = yaml.dump(dict(data), Dumper=dumper, indent=2, allow_unicode=True, sort_keys=False)
    for batch in (1, 3, 500):
        assert spdx._yaml(data, batch) == whole.encode("utf-8")


def _rich_document() -> dict[str, object]:
    """A small valid SPDX 2.3 JSON document with every kind of part the validator locates:
    files, snippets, annotations (of the document and of a package), an external document
    reference, extracted licensing info, hasFiles and documentDescribes."""
    day = "2020-01-01T00:00:00Z"
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "t",
        "documentNamespace": "https://example.com/t",
        "creationInfo": {"created": day, "creators": ["Tool: t"], "licenseListVersion": "3.20"},
        "externalDocumentRefs": [
            {
                "externalDocumentId": "DocumentRef-a",
                "spdxDocument": "https://example.com/a",
                "checksum": {"algorithm": "SHA1", "checksumValue": "a" * 40},
            }
        ],
        "packages": [
            {
                "SPDXID": "SPDXRef-p",
                "name": "p",
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": True,
                "hasFiles": ["SPDXRef-f"],
                "packageVerificationCode": {"packageVerificationCodeValue": "b" * 40},
                "licenseConcluded": "MIT",
                "licenseInfoFromFiles": ["MIT", "LicenseRef-x"],
                "annotations": [
                    {
                        "annotationDate": day,
                        "annotationType": "REVIEW",
                        "annotator": "Person: A",
                        "comment": "ok",
                    }
                ],
            }
        ],
        "files": [
            {
                "SPDXID": "SPDXRef-f",
                "fileName": "./a.c",
                "checksums": [{"algorithm": "SHA1", "checksumValue": "d" * 40}],
                "licenseConcluded": "MIT",
                "licenseInfoInFiles": ["MIT"],
                "fileTypes": ["SOURCE"],
            }
        ],
        "snippets": [
            {
                "SPDXID": "SPDXRef-s",
                "snippetFromFile": "SPDXRef-f",
                "name": "s",
                "ranges": [
                    {
                        "startPointer": {"offset": 1, "reference": "SPDXRef-f"},
                        "endPointer": {"offset": 5, "reference": "SPDXRef-f"},
                    }
                ],
            }
        ],
        "hasExtractedLicensingInfos": [
            {"licenseId": "LicenseRef-x", "extractedText": "x", "seeAlsos": ["https://x.org/x"]}
        ],
        "annotations": [
            {
                "annotationDate": day,
                "annotationType": "OTHER",
                "annotator": "Tool: t",
                "comment": "d",
            }
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-p",
            }
        ],
        "documentDescribes": ["SPDXRef-p"],
    }


def test_every_problem_is_located_in_every_kind_of_part() -> None:
    """Schema, parser and semantic problems at once, in files, snippets, annotations,
    external document references, verification codes, extracted licensing info and hasFiles:
    each reported once, with the SPDX id of its element (where one exists) and its JSON path;
    spdx-tools' checks run although its schema and its parser refuse parts of the document."""
    import json

    from sbomgen.emit.validate import validate_bytes

    doc: dict[str, Any] = _rich_document()
    assert validate_bytes(Path("ok.spdx.json"), json.dumps(doc).encode())[1] == []
    doc["files"][0]["fileTypes"] = ["NOPE"]  # the schema
    doc["creationInfo"]["licenseListVersion"] = "three"  # the parser
    doc["annotations"][0]["annotationDate"] = "today"
    doc["packages"][0]["annotations"][0]["annotator"] = "Someone"
    doc["externalDocumentRefs"][0]["checksum"]["checksumValue"] = "e"  # spdx-tools' rules
    doc["packages"][0]["packageVerificationCode"]["packageVerificationCodeValue"] = "x"
    doc["files"][0]["licenseInfoInFiles"] = ["LicenseRef-missing"]
    doc["files"][0]["checksums"][0]["checksumValue"] = "D" * 40
    doc["snippets"][0]["ranges"][0]["endPointer"]["offset"] = 0
    doc["packages"][0]["hasFiles"].append("SPDXRef-nofile")
    doc["hasExtractedLicensingInfos"][0]["seeAlsos"] = ["not a url"]
    _, problems = validate_bytes(Path("bad.spdx.json"), json.dumps(doc).encode())
    assert sorted((p.location or "", p.spdx_id or "") for p in problems) == sorted(
        [
            ("$.files[0].fileTypes[0]", "SPDXRef-f"),
            ("$.creationInfo.licenseListVersion", "SPDXRef-DOCUMENT"),
            ("$.annotations[0].annotationDate", "SPDXRef-DOCUMENT"),
            ("$.packages[0].annotations[0].annotator", "SPDXRef-p"),
            ("$.externalDocumentRefs[0].checksum.checksumValue", "SPDXRef-DOCUMENT"),
            ("$.packages[0].packageVerificationCode", "SPDXRef-p"),
            ("$.files[0].licenseInfoInFiles[0]", "SPDXRef-f"),
            ("$.files[0].checksums[0].checksumValue", "SPDXRef-f"),
            ("$.snippets[0].ranges", "SPDXRef-s"),
            ("$.packages[0].hasFiles[1]", "SPDXRef-nofile"),
            ("$.hasExtractedLicensingInfos[0].seeAlsos[0]", ""),  # no SPDX id there
        ]
    )
    text = "\n".join(str(p) for p in problems)
    assert "time data" not in text and "SetterError" not in text and "type hint" not in text
    assert "'today'" in text and "Actor Someone" in text


@pytest.mark.parametrize(
    "how",
    ["element not an object", "required field of no default", "blank license in a list"],
)
def test_what_cannot_be_read_is_set_aside_and_the_rest_checked(how: str) -> None:
    """An element the schema or the parser refuses as a whole is dropped for spdx-tools'
    checks, which still run on the rest; a reference to it is not reported again."""
    import json

    from sbomgen.emit.validate import validate_bytes

    doc: dict[str, Any] = _rich_document()
    doc["files"][0]["checksums"][0]["checksumValue"] = "abc"  # found by spdx-tools' checks
    if how == "element not an object":
        doc["snippets"][0] = "junk"
        expected = ("$.snippets[0]", "SPDXRef-DOCUMENT")
    elif how == "required field of no default":
        del doc["snippets"][0]["snippetFromFile"]
        expected = ("$.snippets[0]", "SPDXRef-s")
    else:
        doc["packages"][0]["licenseInfoFromFiles"] = ["MIT", ""]
        expected = ("$.packages[0].licenseInfoFromFiles[1]", "SPDXRef-p")
    doc["relationships"].append(
        {
            "spdxElementId": "SPDXRef-s",
            "relationshipType": "OTHER",
            "relatedSpdxElement": "SPDXRef-f",
        }
    )
    _, problems = validate_bytes(Path("bad.spdx.json"), json.dumps(doc).encode())
    found = [(p.location, p.spdx_id) for p in problems]
    assert found[0] == expected, problems
    rest = [("$.files[0].checksums[0].checksumValue", "SPDXRef-f")]
    if how == "element not an object":  # no element has the id: the reference is dangling
        rest.append(("$.relationships[1].spdxElementId", "SPDXRef-s"))
    assert found[1:] == rest, problems
