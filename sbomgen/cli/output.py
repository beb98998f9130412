"""Turning a command's options into the pipeline's settings, and reporting what it wrote."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from sbomgen.cli.common import cfg_list, cfg_str, say
from sbomgen.cli.options import ATTRIBUTION, State
from sbomgen.errors import ConfigError

if TYPE_CHECKING:
    from sbomgen._io import OutputDir
    from sbomgen.emit.attribution import AttributionOptions
    from sbomgen.emit.interface import Emitter, OwnFile
    from sbomgen.pipeline import Enricher

log = logging.getLogger("sbomgen")


def prepare_out(out: Path, owner: str, force: bool) -> OutputDir:
    """The output directory, created and proven writable before any request is made."""
    from sbomgen._io import OutputDir

    output = OutputDir(out, owner=owner, force=force)
    output.check()
    return output


def enrichers_for(kwargs: dict[str, Any], cfg: Any) -> list[Enricher]:
    from sbomgen.enrich.licenses import LicensePolicy
    from sbomgen.enrich.vex import VexMap
    from sbomgen.pipeline import default_enrichers

    license_map: Path | None = kwargs.get("license_map")
    policy = LicensePolicy.load(license_map) if license_map else None
    vex_path: Path | None = kwargs.get("vex_map")
    return default_enrichers(
        policy,
        kwargs["multi_license"],
        supplier=cfg_str(cfg, "supplier"),
        vex_map=VexMap.load(vex_path) if vex_path else None,
    )


def document_settings(kwargs: dict[str, Any], cfg: Any) -> dict[str, Any]:
    """What describes the documents: name and version (options), and the document facts
    of the config file (supplier, authors, license, license-text, copyright)."""
    return {
        "name": kwargs.get("name"),
        "version": kwargs.get("doc_version"),
        "supplier": cfg_str(cfg, "supplier"),
        "supplier_contact": supplier_contact(cfg),
        "versions": own_versions(cfg),
        "own_files": own_files(cfg),
        "own_identifiers": own_identifiers(cfg),
        "authors": cfg_list(cfg, "authors"),
        "own_license": own_license(cfg),
        "own_license_text": own_license_text(cfg),
        "own_copyright": cfg_str(cfg, "copyright"),
    }


def _config_table(cfg: Any, key: str, usage: str) -> tuple[dict[str, Any], str]:
    """The config file's ``[key]`` table (empty when absent) and where it is; ``usage`` says
    what it should hold when it is no table."""
    value = cfg.get(key) if cfg is not None else None
    where = getattr(cfg, "where", "config")
    if value is None:
        return {}, where
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] {usage}")
    return value, where


def own_versions(cfg: Any) -> dict[str, str]:
    """``[versions]``: a product's or project's own version, by its name in Mend (the
    others take ``--version``)."""
    from sbomgen.errors import ConfigError

    value = cfg.get("versions") if cfg is not None else None
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ConfigError(
            f"{getattr(cfg, 'where', 'config')}: [versions] maps a product's or project's "
            'name to its version, as strings ("storefront-api" = "3.1.0")'
        )
    return dict(value)


def own_files(cfg: Any) -> dict[str, OwnFile]:
    """``[files]``: the file each of the release's products and projects (and the
    described software, by the document's name) ships as: its name, or a table with its
    ``name``, the ``url`` it is downloaded from and, as BSI TR-03183-2 asks, its ``sha512``
    and whether it is an ``archive``, ``executable``, and ``structured`` (a container) or
    not (firmware)."""
    from sbomgen.emit.interface import OwnFile

    value, where = _config_table(
        cfg, "files", 'maps a name to a file name ("storefront-api" = "storefront.jar")'
    )
    out: dict[str, OwnFile] = {}
    for name, given in value.items():
        entry = {"name": given} if isinstance(given, str) else given
        at = f"{where}: [files] {name!r}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{at} should be a file name, or a table with its name")
        unknown = sorted(
            set(entry) - {"name", "sha512", "url", "archive", "executable", "structured"}
        )
        if unknown:
            raise ConfigError(
                f"{at}: unknown key {unknown[0]!r} (known: name, sha512, url, archive, "
                "executable, structured)"
            )
        file = entry.get("name")
        if not isinstance(file, str) or not file.strip():
            raise ConfigError(f"{at} needs the file's name, as a string")
        if "/" in file or "\\" in file or file.strip() in (".", ".."):
            raise ConfigError(f"{at}: {file!r} is a path; give the file's name only")
        sha512 = entry.get("sha512")
        if sha512 is not None and not (
            isinstance(sha512, str) and re.fullmatch(r"[0-9a-fA-F]{128}", sha512)
        ):
            raise ConfigError(f"{at}: sha512 should be 128 hexadecimal digits")
        url = entry.get("url")
        if url is not None and not (isinstance(url, str) and re.fullmatch(r"https?://\S+", url)):
            raise ConfigError(f"{at}: url should be an http(s) URL")
        flags: dict[str, bool | None] = {}
        for flag in ("archive", "executable", "structured"):
            given_flag = entry.get(flag)
            if given_flag is not None and not isinstance(given_flag, bool):
                raise ConfigError(f"{at}: {flag} should be true or false")
            flags[flag] = given_flag
        out[name] = OwnFile(
            name=file.strip(),
            sha512=sha512.lower() if sha512 else None,
            url=url,
            archive=flags["archive"],
            executable=flags["executable"],
            structured=flags["structured"],
        )
    return out


def own_identifiers(cfg: Any) -> dict[str, tuple[str, ...]]:
    """``[identifiers]``: Package URLs and CPEs (2.3 formatted strings or 2.2 URIs) of the
    release's products and projects (and of the described software, by the document's
    name); each is checked as SPDX checks them."""
    import re

    from packageurl import PackageURL
    from spdx_tools.spdx.validation.external_package_ref_validator import (
        CPE22TYPE_REGEX,
        CPE23TYPE_REGEX,
    )

    value, where = _config_table(
        cfg, "identifiers", "maps a name to a Package URL or CPE, or a list of them"
    )
    out: dict[str, tuple[str, ...]] = {}
    for name, given in value.items():
        items = [given] if isinstance(given, str) else given
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise ConfigError(
                f"{where}: [identifiers] {name!r} should be a Package URL or CPE, or a list "
                "of them, as strings"
            )
        for item in items:
            if item.startswith("pkg:"):
                try:
                    PackageURL.from_string(item)
                except ValueError as exc:
                    raise ConfigError(
                        f"{where}: [identifiers] {name!r}: {item!r} is not a valid Package "
                        f"URL: {exc}"
                    ) from None
            elif not (re.match(CPE23TYPE_REGEX, item) or re.match(CPE22TYPE_REGEX, item)):
                raise ConfigError(
                    f"{where}: [identifiers] {name!r}: {item!r} is neither a Package URL "
                    "(pkg:…) nor a CPE (cpe:2.3:… or cpe:/…)"
                )
        out[name] = tuple(dict.fromkeys(items))
    return out


def supplier_contact(cfg: Any) -> str | None:
    """The supplier's e-mail address or web address (``supplier-contact``): BSI
    TR-03183-2 asks for one of the SBOM's creator."""
    from sbomgen.errors import ConfigError

    value = cfg_str(cfg, "supplier-contact")
    if value is None:
        return None
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+", value):
        raise ConfigError(
            f"{getattr(cfg, 'path', None) or 'config'}: supplier-contact {value!r} is neither an "
            "e-mail address nor an http(s) URL"
        )
    return value


