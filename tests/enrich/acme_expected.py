"""Hand-checked expectations for enriching the sample organization (samples/acme-dataset).

Every value below was derived by hand from docs/enrichment.md (the policy) and the Mend
fields in samples/acme-dataset/dataset.json, not from sbomgen's implementation; the only
sbomgen file consulted is the alias table the policy names
(sbomgen/enrich/mend_licenses.py), read as data. Default options: no ``--license-map`` (so
no curations), ``--multi-license or``.

``EXPECTED`` maps each of the 67 libraries' keyUuid to its Package URL and its declared and
concluded licenses ("Declared and concluded": the declared license joins the licenses Mend
did not merely suspect, the concluded one joins all of them, "Suspected X" included).
``EDGES`` lists, per project name, the dependency-graph edges as (parent, child) keyUuids,
``None`` being the project root.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expect:
    """What the policy gives for one library."""

    name: str  # Mend's name, a label for messages
    purl: str | None  # None when the policy gives no purl
    declared: str  # the declared SPDX expression (licenses Mend did not merely suspect)
    concluded: str  # the concluded SPDX expression (all of Mend's licenses, suspected included)
    suspected: bool  # one of its Mend licenses is "Suspected ..."
    inferred_or: bool  # two or more distinct licenses were joined with OR


# fmt: off
EXPECTED: dict[str, Expect] = {
    # --- Maven (MAVEN_ARTIFACT) ---
    "d53cffce-6408-4267-a3f1-5e852462bb4f": Expect(name="jackson-databind", purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "6f6e6173-ef6a-4465-8037-1f2dfe150915": Expect(name="Jackson-annotations", purl="pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.15.2", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "b417e820-70af-4207-99ec-ac333df13c7b": Expect(name="Jackson-core", purl="pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "4fb03b3c-a48a-423e-aee9-952bba01f384": Expect(name="Apache Commons Lang", purl="pkg:maven/org.apache.commons/commons-lang3@3.12.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    # "Eclipse 2.0" + "GPL 2.0 Classpath" (alias table), OR in Mend's order, WITH part parenthesized
    "f9a60f02-305a-48ca-b79d-13d9a86c8385": Expect(name="Jakarta Annotations API", purl="pkg:maven/jakarta.annotation/jakarta.annotation-api@1.3.5", declared="EPL-2.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)", concluded="EPL-2.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)", suspected=False, inferred_or=True),
    # "CDDL 1.1" has no spdxName: alias table -> CDDL-1.1
    "96eea533-8edc-448c-9844-e35e9018bd00": Expect(name="Java Servlet API", purl="pkg:maven/javax.servlet/javax.servlet-api@4.0.1", declared="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", concluded="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", suspected=False, inferred_or=True),
    # artifactId (akka-actor_2.11), not Mend's name, is the purl name
    "62d7be19-0f13-4518-a46c-4847d3703899": Expect(name="akka-actor", purl="pkg:maven/com.typesafe.akka/akka-actor_2.11@2.5.2", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "e9b228dc-e53d-4ac7-856b-7f87c69621bb": Expect(name="Scala Library", purl="pkg:maven/org.scala-lang/scala-library@2.11.11", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),
    "84908fe3-749c-4889-b310-9ca80bef4dd4": Expect(name="Acme Commons", purl="pkg:maven/com.acme/acme-commons@3.2.0", declared="LicenseRef-Acme-Proprietary-License", concluded="LicenseRef-Acme-Proprietary-License", suspected=False, inferred_or=False),  # unknown name, url not opensource.org/spdx.org -> LicenseRef-
    "ed577d14-7587-455b-a4cf-159898ffe8d4": Expect(name="SLF4J API Module", purl="pkg:maven/org.slf4j/slf4j-api@1.7.21", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "ed9f1f0c-e6c3-4a34-8307-7e389cfa6592": Expect(name="JSON in Java", purl="pkg:maven/org.json/json@20090211", declared="JSON", concluded="JSON", suspected=False, inferred_or=False),  # "JSON License" via alias table (no spdxName)
    "5cbfe92a-97d9-4cad-b268-f6e582a98375": Expect(name="XML Pull Parsing API", purl="pkg:maven/xmlpull/xmlpull@1.1.3.1", declared="LicenseRef-Public-Domain", concluded="LicenseRef-Public-Domain", suspected=False, inferred_or=False),  # url is creativecommons.org, not an SPDX page -> LicenseRef-
    "70b46f8d-dbb5-4d49-b1ff-3e567bd34e89": Expect(name="Apache Kafka", purl="pkg:maven/org.apache.kafka/kafka-clients@0.10.2.1", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "042a1c68-8c66-4b43-8a42-3501a7faa5af": Expect(name="LZ4 and xxHash", purl="pkg:maven/net.jpountz.lz4/lz4@1.3.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "15ce94a1-80ec-4811-a3c1-ba8e93af4a0d": Expect(name="Apache Log4j Core", purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "f3ad00f9-5ba1-4c48-ab27-6dd68d19a79a": Expect(name="Apache Log4j API", purl="pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "3daca7da-083e-4b80-b147-a9ea4be9a533": Expect(name="Java Architecture for XML Binding", purl="pkg:maven/javax.xml.bind/jaxb-api@2.3.1", declared="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", concluded="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", suspected=False, inferred_or=True),
    "a83ff272-cc4c-419f-8190-65fcfc1d4478": Expect(name="JavaBeans Activation Framework API jar", purl="pkg:maven/javax.activation/javax.activation-api@1.2.0", declared="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", concluded="CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)", suspected=False, inferred_or=True),
    "7a221976-9e5a-4bc9-a889-489a075018a5": Expect(name="Apache Commons IO", purl="pkg:maven/commons-io/commons-io@2.11.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    # --- Maven (UNKNOWN_ARTIFACT falls back on languageType "Java": maven from groupId/artifactId; no checksum qualifier) ---
    "7c62d0f5-6871-40c7-aaec-59baa5b094cb": Expect(name="scala-java8-compat_2.11", purl="pkg:maven/org.scala-lang.modules/scala-java8-compat_2.11@0.7.0", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),  # UNKNOWN_ARTIFACT + Java -> maven
    "53d2dd82-399c-4d1c-aa41-1b8e2498ab19": Expect(name="config", purl="pkg:maven/com.typesafe/config@1.3.1", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),  # UNKNOWN_ARTIFACT + Java -> maven
    "25ec9718-c8b3-4e67-afbd-b3162ee2e4df": Expect(name="snappy-java", purl="pkg:maven/org.xerial.snappy/snappy-java@1.1.2.6", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),  # UNKNOWN_ARTIFACT + Java -> maven
    # --- npm (NODE_PACKAGED_MODULE): name from groupId; artifactId is the .tgz file name ---
    "e45b5fee-9922-4aab-85d7-95cb1b1da824": Expect(name="lodash", purl="pkg:npm/lodash@4.17.20", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "c93b2caf-b993-4c35-8348-0bd970c253a1": Expect(name="@babel/runtime", purl="pkg:npm/%40babel/runtime@7.22.5", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # scoped groupId; artifactId runtime-7.22.5.tgz ignored
    "ffb71f10-4aed-471f-b04d-3f3e2d9055c9": Expect(name="regenerator-runtime", purl="pkg:npm/regenerator-runtime@0.13.11", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "9d2c14d0-ee00-4dc0-9b11-976f17561296": Expect(name="@types/node", purl="pkg:npm/%40types/node@18.16.3", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # scoped groupId; artifactId node-18.16.3.tgz ignored
    "0cd40003-0879-4d20-90d4-9560bb0a87b9": Expect(name="chalk", purl="pkg:npm/chalk@4.1.2", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "907d1b4d-41fd-4050-b03d-71ae37a90a9b": Expect(name="ansi-styles", purl="pkg:npm/ansi-styles@4.3.0", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "1ff09d14-52ad-4b29-90eb-fd2abd7deb5e": Expect(name="color-convert", purl="pkg:npm/color-convert@2.0.1", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "e93518c9-89d7-4b81-b349-4b0476a5ddcb": Expect(name="color-name", purl="pkg:npm/color-name@1.1.4", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "e8acca02-23d2-4d0f-a3d5-ad2968277382": Expect(name="supports-color", purl="pkg:npm/supports-color@7.2.0", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "010bc0f7-bf92-4b6d-b673-f44e6f8ee310": Expect(name="has-flag", purl="pkg:npm/has-flag@4.0.0", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "64c363e9-1055-49ee-888e-3cffdb32f522": Expect(name="debug", purl="pkg:npm/debug@4.3.4", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "2499d4b8-573f-4d36-a794-d403b8ce0ef6": Expect(name="ms", purl="pkg:npm/ms@2.1.2", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "be4e6e53-ea7d-45b3-a6f5-43c0413feb94": Expect(name="parseuri", purl="pkg:npm/parseuri@0.0.5", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "71b21de8-d353-4125-bddd-441cc763cf7d": Expect(name="parseqs", purl="pkg:npm/parseqs@0.0.5", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "53360c54-a1f4-4fe6-87ea-217e7cee6a4d": Expect(name="better-assert", purl="pkg:npm/better-assert@1.0.2", declared="NOASSERTION", concluded="MIT", suspected=True, inferred_or=False),  # only "Suspected MIT": declares NOASSERTION, concludes MIT ("Declared and concluded")
    "77d97fc4-5641-4f83-b7ce-745f39969aa3": Expect(name="callsite", purl="pkg:npm/callsite@1.0.0", declared="NOASSERTION", concluded="MIT", suspected=True, inferred_or=False),  # only "Suspected MIT": declares NOASSERTION, concludes MIT ("Declared and concluded")
    "4f898378-4ccf-461e-a496-106f7bd25b87": Expect(name="component-bind", purl="pkg:npm/component-bind@1.0.0", declared="NOASSERTION", concluded="NOASSERTION", suspected=False, inferred_or=False),  # "Unknown License" -> NOASSERTION
    # --- PyPI (PYTHON_PACKAGE): name from groupId, lowercased, "_" -> "-" (purl pypi type definition; dots would stay) ---
    "5e73656f-b27e-4a9a-bbc2-35fc053c214d": Expect(name="requests", purl="pkg:pypi/requests@2.32.4", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "839f0e1c-dd7c-41fb-8d3a-1e61357c3092": Expect(name="urllib3", purl="pkg:pypi/urllib3@2.5.0", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "cb3ddd22-f611-4237-8a5c-c85d9ef7291e": Expect(name="idna", purl="pkg:pypi/idna@3.10", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),
    "755128df-3175-47cd-8be5-d76d28c378aa": Expect(name="certifi", purl="pkg:pypi/certifi@2025.6.15", declared="MPL-2.0", concluded="MPL-2.0", suspected=False, inferred_or=False),
    "7de484fa-69eb-4f4a-9d57-f15bae67b4aa": Expect(name="charset-normalizer", purl="pkg:pypi/charset-normalizer@3.4.2", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # groupId charset_normalizer: "_" -> "-"
    "7cc682b3-6123-437a-9666-e575be6b4118": Expect(name="Jinja2", purl="pkg:pypi/jinja2@3.1.6", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),  # groupId jinja2 (Mend name Jinja2), not the name
    "b649c3f0-47bd-4e96-80be-4cd8ea5eed36": Expect(name="MarkupSafe", purl="pkg:pypi/markupsafe@3.0.2", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),  # groupId MarkupSafe, lowercased
    "c2264553-3581-4759-aeaf-8d7a651cb403": Expect(name="typing_extensions", purl="pkg:pypi/typing-extensions@4.14.0", declared="Python-2.0", concluded="Python-2.0", suspected=False, inferred_or=False),  # "_" -> "-"; "Python 2.0" (no spdxName) via alias table
    # --- NuGet (NUGET_PACKAGE_MODULE / "Nuget"): pkg:nuget/<groupId>, case kept (nuget names are case-sensitive); artifactId is the .nupkg file name ---
    "6c2e2801-eedf-4c46-882c-a5e8e96b0f02": Expect(name="Newtonsoft.Json", purl="pkg:nuget/Newtonsoft.Json@13.0.3", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    "e9437cce-7721-4571-b8fa-66c2e760988c": Expect(name="Serilog", purl="pkg:nuget/Serilog@2.10.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "37ffb4ef-3b58-4802-b49a-0636cbfb2a2a": Expect(name="Serilog.Sinks.Console", purl="pkg:nuget/Serilog.Sinks.Console@4.1.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "42110c21-f944-4b6b-8fcf-bfadea9a84c3": Expect(name="Serilog.Sinks.File", purl="pkg:nuget/Serilog.Sinks.File@5.0.0", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),
    "1e60a27b-7e72-4b33-968b-feef2087dc48": Expect(name="Polly", purl="pkg:nuget/Polly@7.2.4", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),
    # --- Source library ---
    "8f70ac94-2d6a-4f33-8d13-89fa159001ec": Expect(name="zlib-v1.2.13", purl="pkg:github/madler/zlib@v1.2.13", declared="Zlib", concluded="Zlib", suspected=False, inferred_or=False),  # SOURCE_LIBRARY: scmUrl github.com/madler/zlib matches groupId/artifactId; version kept as "v1.2.13"
    # --- Go (GO_PACKAGE): module path from groupId; the module archive's file name in artifactId is ignored ---
    "6a684390-2f6a-535f-87d9-979edbc71339": Expect(name="github.com/gorilla/mux", purl="pkg:golang/github.com/gorilla/mux@v1.8.0", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),  # artifactId mux-v1.8.0.zip ignored
    "886115c8-c95b-52ed-8a10-74f71583a647": Expect(name="github.com/golang-jwt/jwt/v4-v4.4.2", purl="pkg:golang/github.com/golang-jwt/jwt/v4@v4.4.2", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # groupId = artifactId = the module path; /v4 suffix stays in the path; Mend's name is not used
    "39282f3a-48e9-5bd0-93d1-67dfd14de631": Expect(name="github.com/go-redis/redis/v8", purl="pkg:golang/github.com/go-redis/redis/v8@v8.11.5", declared="BSD-2-Clause", concluded="BSD-2-Clause", suspected=False, inferred_or=False),  # /v8 stays in the path; artifactId v8-v8.11.5.zip ignored; "BSD 2" via alias table
    "1fcda503-2323-5807-a59e-c1c520dad7e0": Expect(name="github.com/docker/docker", purl="pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),  # +incompatible stays in the version, '+' -> %2B
    "34b6135f-93b1-5de6-8b33-a1a0cc3c30b8": Expect(name="golang.org/x/net", purl="pkg:golang/golang.org/x/net@v0.6.0", declared="BSD-3-Clause", concluded="BSD-3-Clause", suspected=False, inferred_or=False),  # domain golang.org first, then x/net: a module path
    # --- Debian (UNKNOWN_ARTIFACT falls back on languageType "Debian"): pkg:deb/debian/<groupId>, ?arch= from <name>_<version>_<arch>.deb, no distro qualifier ---
    "c41c6812-5ee9-5922-bba7-6d095dabfd59": Expect(name="libc6", purl="pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12", declared="LGPL-2.1-or-later", concluded="LGPL-2.1-or-later", suspected=False, inferred_or=False),  # vendor debian (version says deb12, not ubuntu); '+' -> %2B; "LGPL 2.1+" via alias table
    "c10d5f9d-b32a-50ab-9234-082ca082a35d": Expect(name="libssl3", purl="pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&distro=debian-12", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),  # '~' is unreserved: not encoded
    "8686f43c-bbc4-5f7f-b3ea-fdc7adf0e764": Expect(name="zlib1g", purl="pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64", declared="Zlib", concluded="Zlib", suspected=False, inferred_or=False),  # epoch "1:" kept in the version (':' not encoded); the file name zlib1g_1.2.13.dfsg-1_amd64.deb omits the epoch, as .deb names do: arch still amd64
    # --- Alpine (UNKNOWN_ARTIFACT falls back on languageType "Alpine"): pkg:apk/alpine/<groupId>, no arch (Alpine file names carry none) ---
    "6050c10c-d35d-514c-a386-cfcdc35b5b5b": Expect(name="libstdc++", purl="pkg:apk/alpine/libstdc%2B%2B@12.2.1_git20220924-r4", declared="GPL-2.0-or-later OR LGPL-2.1-or-later", concluded="GPL-2.0-or-later OR LGPL-2.1-or-later", suspected=False, inferred_or=True),  # '+' -> %2B; "GPL 2.0+", "LGPL 2.1+" via alias table, joined with OR in Mend's order
    # --- RPM (REDHAT_PACKAGE_MODULE): no vendor stated and not a Fedora release (.el8_6) -> no purl ---
    "0a5eb397-3db3-580c-a793-0fc74cc0fa50": Expect(name="openssl-libs", purl=None, declared="OpenSSL OR Apache-2.0", concluded="OpenSSL OR Apache-2.0", suspected=False, inferred_or=True),  # the enum is specific (not UNKNOWN_ARTIFACT): no generic fallback, and no sha1 anyway; "OpenSSL" via alias table, OR in Mend's order
    # --- .NET (DOT_NET_AS_GENERIC_RESOURCE / ".NET") ---
    "4bde5017-86bb-570d-9add-ba59c37c643b": Expect(name="log4net", purl="pkg:nuget/log4net@2.0.15", declared="Apache-2.0", concluded="Apache-2.0", suspected=False, inferred_or=False),  # groupId is the owner; artifactId "log4net" is a .NET project name (not a .dll/.exe file, not a .nupkg) -> pkg:nuget/<artifactId>
    # --- Bower (UNKNOWN_ARTIFACT falls back on languageType "javascript/Bower"): pkg:bower/<artifactId> ---
    "8c104bc2-f64b-5863-bc27-fe0f67785a66": Expect(name="jquery", purl="pkg:bower/jquery@3.4.1", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),
    # --- Ruby (UNKNOWN_ARTIFACT falls back on languageType "Ruby"): pkg:gem/<groupId>, ?platform= from <name>-<version>-<platform>.gem ---
    "ca18354b-67fd-5864-9266-9ffeb22d19a7": Expect(name="rack", purl="pkg:gem/rack@2.2.3", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # rack-2.2.3.gem names no platform
    "46648360-5733-5415-bac7-452995b38139": Expect(name="nokogiri", purl="pkg:gem/nokogiri@1.13.10?platform=x86_64-linux", declared="MIT", concluded="MIT", suspected=False, inferred_or=False),  # platform from nokogiri-1.13.10-x86_64-linux.gem
}
# fmt: on


# fmt: off
EDGES: dict[str, set[tuple[str | None, str]]] = {
    "storefront-api": {
        (None, "84908fe3-749c-4889-b310-9ca80bef4dd4"),  # root -> Acme Commons
        ("84908fe3-749c-4889-b310-9ca80bef4dd4", "ed577d14-7587-455b-a4cf-159898ffe8d4"),  # Acme Commons -> slf4j-api
        (None, "d53cffce-6408-4267-a3f1-5e852462bb4f"),  # root -> jackson-databind
        ("d53cffce-6408-4267-a3f1-5e852462bb4f", "6f6e6173-ef6a-4465-8037-1f2dfe150915"),  # jackson-databind -> jackson-annotations
        ("d53cffce-6408-4267-a3f1-5e852462bb4f", "b417e820-70af-4207-99ec-ac333df13c7b"),  # jackson-databind -> jackson-core
        (None, "4fb03b3c-a48a-423e-aee9-952bba01f384"),  # root -> commons-lang3
        (None, "f9a60f02-305a-48ca-b79d-13d9a86c8385"),  # root -> jakarta.annotation-api
        (None, "96eea533-8edc-448c-9844-e35e9018bd00"),  # root -> javax.servlet-api
        (None, "62d7be19-0f13-4518-a46c-4847d3703899"),  # root -> akka-actor
        ("62d7be19-0f13-4518-a46c-4847d3703899", "e9b228dc-e53d-4ac7-856b-7f87c69621bb"),  # akka-actor -> scala-library
        ("62d7be19-0f13-4518-a46c-4847d3703899", "7c62d0f5-6871-40c7-aaec-59baa5b094cb"),  # akka-actor -> scala-java8-compat
        ("7c62d0f5-6871-40c7-aaec-59baa5b094cb", "e9b228dc-e53d-4ac7-856b-7f87c69621bb"),  # scala-java8-compat -> scala-library (second parent)
        ("62d7be19-0f13-4518-a46c-4847d3703899", "53d2dd82-399c-4d1c-aa41-1b8e2498ab19"),  # akka-actor -> config
        (None, "ed9f1f0c-e6c3-4a34-8307-7e389cfa6592"),  # root -> org.json
        (None, "5cbfe92a-97d9-4cad-b268-f6e582a98375"),  # root -> xmlpull (listed as unresolved)
    },
    "storefront-web": {
        (None, "e45b5fee-9922-4aab-85d7-95cb1b1da824"),  # root -> lodash
        (None, "c93b2caf-b993-4c35-8348-0bd970c253a1"),  # root -> @babel/runtime
        ("c93b2caf-b993-4c35-8348-0bd970c253a1", "ffb71f10-4aed-471f-b04d-3f3e2d9055c9"),  # @babel/runtime -> regenerator-runtime
        (None, "9d2c14d0-ee00-4dc0-9b11-976f17561296"),  # root -> @types/node
        (None, "0cd40003-0879-4d20-90d4-9560bb0a87b9"),  # root -> chalk
        ("0cd40003-0879-4d20-90d4-9560bb0a87b9", "907d1b4d-41fd-4050-b03d-71ae37a90a9b"),  # chalk -> ansi-styles
        ("907d1b4d-41fd-4050-b03d-71ae37a90a9b", "1ff09d14-52ad-4b29-90eb-fd2abd7deb5e"),  # ansi-styles -> color-convert
        ("1ff09d14-52ad-4b29-90eb-fd2abd7deb5e", "e93518c9-89d7-4b81-b349-4b0476a5ddcb"),  # color-convert -> color-name
        ("0cd40003-0879-4d20-90d4-9560bb0a87b9", "e8acca02-23d2-4d0f-a3d5-ad2968277382"),  # chalk -> supports-color
        ("e8acca02-23d2-4d0f-a3d5-ad2968277382", "010bc0f7-bf92-4b6d-b673-f44e6f8ee310"),  # supports-color -> has-flag
        (None, "64c363e9-1055-49ee-888e-3cffdb32f522"),  # root -> debug
        ("64c363e9-1055-49ee-888e-3cffdb32f522", "2499d4b8-573f-4d36-a794-d403b8ce0ef6"),  # debug -> ms
        (None, "be4e6e53-ea7d-45b3-a6f5-43c0413feb94"),  # root -> parseuri
        ("be4e6e53-ea7d-45b3-a6f5-43c0413feb94", "53360c54-a1f4-4fe6-87ea-217e7cee6a4d"),  # parseuri -> better-assert
        (None, "71b21de8-d353-4125-bddd-441cc763cf7d"),  # root -> parseqs
        ("71b21de8-d353-4125-bddd-441cc763cf7d", "53360c54-a1f4-4fe6-87ea-217e7cee6a4d"),  # parseqs -> better-assert (second parent)
        ("53360c54-a1f4-4fe6-87ea-217e7cee6a4d", "77d97fc4-5641-4f83-b7ce-745f39969aa3"),  # better-assert -> callsite (same edge under both parents)
        (None, "4f898378-4ccf-461e-a496-106f7bd25b87"),  # root -> component-bind
    },
    "storefront-worker": {
        (None, "5e73656f-b27e-4a9a-bbc2-35fc053c214d"),  # root -> requests
        ("5e73656f-b27e-4a9a-bbc2-35fc053c214d", "7de484fa-69eb-4f4a-9d57-f15bae67b4aa"),  # requests -> charset-normalizer
        ("5e73656f-b27e-4a9a-bbc2-35fc053c214d", "cb3ddd22-f611-4237-8a5c-c85d9ef7291e"),  # requests -> idna
        ("5e73656f-b27e-4a9a-bbc2-35fc053c214d", "839f0e1c-dd7c-41fb-8d3a-1e61357c3092"),  # requests -> urllib3
        ("5e73656f-b27e-4a9a-bbc2-35fc053c214d", "755128df-3175-47cd-8be5-d76d28c378aa"),  # requests -> certifi
        (None, "7cc682b3-6123-437a-9666-e575be6b4118"),  # root -> jinja2
        ("7cc682b3-6123-437a-9666-e575be6b4118", "b649c3f0-47bd-4e96-80be-4cd8ea5eed36"),  # jinja2 -> markupsafe
        (None, "c2264553-3581-4759-aeaf-8d7a651cb403"),  # root -> typing-extensions
    },
    "payments-gateway": {
        (None, "70b46f8d-dbb5-4d49-b1ff-3e567bd34e89"),  # root -> kafka-clients
        ("70b46f8d-dbb5-4d49-b1ff-3e567bd34e89", "042a1c68-8c66-4b43-8a42-3501a7faa5af"),  # kafka-clients -> lz4
        ("70b46f8d-dbb5-4d49-b1ff-3e567bd34e89", "25ec9718-c8b3-4e67-afbd-b3162ee2e4df"),  # kafka-clients -> snappy-java
        ("70b46f8d-dbb5-4d49-b1ff-3e567bd34e89", "ed577d14-7587-455b-a4cf-159898ffe8d4"),  # kafka-clients -> slf4j-api
        (None, "84908fe3-749c-4889-b310-9ca80bef4dd4"),  # root -> Acme Commons
        ("84908fe3-749c-4889-b310-9ca80bef4dd4", "ed577d14-7587-455b-a4cf-159898ffe8d4"),  # Acme Commons -> slf4j-api (second parent)
        (None, "d53cffce-6408-4267-a3f1-5e852462bb4f"),  # root -> jackson-databind
        ("d53cffce-6408-4267-a3f1-5e852462bb4f", "6f6e6173-ef6a-4465-8037-1f2dfe150915"),  # jackson-databind -> jackson-annotations
        ("d53cffce-6408-4267-a3f1-5e852462bb4f", "b417e820-70af-4207-99ec-ac333df13c7b"),  # jackson-databind -> jackson-core
        (None, "15ce94a1-80ec-4811-a3c1-ba8e93af4a0d"),  # root -> log4j-core
        ("15ce94a1-80ec-4811-a3c1-ba8e93af4a0d", "f3ad00f9-5ba1-4c48-ab27-6dd68d19a79a"),  # log4j-core -> log4j-api
        (None, "3daca7da-083e-4b80-b147-a9ea4be9a533"),  # root -> jaxb-api
        ("3daca7da-083e-4b80-b147-a9ea4be9a533", "a83ff272-cc4c-419f-8190-65fcfc1d4478"),  # jaxb-api -> javax.activation-api
        (None, "7a221976-9e5a-4bc9-a889-489a075018a5"),  # root -> commons-io
    },
    "payments-dotnet-sdk": {
        (None, "6c2e2801-eedf-4c46-882c-a5e8e96b0f02"),  # root -> Newtonsoft.Json
        (None, "37ffb4ef-3b58-4802-b49a-0636cbfb2a2a"),  # root -> Serilog.Sinks.Console
        ("37ffb4ef-3b58-4802-b49a-0636cbfb2a2a", "e9437cce-7721-4571-b8fa-66c2e760988c"),  # Serilog.Sinks.Console -> Serilog
        (None, "42110c21-f944-4b6b-8fcf-bfadea9a84c3"),  # root -> Serilog.Sinks.File
        ("42110c21-f944-4b6b-8fcf-bfadea9a84c3", "e9437cce-7721-4571-b8fa-66c2e760988c"),  # Serilog.Sinks.File -> Serilog (second parent)
        (None, "1e60a27b-7e72-4b33-968b-feef2087dc48"),  # root -> Polly
        (None, "8f70ac94-2d6a-4f33-8d13-89fa159001ec"),  # root -> zlib (SOURCE_LIBRARY)
    },
    "platform-gateway": {
        (None, "6a684390-2f6a-535f-87d9-979edbc71339"),  # root -> gorilla/mux
        (None, "886115c8-c95b-52ed-8a10-74f71583a647"),  # root -> golang-jwt/jwt/v4
        (None, "39282f3a-48e9-5bd0-93d1-67dfd14de631"),  # root -> go-redis/redis/v8
        (None, "1fcda503-2323-5807-a59e-c1c520dad7e0"),  # root -> docker/docker
        ("1fcda503-2323-5807-a59e-c1c520dad7e0", "34b6135f-93b1-5de6-8b33-a1a0cc3c30b8"),  # docker/docker -> golang.org/x/net
    },
    "platform-debian-image": {
        (None, "c41c6812-5ee9-5922-bba7-6d095dabfd59"),  # root -> libc6
        (None, "c10d5f9d-b32a-50ab-9234-082ca082a35d"),  # root -> libssl3
        (None, "8686f43c-bbc4-5f7f-b3ea-fdc7adf0e764"),  # root -> zlib1g
    },
    "platform-alpine-image": {
        (None, "6050c10c-d35d-514c-a386-cfcdc35b5b5b"),  # root -> libstdc++
    },
    "platform-el8-image": {
        (None, "0a5eb397-3db3-580c-a793-0fc74cc0fa50"),  # root -> openssl-libs
    },
    "legacy-portal": {
        (None, "4bde5017-86bb-570d-9add-ba59c37c643b"),  # root -> log4net
        (None, "8c104bc2-f64b-5863-bc27-fe0f67785a66"),  # root -> jquery
        (None, "ca18354b-67fd-5864-9266-9ffeb22d19a7"),  # root -> rack
        (None, "46648360-5733-5415-bac7-452995b38139"),  # root -> nokogiri
    },
}
# fmt: on
