"""Generate a synthetic organization dataset of any size (benchmarks, scale tests).

The packages are synthetic (``pkg-00042``) but every shape is the reference's: Maven,
npm (some scoped), PyPI and NuGet libraries, Mend license names including dual, unknown
and suspected ones, a dependency tree several levels deep with shared subtrees, copyrights,
notices, a few vulnerabilities and one in-house library. The same arguments always give
the same dataset.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from typing import Any

LICENSES = [
    [
        {
            "name": "Apache 2.0",
            "spdxName": "Apache-2.0",
            "url": "http://www.apache.org/licenses/LICENSE-2.0",
        }
    ],
    [{"name": "MIT", "spdxName": "MIT", "url": "http://www.opensource.org/licenses/MIT"}],
    [{"name": "BSD 3", "spdxName": "BSD-3-Clause"}],
    [{"name": "ISC"}],
    [{"name": "LGPL 2.1", "spdxName": "LGPL-2.1"}],
    [
        {"name": "CDDL 1.1"},
        {"name": "GPL 2.0 Classpath", "spdxName": "GPL-2.0-with-classpath-exception"},
    ],
    [{"name": "Unknown License"}],
    [{"name": "Suspected MIT"}],
    [{"name": "Mozilla 2.0", "spdxName": "MPL-2.0"}],
]
ECOSYSTEMS = [
    ("MAVEN_ARTIFACT", "Java"),
    ("NODE_PACKAGED_MODULE", "javascript/Node.js"),
    ("PYTHON_PACKAGE", "Python"),
    ("DOT_NET_AS_GENERIC_RESOURCE", ".NET"),
]


def _token(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def _library(i: int, rng: random.Random, *, vulnerable: bool = False) -> dict[str, Any]:
    mend_type, language = ECOSYSTEMS[i % len(ECOSYSTEMS)]
    version = f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"
    name = f"pkg-{i:05d}"
    lib: dict[str, Any] = {
        "keyId": 100000 + i,
        "version": version,
        "type": mend_type,
        "languageType": language,
        "sha1": hashlib.sha1(f"{name}-{version}".encode()).hexdigest(),  # noqa: S324 - not security
        "description": f"Synthetic library {i}",
        "references": {
            "url": f"https://example.org/{name}",
            "scmUrl": f"https://git.example.org/{name}",
        },
        "licenses": LICENSES[i % len(LICENSES)],
        "copyrightReferences": [
            {"copyright": f"Copyright (c) {2000 + i % 24} Author {i % 97} <a{i}@example.org>"}
        ],
    }
    if mend_type == "MAVEN_ARTIFACT":
        group = f"org.example.g{i % 50}"
        lib.update(
            groupId=group,
            artifactId=name,
            name=name,
            filename=f"{name}-{version}.jar",
            coordinates=f"{group}:{name}:{version}",
        )
    elif mend_type == "NODE_PACKAGED_MODULE":
        pkg = f"@scope{i % 7}/{name}" if i % 3 == 0 else name
        lib.update(
            groupId=pkg,
            artifactId=f"{name}-{version}.tgz",
            name=pkg,
            filename=f"{name}-{version}.tgz",
        )
    elif mend_type == "PYTHON_PACKAGE":
        lib.update(
            groupId=name.replace("-", "_"),
            artifactId=f"{name}-{version}-py3-none-any.whl",
            name=name.replace("-", "_"),
            filename=f"{name}-{version}-py3-none-any.whl",
        )
    else:
        lib.update(
            groupId=f"Example.Pkg{i}",
            artifactId=f"example.pkg{i}.{version}.nupkg",
            name=f"Example.Pkg{i}",
            filename=f"example.pkg{i}.{version}.nupkg",
        )
    if i % 10 == 0:
        lib["notice"] = (
            f"Synthetic library {i}\nThis product includes software developed by Example {i}."
        )
    if vulnerable:
        lib["vulnerabilities"] = [
            {
                "name": f"CVE-2024-{10000 + i * 2 + n}",
                "type": "CVE",
                "severity": "HIGH" if n == 0 else "MEDIUM",
                "score": 7.5 if n == 0 else 5.3,
                "cvss3_severity": "HIGH" if n == 0 else "MEDIUM",
                "cvss3_score": 7.5 if n == 0 else 5.3,
                "scoreMetadataVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
                "publishDate": "2024-03-01",
                "url": f"https://nvd.nist.gov/vuln/detail/CVE-2024-{10000 + i * 2 + n}",
                "description": "Synthetic vulnerability",
                "fixResolutionText": "Upgrade to a later version",
            }
            for n in range(1 + i % 2)
        ]
    return lib


def generate_dataset(
    libraries: int = 1000,
    products: int = 2,
    projects_per_product: int = 3,
    seed: int = 1,
    *,
    per_project: int | None = None,
    vulnerable: float = 0.05,
    max_depth: int = 4,
    updated: str = "2024-06-01 00:00:00",
) -> dict[str, Any]:
    """A dataset dict in the format of docs/dataset-format.md.

    ``libraries`` is the organization's pool; each project draws ``per_project`` of them
    (by default about twice its share of the pool), a third from the pool's most popular
    tenth and the rest from anywhere, so projects and products overlap as real ones do.
    Each project's tree is at most ``max_depth`` levels deep; about ``vulnerable`` of the
    libraries carry one or two vulnerabilities. Every project was last updated at
    ``updated``. The same arguments always give the same dataset.
    """
    rng = random.Random(seed)
    keys = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(libraries)]
    libs = {k: _library(i, rng, vulnerable=rng.random() < vulnerable) for i, k in enumerate(keys)}
    libs[keys[-1]]["inHouse"] = {"matchType": "manual", "comment": "in-house"}
    n_projects = products * projects_per_product
    draw = per_project or min(libraries, max(10, 2 * libraries // max(1, n_projects)))
    draw = min(draw, libraries)
    popular = keys[: max(1, libraries // 10)]
    product_list = []
    for p in range(products):
        projects = []
        for j in range(projects_per_product):
            head = rng.sample(popular, min(len(popular), draw // 3))
            members = list(dict.fromkeys(head + rng.sample(keys, draw)))[:draw]
            # a tree at most max_depth deep: each node hangs under an earlier one that is
            # not yet at the deepest level, or is a root
            nodes: list[dict[str, Any]] = [{"keyUuid": k, "dependencies": []} for k in members]
            depth = [1] * len(nodes)
            roots = []
            for n, node in enumerate(nodes):
                parents = [m for m in range(max(0, n - 12), n) if depth[m] < max_depth]
                if n < 4 or not parents or rng.random() < 0.2:
                    roots.append(node)
                else:
                    parent = rng.choice(parents)
                    nodes[parent]["dependencies"].append(node)
                    depth[n] = depth[parent] + 1
            projects.append(
                {
                    "name": f"project-{p}-{j}",
                    "token": _token("project", seed, p, j),
                    "creationDate": "2024-01-01 00:00:00",
                    "lastUpdatedDate": updated,
                    "tags": {"team": [f"team-{j % 7}"]},
                    "dependencies": roots,
                    "inventory": {
                        k: {
                            "matchType": "SHA1",
                            "locations": [
                                {
                                    "path": f"project-{p}-{j}/lib/{libs[k]['filename']}",
                                    "matchType": "SHA1",
                                }
                            ],
                        }
                        for k in members
                    },
                }
            )
        product_list.append(
            {
                "name": f"Product {p}",
                "token": _token("product", seed, p),
                "tags": {},
                "projects": projects,
            }
        )
    return {
        "organization": {
            "orgName": "Generated Org",
            "orgToken": _token("org", seed),
            "creationDate": "2024-01-01 00:00:00",
        },
        "products": product_list,
        "libraries": libs,
        "licenseTexts": {},
    }