def attribution_settings(kwargs: dict[str, Any]) -> AttributionOptions:
    from sbomgen.emit.attribution import AttributionOptions

    return AttributionOptions(
        header=kwargs["header"],
        title=kwargs["title"],
        footer=kwargs["footer"],
        scope=tuple(kwargs["sections"]),
        aggregate=kwargs["aggregate"],
        missing_license=kwargs["missing_license"],
        template_dir=kwargs["template_dir"],
        strict=kwargs["strict"],
        include_in_house=kwargs["include_in_house"],
    )


def warn_unused(ctx: click.Context, formats: Sequence[str]) -> None:
    """An option given for an output that was not asked for does nothing: say so."""

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) in (
            ParameterSource.COMMANDLINE,
            ParameterSource.ENVIRONMENT,
        )

    bundle = any(f.startswith("attribution-") for f in formats)
    for param in ctx.command.params:
        if param.name is None or not given(param.name):
            continue
        flag = next((o for o in param.opts if o.startswith("--")), param.name)
        if getattr(param, "section", None) == ATTRIBUTION and not bundle:
            log.warning("%s applies to the attribution bundle; --format has no attribution-*", flag)
        elif param.name == "cyclonedx_version" and not any(
            f.startswith("cyclonedx-") or f == "openvex" for f in formats
        ):
            log.warning("%s has no effect: --format has no cyclonedx-*", flag)
        elif param.name == "spdx_version" and not any(f.startswith("spdx-") for f in formats):
            log.warning("%s has no effect: --format has no spdx-*", flag)


