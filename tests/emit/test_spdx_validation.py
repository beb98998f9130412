"""The indexed run of spdx-tools' validation says exactly what the plain run says."""

from __future__ import annotations

import copy
from pathlib import Path

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
