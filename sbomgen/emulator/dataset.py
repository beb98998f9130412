"""Load an organization dataset (see docs/dataset-format.md) and answer Mend requests
from it, in the response shapes of the Mend API reference."""

from __future__ import annotations

import html
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JsonObject = dict[str, Any]


class DatasetError(Exception):
    pass


@dataclass
class ProjectData:
    raw: JsonObject
    product: ProductData
    tree: list[JsonObject]
    direct: list[str]
    all_keys: list[str]  # hierarchy keys first (pre-order), then unresolved

    @property
    def token(self) -> str:
        return str(self.raw["token"])

    @property
    def name(self) -> str:
        return str(self.raw["name"])

    def inventory_entry(self, key: str) -> Mapping[str, Any]:
        inv = self.raw.get("inventory") or {}
        entry = inv.get(key) or {}
        return entry if isinstance(entry, dict) else {}


@dataclass
class ProductData:
    raw: JsonObject
    projects: list[ProjectData] = field(default_factory=list)

    @property
    def token(self) -> str:
        return str(self.raw["token"])

    @property
    def name(self) -> str:
        return str(self.raw["name"])


class Dataset:
    """An organization: products, projects, libraries, license texts."""

    def __init__(self, data: JsonObject, license_texts: Mapping[str, str]) -> None:
        self.raw = data
        org = data.get("organization") or {}
        self.org_name = str(org.get("orgName", "Organization"))
        self.org_token = str(org.get("orgToken", "org-token"))
        self.org_created = str(org.get("creationDate", "2020-01-01 00:00:00"))
        self.libraries: dict[str, JsonObject] = dict(data.get("libraries") or {})
        self.license_texts = dict(license_texts)
        self.products: list[ProductData] = []
        self.product_by_token: dict[str, ProductData] = {}
        self.project_by_token: dict[str, ProjectData] = {}
        for p in data.get("products") or []:
            prod = ProductData(raw=p)
            for pr in p.get("projects") or []:
                tree = pr.get("dependencies") or []
                keys: list[str] = []
                self._walk(tree, keys, pr.get("name", "?"))
                for k in pr.get("unresolved") or []:
                    self._check_key(k, pr.get("name", "?"))
                    if k not in keys:
                        keys.append(k)
                project = ProjectData(
                    raw=pr,
                    product=prod,
                    tree=tree,
                    direct=[str(n["keyUuid"]) for n in tree],
                    all_keys=list(dict.fromkeys(keys)),
                )
                prod.projects.append(project)
                self.project_by_token[project.token] = project
            self.products.append(prod)
            self.product_by_token[prod.token] = prod

    def _check_key(self, key: str, where: str) -> None:
        if key not in self.libraries:
            raise DatasetError(f"project {where}: keyUuid {key} is not in 'libraries'")

    def _walk(self, nodes: Iterable[JsonObject], keys: list[str], where: str) -> None:
        for node in nodes:
            key = str(node["keyUuid"])
            self._check_key(key, where)
            keys.append(key)
            self._walk(node.get("dependencies") or [], keys, where)

    @classmethod
    def load(cls, directory: Path) -> Dataset:
        path = directory / "dataset.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{path}: {exc}") from None
        texts = {}
        for name, rel in (data.get("licenseTexts") or {}).items():
            try:
                texts[name] = (directory / rel).read_text(encoding="utf-8")
            except OSError as exc:
                raise DatasetError(
                    f"{path}: licenseTexts[{name!r}] -> {rel}: {exc.strerror}"
                ) from None
        return cls(data, texts)

    # -- scope helpers ----------------------------------------------------------------

    def projects_of(self, scope: str, token: str | None) -> list[ProjectData]:
        if scope == "org":
            return [pr for p in self.products for pr in p.projects]
        if scope == "product":
            return list(self.product_by_token[token].projects) if token else []
        return [self.project_by_token[token]] if token else []

    def keys_in(self, projects: Iterable[ProjectData]) -> list[str]:
        out: dict[str, None] = {}
        for pr in projects:
            for k in pr.all_keys:
                out.setdefault(k, None)
        return list(out)

    # -- library shapes ---------------------------------------------------------------

    def _basic(self, key: str, *, language: bool = False) -> JsonObject:
        lib = self.libraries[key]
        out: JsonObject = {"keyUuid": key}
        for name in ("keyId", "filename", "name", "groupId", "artifactId", "version", "sha1"):
            if lib.get(name) is not None:
                out[name] = lib[name]
        out["type"] = lib.get("languageType" if language else "type", "UNKNOWN_ARTIFACT")
        return out

    def hierarchy(self, pr: ProjectData, *, in_house: bool = True) -> list[JsonObject]:
        """getProjectHierarchy's tree; without in-house libraries (and what only they pull
        in) when ``includeInHouseData`` is false."""
        return [n for n in (self.hierarchy_node(n, in_house=in_house) for n in pr.tree) if n]

    def hierarchy_node(self, node: Mapping[str, Any], *, in_house: bool = True) -> JsonObject:
        key = str(node["keyUuid"])
        lib = self.libraries[key]
        if not in_house and lib.get("inHouse"):
            return {}
        out = self._basic(key)
        if lib.get("coordinates"):
            out["coordinates"] = lib["coordinates"]
        children = [
            c
            for c in (
                self.hierarchy_node(c, in_house=in_house) for c in node.get("dependencies") or []
            )
            if c
        ]
        if children:
            out["dependencies"] = children
        return out

    def license_objects(self, key: str, *, with_refs: bool = True) -> list[JsonObject]:
        out = []
        for lic in self.libraries[key].get("licenses") or []:
            obj = {k: v for k, v in lic.items() if with_refs or k != "references"}
            out.append(obj)
        return out

    def licenses_entry(
        self,
        key: str,
        projects: list[ProjectData],
        *,
        shapes: str = "1.4",
        occurrences: bool = True,
        index: Mapping[str, list[ProjectData]] | None = None,
    ) -> JsonObject:
        """One library of a get*Licenses answer, in the v1.4 shape or the v1.2 one (license
        names only, the language under ``languages``, no copyrights or occurrences)."""
        lib = self.libraries[key]
        using = (
            index.get(key, [])
            if index is not None
            else [pr for pr in projects if key in pr.all_keys]
        )
        out = self._basic(key, language=True)
        if shapes == "1.2":
            language = out.pop("type")
            out["licenses"] = [str(lic.get("name")) for lic in lib.get("licenses") or []]
            out["languages"] = language
            refs = lib.get("references") or {}
            kept = {k: refs[k] for k in ("url", "downloadLink") if refs.get(k)}
            if kept:
                out["references"] = kept
            return out
        out["resolvedType"] = out["type"]
        if lib.get("description"):
            out["description"] = lib["description"]
        if lib.get("references"):
            out["references"] = lib["references"]
        out["directDependency"] = any(key in pr.direct for pr in using)
        if occurrences:
            out["projects"] = [{"projectName": pr.name, "projectToken": pr.token} for pr in using]
        out["licenses"] = self.license_objects(key)
        out["copyrightReferences"] = list(lib.get("copyrightReferences") or [])
        return out

    def alert_library(self, key: str) -> JsonObject:
        lib = self.libraries[key]
        out = self._basic(key)
        if lib.get("description"):
            out["description"] = lib["description"]
        if lib.get("references"):
            out["references"] = lib["references"]
        out["licenses"] = [
            {"name": lic.get("name"), "url": lic.get("url")} for lic in lib.get("licenses") or []
        ]
        return out

    def alerts(
        self, projects: list[ProjectData], *, ignored: bool = False, shape: str = "named"
    ) -> list[JsonObject]:
        """Security alerts; an ignored one (a vulnerability with ``"ignored"``, or with
        ``"ignoredIn"``: the names of the projects that ignore it, with their comments)
        leaves those projects' active lists and appears in their ignored ones, as in Mend.
        ``shape`` (ignored ones): "reference", the comment in ``library.comments`` and no
        project; "named", the comment beside the library and the project's name."""
        out = []
        for pr in projects:
            for key in pr.all_keys:
                lib = self.libraries[key]
                for vuln in lib.get("vulnerabilities") or []:
                    decision = _ignored_in(vuln, pr.name)
                    if bool(decision) != ignored:
                        continue
                    alert_id = uuid.uuid5(
                        uuid.NAMESPACE_URL, f"{pr.token}/{key}/{vuln.get('name')}"
                    )
                    out.append(
                        {
                            "type": "SECURITY_VULNERABILITY",
                            "level": "MAJOR",
                            "library": self.alert_library(key),
                            "project": pr.name,
                            "directDependency": key in pr.direct,
                            "description": vuln.get("description", ""),
                            "date": str(vuln.get("publishDate", ""))[:10],
                            "time": 0,
                            "alertUuid": str(alert_id),
                            "vulnerability": {
                                k: v for k, v in vuln.items() if k not in ("ignored", "ignoredIn")
                            },
                        }
                    )
                    if ignored:
                        comment = str((decision or {}).get("comment", ""))
                        if shape == "reference":
                            del out[-1]["project"]
                            out[-1]["library"] = {**out[-1]["library"], "comments": comment}
                        else:
                            out[-1]["comments"] = comment
        return out

    def in_house(self, projects: list[ProjectData]) -> list[JsonObject]:
        out = []
        for pr in projects:
            for key in pr.all_keys:
                lib = self.libraries[key]
                marker = lib.get("inHouse")
                if not marker:
                    continue
                entry = {**marker, **self._basic(key)}
                if lib.get("description"):
                    entry["description"] = lib["description"]
                entry.update(
                    productName=pr.product.name,
                    productToken=pr.product.token,
                    projectName=pr.name,
                    projectToken=pr.token,
                )
                out.append(entry)
        return out

    def locations(self, projects: list[ProjectData], *, project_level: bool) -> list[JsonObject]:
        by_key: dict[str, list[JsonObject]] = {}
        for pr in projects:
            for key in pr.all_keys:
                for loc in pr.inventory_entry(key).get("locations") or []:
                    item = dict(loc)
                    if not project_level:
                        item.pop("dependencyFile", None)
                    if item not in by_key.setdefault(key, []):
                        by_key[key].append(item)
        return [
            {
                "name": self.libraries[k].get("filename") or self.libraries[k].get("name"),
                "keyId": self.libraries[k].get("keyId"),
                "keyUuid": k,
                "locations": locs,
            }
            for k, locs in by_key.items()
        ]

    @staticmethod
    def users(projects: list[ProjectData]) -> dict[str, list[ProjectData]]:
        """Which of ``projects`` use each library (an index for large answers)."""
        out: dict[str, list[ProjectData]] = {}
        for pr in projects:
            for key in pr.all_keys:
                out.setdefault(key, []).append(pr)
        return out

    def inventory(
        self, pr: ProjectData, *, in_house: bool = True, outdated: bool = True
    ) -> JsonObject:
        libs = []
        for key in pr.all_keys:
            if not in_house and self.libraries[key].get("inHouse"):
                continue
            entry = self._basic(key)
            inv = pr.inventory_entry(key)
            entry["licenses"] = self.license_objects(key, with_refs=False)
            entry["vulnerabilities"] = [
                {
                    k: v
                    for k, v in vuln.items()
                    if k in ("name", "type", "severity", "score", "cvss3_severity", "cvss3_score")
                }
                for vuln in self.libraries[key].get("vulnerabilities") or []
            ]
            if outdated:
                entry["outdated"] = bool(inv.get("outdated", False))
            entry["matchType"] = inv.get("matchType", "SHA1")
            libs.append(entry)
        return {"projectVitals": self.project_vitals(pr, inventory=True), "libraries": libs}

    def project_vitals(self, pr: ProjectData, *, inventory: bool = False) -> JsonObject:
        raw = pr.raw
        out: JsonObject = {}
        if inventory:
            out["productName"] = pr.product.name
        else:
            if raw.get("pluginName"):
                out["pluginName"] = raw["pluginName"]
        out["name"] = pr.name
        out["token"] = pr.token
        if not inventory and raw.get("uploadedBy"):
            out["uploadedBy"] = raw["uploadedBy"]
        out["creationDate"] = raw.get("creationDate", self.org_created)
        out["lastUpdatedDate"] = raw.get("lastUpdatedDate", self.org_created)
        return out

    def product_vitals(self, prod: ProductData) -> JsonObject:
        return {
            "name": prod.name,
            "token": prod.token,
            "creationDate": prod.raw.get("creationDate", self.org_created),
            "lastUpdatedDate": prod.raw.get("lastUpdatedDate", self.org_created),
        }

    def used_license_names(self, projects: list[ProjectData]) -> list[str]:
        names: dict[str, None] = {}
        for key in self.keys_in(projects):
            for lic in self.libraries[key].get("licenses") or []:
                names.setdefault(str(lic.get("name")), None)
        return sorted(names)

    def license_zip(self, projects: list[ProjectData]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in self.used_license_names(projects):
                text = self.license_texts.get(name)
                if text is None:
                    continue
                info = zipfile.ZipInfo(f"{name}.txt", date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, text)
        return buf.getvalue()

    def text_blocks(self, projects: list[ProjectData], what: str) -> str:
        """The copyrights or notices text file: one block per library."""
        return "\n".join(
            f"Library: {name}\n{body}\n" for name, body in self.text_entries(projects, what)
        )

    def text_entries(self, projects: list[ProjectData], what: str) -> list[tuple[str, str]]:
        """(library file name, HTML-escaped text) for the copyrights or notices file."""
        blocks = []
        keys = sorted(
            self.keys_in(projects), key=lambda k: str(self.libraries[k].get("filename") or k)
        )
        for key in keys:
            lib = self.libraries[key]
            if what == "copyrights":
                lines = [
                    str(c.get("copyright"))
                    for c in lib.get("copyrightReferences") or []
                    if c.get("copyright")
                ]
                body = "\n".join(lines)
            else:
                body = str(lib.get("notice") or "").strip()
            if body:
                # Mend's text files are HTML-escaped (``&lt;tj@vision-media.ca&gt;``)
                body = html.escape(html.unescape(body), quote=False)
                blocks.append((str(lib.get("filename") or lib.get("name") or key), body))
        return blocks

    def histogram(self, projects: list[ProjectData]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key in self.keys_in(projects):
            for lic in self.libraries[key].get("licenses") or []:
                counts[str(lic.get("name"))] = counts.get(str(lic.get("name")), 0) + 1
        return counts


def _ignored_in(vuln: JsonObject, project: str) -> JsonObject | None:
    """The decision about ``vuln`` in the project named ``project``: ``"ignored"`` holds for
    every project, ``"ignoredIn"`` ({project name: {"comment": …}}) for the named ones."""
    per_project = vuln.get("ignoredIn") or {}
    if project in per_project:
        return dict(per_project[project] or {"comment": ""})
    found = vuln.get("ignored")
    return dict(found) if found else None