def check_stdout(formats: Sequence[str], summary_json: Path | None, split: bool = False) -> None:
    """--out - takes one document; say so before any work is done (before any request)."""
    if split:
        raise click.UsageError(
            "--out - writes one document to stdout, and --split asks for one per product: "
            "give --out DIR (for a single product --split changes nothing: leave it out)"
        )
    if len(formats) != 1:
        raise click.UsageError(
            f"--out - writes one document to stdout, and --format asks for {len(formats)} "
            f"({', '.join(formats)}); give one format, or --out DIR"
        )
    if formats[0].startswith("attribution-"):
        raise click.UsageError(
            "--out - writes one document to stdout; an attribution bundle is several files "
            "(the notice, license texts, the review): give --out DIR"
        )
    if summary_json is not None and str(summary_json) == "-":
        raise click.UsageError("--out - and --summary-json - both want stdout; give one a file")


def stdout_document(files: dict[str, bytes], split: bool) -> tuple[str, bytes]:
    documents = {name: data for name, data in files.items() if name != "SHA256SUMS"}
    if len(documents) != 1:
        raise click.UsageError(
            f"--out - writes one document to stdout, and this run made {len(documents)}"
            + (" (--split makes one per product)" if split else "")
            + "; give --out DIR"
        )
    return next(iter(documents.items()))


def report_attribution(state: State, emitters: Sequence[Emitter]) -> None:
    from sbomgen.emit.attribution import Attribution, count_problems

    for emitter in emitters:
        if isinstance(emitter, Attribution):
            problems = emitter.problems
            if problems:
                kinds = ", ".join(f"{n} {k}" for k, n in sorted(count_problems(problems).items()))
                say(
                    state,
                    f"attribution: {len(problems)} item{'s' if len(problems) != 1 else ''} "
                    f"need{'s' if len(problems) == 1 else ''} review ({kinds}); see REVIEW.md "
                    "beside the notice",
                )
            else:
                say(state, "attribution: nothing needs review")


def own_license(cfg: Any) -> str | None:
    from sbomgen.enrich.licenses import normalize_expression

    value = cfg_str(cfg, "license")
    if value is None:
        return None
    normalized = normalize_expression(value)
    if normalized is None:
        raise ConfigError(
            f"{cfg.where}: setting 'license' = {value!r} is not a valid SPDX expression"
        )
    if "DocumentRef-" in normalized:
        raise ConfigError(
            f"{cfg.where}: setting 'license' = {value!r}: a DocumentRef points into another "
            "document; use a LicenseRef with license-text"
        )
    return normalized


def own_license_text(cfg: Any) -> str | None:
    """The text of the configured license's LicenseRef (``license-text``, a file path
    relative to the config file). Without it, SPDX documents cannot assert a LicenseRef."""
    value = cfg_str(cfg, "license-text")
    license = cfg_str(cfg, "license") or ""
    if value is None:
        if "LicenseRef-" in license:
            log.warning(
                "%s: license %r names a LicenseRef but no license-text file is set; SPDX "
                "documents leave the license of the described software unasserted",
                cfg.where,
                license,
            )
        return None
    path = Path(value)
    if not path.is_absolute() and cfg.path is not None:
        path = cfg.path.parent / path
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(
            f"{cfg.where}: setting 'license-text' = {value!r} ({path}): {reason}"
        ) from None
