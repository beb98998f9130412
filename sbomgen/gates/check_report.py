"""``sbomgen check``'s reports: text, Markdown, JSON (``sbomgen-check/1``), one
self-contained HTML page, and JUnit XML (one test case per component and rule).

Every report puts the violations first; each says which rule, the expression judged and
the branch chosen (for a choice) or the reason it fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sbomgen.gates.policy import (
    CATEGORIES,
    SEVERITIES,
    CheckResult,
    ComponentResult,
    Finding,
    LicenseOutcome,
)

CHECK_SCHEMA = "sbomgen-check/1"
FORMATS = ("text", "markdown", "json", "html")


def _verdict_word(result: CheckResult) -> str:
    return "PASSED" if result.passed else "FAILED"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    c = result.counts()
    return (
        f"{_verdict_word(result)}: {_plural(c['violations'], 'violation')}, "
        f"{_plural(c['warnings'], 'warning')} in {_plural(c['components'], 'component')} "
        f"of {_plural(len(result.inputs), 'input')} (policy {result.policy.path}, "
        f"date {result.date.isoformat()})"
    )


def _choices(result: CheckResult) -> list[tuple[str, ComponentResult, LicenseOutcome]]:
    """Components whose license passed through a choice: what was chosen."""
    out = []
    for item in result.inputs:
        for comp in item.components:
            lic = comp.license
            if lic is not None and lic.verdict == "pass" and lic.chosen:
                out.append((item.input.name, comp, lic))
    return out


def excepted(result: CheckResult) -> list[tuple[str, ComponentResult, str]]:
    """(input, component, what was excepted and by which exception)."""
    out = []
    for item in result.inputs:
        for comp in item.components:
            if comp.license is not None and comp.license.exception:
                out.append((item.input.name, comp, f"license: {comp.license.exception}"))
            for v in comp.vulnerabilities:
                if v.exception:
                    out.append((item.input.name, comp, f"{v.id}: {v.exception}"))
    return out


def _where(f: Finding) -> str:
    return f"{f.component}" + (f" ({f.purl})" if f.purl else "")


# -- JSON ----------------------------------------------------------------------------------


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "input": f.input,
        "ref": f.ref,
        "component": f.component,
        "purl": f.purl,
        "rule": f.rule,
        "verdict": f.verdict,
        "message": f.message,
        "expression": f.expression,
        "chosen": f.chosen,
        "categories": list(f.categories),
        "vulnerability": f.vulnerability,
        "severity": f.severity,
        "score": f.score,
        "state": f.state,
    }


def _license_json(lic: LicenseOutcome | None) -> dict[str, Any] | None:
    if lic is None:
        return None
    return {
        "verdict": lic.verdict,
        "expression": lic.expression,
        "chosen": lic.chosen,
        "categories": list(lic.categories),
        "reason": lic.reason,
        "exception": lic.exception,
        "licenses": [
            {
                "license": j.license,
                "verdict": j.verdict,
                "rule": j.rule,
                "detail": j.detail,
                "category": j.category,
                "scancode_category": j.scancode,
                "read_from": j.read_as,
            }
            for j in lic.leaves
        ],
        "choices": [
            {
                "expression": c.expression,
                "chosen": c.chosen,
                "rejected": [{"branch": b, "reason": why} for b, why in c.rejected],
            }
            for c in lic.choices
        ],
    }


def to_json(result: CheckResult) -> dict[str, Any]:
    components = []
    for item in result.inputs:
        for comp in item.components:
            s = comp.subject
            components.append(
                {
                    "input": item.input.name,
                    "ref": s.ref,
                    "name": s.name,
                    "version": s.version,
                    "purl": s.purl,
                    "verdict": comp.verdict,
                    "license": _license_json(comp.license),
                    "vulnerabilities": [
                        {
                            "id": v.id,
                            "verdict": v.verdict,
                            "severity": v.severity,
                            "score": v.score,
                            "state": v.state,
                            "justification": v.justification,
                            "reason": v.reason,
                            "exception": v.exception,
                        }
                        for v in comp.vulnerabilities
                    ],
                }
            )
    return {
        "schema": CHECK_SCHEMA,
        "policy": result.policy.path,
        "date": result.date.isoformat(),
        "passed": result.passed,
        "rules": list(result.policy.rules),
        "counts": result.counts(),
        "inputs": [
            {
                "name": i.input.name,
                "standard": i.input.standard,
                "version": i.input.version,
                "format": i.input.fmt,
                "components": len(i.components),
            }
            for i in result.inputs
        ],
        "violations": [_finding_json(f) for f in result.violations],
        "warnings": [_finding_json(f) for f in result.warnings],
        "policy_notes": [
            {"kind": n.kind, "line": n.line, "message": n.message} for n in result.notes
        ],
        "components": components,
    }


# -- text ----------------------------------------------------------------------------------


def _finding_lines(f: Finding, many_inputs: bool) -> list[str]:
    where = f" in {f.input}" if many_inputs else ""
    lines = [f"  [{f.rule}] {_where(f)}{where}"]
    if f.rule == "license":
        lines.append(f"      expression: {f.expression}")
        if f.chosen:
            lines.append(f"      chosen: {f.chosen}")
        for part in f.message.split("; "):
            lines.append(f"      {part}")
    else:
        lines.append(f"      {f.message}")
    return lines


def to_text(result: CheckResult) -> str:
    many = len(result.inputs) > 1
    out = [f"sbomgen check {summary_line(result)}"]
    for title, findings in (("Violations", result.violations), ("Warnings", result.warnings)):
        if findings:
            out += ["", f"{title} ({len(findings)}):"]
            for f in findings:
                out += _finding_lines(f, many)
    choices = _choices(result)
    if choices:
        out += ["", f"Choices made ({len(choices)}):"]
        for name, comp, lic in choices:
            where = f" in {name}" if many else ""
            out.append(f"  {comp.subject.label}{where}: {lic.chosen}, chosen of {lic.expression}")
    applied = excepted(result)
    if applied:
        out += ["", f"Exceptions applied ({len(applied)}):"]
        for name, comp, what in applied:
            where = f" in {name}" if many else ""
            out.append(f"  {comp.subject.label}{where}: {what}")
    if result.notes:
        out += ["", "Policy notes:"]
        for note in result.notes:
            line = f"{result.policy.path}:{note.line}: " if note.line else ""
            out.append(f"  {line}{note.message}")
    return "\n".join(_printable(line) for line in out) + "\n"


# control characters (C0 but tab, DEL, C1) and the Unicode line and paragraph separators
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(line: str) -> str:
    """A line of the text report as a terminal shows it: a control character a document
    carries (an escape sequence, a carriage return, a newline) written as ``\\xNN``."""
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        line,
    )


# what XML 1.0 cannot carry (it has no escape for it): C0 controls but tab, newline and
# carriage return, surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry: what it cannot as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


# -- Markdown ------------------------------------------------------------------------------


def _md(text: str | None) -> str:
    if not text:
        return ""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def to_markdown(result: CheckResult) -> str:
    c = result.counts()
    icon = "✅" if result.passed else "❌"
    out = [
        f"## {icon} sbomgen check: {_verdict_word(result).lower()}",
        "",
        f"Policy `{result.policy.path}`, date {result.date.isoformat()}; "
        f"{_plural(c['components'], 'component')} in "
        + ", ".join(f"`{i.input.name}`" for i in result.inputs)
        + ".",
        "",
        "| violations | warnings | components passed | warned | failed |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {c['violations']} | {c['warnings']} | {c['passed']} | {c['warned']} | {c['failed']} |",
    ]
    for title, findings in (("Violations", result.violations), ("Warnings", result.warnings)):
        if not findings:
            continue
        out += [
            "",
            f"### {title} ({len(findings)})",
            "",
            "| component | rule | expression | why |",
            "| --- | --- | --- | --- |",
        ]
        for f in findings:
            expression = f.expression if f.rule == "license" else f.vulnerability
            out.append(f"| {_md(_where(f))} | {f.rule} | {_md(expression)} | {_md(f.message)} |")
    choices = _choices(result)
    if choices:
        out += [
            "",
            f"<details><summary>Choices made ({len(choices)})</summary>",
            "",
            "| component | expression | chosen |",
            "| --- | --- | --- |",
        ]
        for _name, comp, lic in choices:
            out.append(f"| {_md(comp.subject.label)} | {_md(lic.expression)} | {_md(lic.chosen)} |")
        out += ["", "</details>"]
    applied = excepted(result)
    if applied:
        out += ["", f"### Exceptions applied ({len(applied)})", ""]
        for _name, comp, what in applied:
            out.append(f"- {_md(comp.subject.label)}: {_md(what)}")
    if result.notes:
        out += ["", "### Policy notes", ""]
        for note in result.notes:
            line = f"line {note.line}: " if note.line else ""
            out.append(f"- {line}{_md(note.message)}")
    return "\n".join(out) + "\n"


# -- JUnit XML -----------------------------------------------------------------------------


def to_junit(result: CheckResult) -> bytes:
    """One test suite per input, one test case per component and rule: a violation is a
    failure, a warning passes with the warning in system-out."""
    import xml.etree.ElementTree as ET

    rules = result.policy.rules
    root = ET.Element("testsuites", name="sbomgen check")
    total = failures = 0
    for item in result.inputs:
        suite = ET.SubElement(root, "testsuite", name=item.input.name)
        props = ET.SubElement(suite, "properties")
        for key, value in (
            ("policy", result.policy.path),
            ("date", result.date.isoformat()),
            ("standard", f"{item.input.standard} {item.input.version} {item.input.fmt}"),
        ):
            ET.SubElement(props, "property", name=key, value=value)
        tests = fails = 0
        for comp in item.components:
            s = comp.subject
            for rule in rules:
                if rule == "license" and comp.license is None:
                    continue  # a vulnerability of something that is no component
                tests += 1
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=rule,
                    name=f"{s.label} ({s.purl or s.ref})",
                    time="0",
                )
                verdict = comp.rule_verdict(rule)
                text = _case_text(comp, rule)
                if verdict == "fail":
                    fails += 1
                    message = (
                        comp.license.reason
                        if rule == "license" and comp.license
                        else "; ".join(
                            f"{v.id}: {v.reason}"
                            for v in comp.vulnerabilities
                            if v.verdict == "fail"
                        )
                    )
                    failure = ET.SubElement(case, "failure", message=message, type=rule)
                    failure.text = text
                elif verdict == "warn" or text:
                    out = ET.SubElement(case, "system-out")
                    out.text = ("warning: " if verdict == "warn" else "") + text
        suite.set("tests", str(tests))
        suite.set("failures", str(fails))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        total += tests
        failures += fails
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", "0")
    root.set("time", "0")
    for element in root.iter():
        if element.text:
            element.text = _xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, _xml_text(value))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _case_text(comp: ComponentResult, rule: str) -> str:
    if rule == "license":
        lic = comp.license
        if lic is None:
            return ""
        lines = [f"expression: {lic.expression}"]
        if lic.chosen:
            lines.append(f"chosen: {lic.chosen}")
        lines += [j.describe() for j in lic.leaves]
        return "\n".join(lines)
    return "\n".join(f"{v.id} ({v.verdict}): {v.reason}" for v in comp.vulnerabilities)


# -- HTML ----------------------------------------------------------------------------------


def _rows(result: CheckResult) -> list[dict[str, Any]]:
    """Every component, violations first, then warnings, then the rest."""
    order = {"fail": 0, "warn": 1, "pass": 2}
    rows: list[dict[str, Any]] = []
    for item in result.inputs:
        for comp in item.components:
            s = comp.subject
            rows.append(
                {
                    "input": item.input.name,
                    "label": s.label,
                    "purl": s.purl,
                    "ref": s.ref,
                    "verdict": comp.verdict,
                    "license": comp.license,
                    "vulnerabilities": comp.vulnerabilities,
                    "categories": " ".join(comp.license.categories) if comp.license else "",
                    "severities": " ".join(
                        sorted({v.severity or "unstated" for v in comp.vulnerabilities})
                    ),
                }
            )
    rows.sort(key=lambda r: (order[str(r["verdict"])], str(r["input"]), str(r["label"]).casefold()))
    return rows


def _present(values: Iterable[str], known: Iterable[str]) -> list[str]:
    seen = set(values)
    ordered = [k for k in known if k in seen]
    return ordered + sorted(seen - set(ordered))


def to_html(result: CheckResult) -> str:
    import jinja2

    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    findings = [*result.violations, *result.warnings]
    categories = _present(
        (
            c
            for i in result.inputs
            for comp in i.components
            if comp.license
            for c in comp.license.categories
        ),
        CATEGORIES,
    )
    if any(
        comp.license and not comp.license.categories for i in result.inputs for comp in i.components
    ):
        categories.append("no-license")
    severities = _present(
        (
            v.severity or "unstated"
            for i in result.inputs
            for comp in i.components
            for v in comp.vulnerabilities
        ),
        tuple(reversed(SEVERITIES)),
    )
    return env.from_string(_HTML).render(
        result=result,
        passed=result.passed,
        counts=result.counts(),
        findings=findings,
        rows=_rows(result),
        categories=categories,
        severities=severities,
        summary=summary_line(result),
        excepted=excepted(result),
    )


_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>sbomgen check: {{ 'passed' if passed else 'FAILED' }}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
header { padding: 18px 28px; color: #fff; background: {{ '#1f7a3a' if passed else '#b3261e' }}; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; opacity: .92; }
main { padding: 16px 28px 40px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 4px 0 16px; }
.card { background: #fff; border: 1px solid #d8dce2; border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 24px; }
.card.fail b { color: #b3261e; } .card.warn b { color: #8a5a00; } .card.pass b { color: #1f7a3a; }
fieldset { display: inline-block; border: 1px solid #d8dce2; border-radius: 8px; background: #fff; margin: 0 10px 10px 0; padding: 6px 12px; vertical-align: top; }
legend { font-weight: 600; padding: 0 4px; }
label { margin-right: 10px; white-space: nowrap; }
h2 { font-size: 17px; margin: 22px 0 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d8dce2; }
th, td { text-align: left; vertical-align: top; padding: 6px 9px; border-bottom: 1px solid #e6e8eb; }
th { background: #eef0f3; font-weight: 600; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f0f2f5; padding: 1px 4px; border-radius: 4px; word-break: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; }
.badge.fail { background: #b3261e; } .badge.warn { background: #b07600; } .badge.pass { background: #1f7a3a; }
.sev { font-weight: 600; } .sev.critical, .sev.high { color: #b3261e; } .sev.medium { color: #8a5a00; }
.muted { color: #5f6b7a; }
.why { margin: 2px 0 0; padding-left: 18px; }
.hidden { display: none; }
#shown { margin-left: 6px; }
</style>
</head>
<body>
<header>
<h1>sbomgen check: {{ 'passed' if passed else 'FAILED' }}</h1>
<p>{{ summary }}</p>
</header>
<main>
<div class="cards">
<div class="card fail"><b>{{ counts.violations }}</b>violations</div>
<div class="card warn"><b>{{ counts.warnings }}</b>warnings</div>
<div class="card pass"><b>{{ counts.passed }}</b>components passed</div>
<div class="card"><b>{{ counts.components }}</b>components</div>
<div class="card"><b>{{ result.inputs|length }}</b>inputs</div>
</div>
<p class="muted">Inputs: {% for i in result.inputs %}<code>{{ i.input.name }}</code> ({{ i.input.standard }} {{ i.input.version }} {{ i.input.fmt }}){{ ", " if not loop.last }}{% endfor %}.
Rules: {{ result.policy.rules|join(", ") }}.</p>

<form id="filters" onsubmit="return false">
<fieldset><legend>Verdict</legend>
{% for v in ["fail", "warn", "pass"] %}<label><input type="checkbox" name="verdict" value="{{ v }}" checked> {{ {"fail": "violations", "warn": "warnings", "pass": "passed"}[v] }}</label>{% endfor %}
</fieldset>
{% if categories %}<fieldset><legend>License category</legend>
{% for c in categories %}<label><input type="checkbox" name="category" value="{{ c }}" checked> {{ c }}</label>{% endfor %}
</fieldset>{% endif %}
{% if severities %}<fieldset><legend>Severity</legend>
{% for s in severities %}<label><input type="checkbox" name="severity" value="{{ s }}" checked> {{ s }}</label>{% endfor %}
</fieldset>{% endif %}
<span class="muted" id="shown"></span>
<span class="muted">(a row shows when it matches every filter; a license's categories are those of every license in its expression)</span>
</form>

<h2>Violations and warnings ({{ findings|length }})</h2>
{% if findings %}
<table id="findings">
<thead><tr><th>verdict</th><th>component</th><th>rule</th><th>expression / vulnerability</th><th>chosen branch or reason</th></tr></thead>
<tbody>
{% for f in findings %}
<tr class="row" data-verdict="{{ f.verdict }}" data-categories="{{ f.categories|join(' ') if f.rule == 'license' else '' }}{{ 'no-license' if f.rule == 'license' and not f.categories else '' }}" data-severities="{{ (f.severity or 'unstated') if f.rule == 'vulnerability' else '' }}">
<td><span class="badge {{ f.verdict }}">{{ "violation" if f.verdict == "fail" else "warning" }}</span></td>
<td>{{ f.component }}{% if f.purl %}<br><code>{{ f.purl }}</code>{% endif %}{% if result.inputs|length > 1 %}<br><span class="muted">{{ f.input }}</span>{% endif %}</td>
<td>{{ f.rule }}{% if f.rule == 'license' and f.categories %}<br><span class="muted">{{ f.categories|join(", ") }}</span>{% endif %}</td>
<td>{% if f.rule == 'license' %}<code>{{ f.expression }}</code>{% else %}<code>{{ f.vulnerability }}</code> <span class="sev {{ f.severity or '' }}">{{ f.severity or "no severity" }}</span>{% if f.score is not none %} {{ f.score }}{% endif %}{% if f.state %}<br><span class="muted">VEX {{ f.state }}</span>{% endif %}{% endif %}</td>
<td>{% if f.chosen %}chosen: <code>{{ f.chosen }}</code><br>{% endif %}<ul class="why">{% for part in f.message.split("; ") %}<li>{{ part }}</li>{% endfor %}</ul></td>
</tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p>None: every component meets the policy.</p>
{% endif %}

<h2>All components ({{ rows|length }})</h2>
<table id="components">
<thead><tr><th>verdict</th><th>component</th><th>license</th><th>outcome</th><th>vulnerabilities</th></tr></thead>
<tbody>
{% for r in rows %}
<tr class="row" data-verdict="{{ r.verdict }}" data-categories="{{ r.categories or ('no-license' if r.license else '') }}" data-severities="{{ r.severities }}">
<td><span class="badge {{ r.verdict }}">{{ r.verdict }}</span></td>
<td>{{ r.label }}{% if r.purl %}<br><code>{{ r.purl }}</code>{% endif %}{% if result.inputs|length > 1 %}<br><span class="muted">{{ r.input }}</span>{% endif %}</td>
<td>{% if r.license %}<code>{{ r.license.expression }}</code><br><span class="muted">{{ r.license.categories|join(", ") or "no license" }}</span>{% else %}<span class="muted">not checked</span>{% endif %}</td>
<td>{% if r.license %}{% if r.license.chosen %}chosen: <code>{{ r.license.chosen }}</code><br>{% endif %}<span class="{{ '' if r.license.verdict != 'pass' else 'muted' }}">{{ r.license.reason }}</span>{% endif %}</td>
<td>{% for v in r.vulnerabilities %}<div><span class="badge {{ v.verdict }}">{{ v.verdict }}</span> <code>{{ v.id }}</code> <span class="sev {{ v.severity or '' }}">{{ v.severity or "no severity" }}</span>{% if v.state %} <span class="muted">VEX {{ v.state }}</span>{% endif %}</div>{% else %}<span class="muted">none</span>{% endfor %}</td>
</tr>
{% endfor %}
</tbody>
</table>

{% if excepted %}
<h2>Exceptions applied ({{ excepted|length }})</h2>
<ul>{% for name, comp, what in excepted %}<li>{{ comp.subject.label }}{% if result.inputs|length > 1 %} <span class="muted">({{ name }})</span>{% endif %}: {{ what }}</li>{% endfor %}</ul>
{% endif %}
{% if result.notes %}
<h2>Policy notes</h2>
<ul>{% for n in result.notes %}<li>{% if n.line %}line {{ n.line }}: {% endif %}{{ n.message }}</li>{% endfor %}</ul>
{% endif %}
<p class="muted">Written by sbomgen check; policy <code>{{ result.policy.path }}</code>, date {{ result.date.isoformat() }}.</p>
</main>
<script>
(function () {
  var form = document.getElementById("filters");
  function checked(name) {
    var out = {};
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) { out[box.value] = box.checked; });
    return out;
  }
  function any(values, allowed) {
    if (!values) return true;
    return values.split(" ").some(function (v) { return allowed[v] !== false; });
  }
  function apply() {
    var verdicts = checked("verdict"), categories = checked("category"), severities = checked("severity");
    var rows = document.querySelectorAll("tr.row"), shown = 0;
    rows.forEach(function (row) {
      var show = verdicts[row.dataset.verdict] !== false &&
        any(row.dataset.categories, categories) && any(row.dataset.severities, severities);
      row.classList.toggle("hidden", !show);
      if (show) shown += 1;
    });
    document.getElementById("shown").textContent = "showing " + shown + " of " + rows.length + " rows";
  }
  // a link may choose the filters: #verdict=fail,warn&category=strong-copyleft&severity=critical
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("="), wanted = (kv[1] || "").split(",");
    if (!kv[0] || ["verdict", "category", "severity"].indexOf(kv[0]) < 0) return;
    form.querySelectorAll("input[name=" + kv[0] + "]").forEach(function (box) {
      box.checked = wanted.indexOf(box.value) >= 0;
    });
  });
  form.addEventListener("change", apply);
  apply();
})();
</script>
</body>
</html>
"""
