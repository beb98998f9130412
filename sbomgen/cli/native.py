"""``sbomgen native``: Mend's own SBOM (ProductSBOMReport / ProjectSBOMReport), fetched
through the async reports API, kept byte for byte, validated, compared and enriched."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve, say
from sbomgen.cli.output import enrichers_for, prepare_out
from sbomgen.emit.formats import FORMATS
from sbomgen.errors import ConfigError, ValidationFailedError

if TYPE_CHECKING:
    from sbomgen._io import OutputDir
    from sbomgen.cli.options import State
    from sbomgen.sources.client import MendClient
    from sbomgen.sources.native import Downloaded, Job, JobsFailedError, JobState

log = logging.getLogger("sbomgen")

WAIT_DEFAULT = 3600.0


def async_options(writes: str) -> list[Any]:
    """The options of the commands that run async reports (native, report); ``writes``
    says what the command writes into --out, for refusing ``--out -``."""
    return [
        o.option(
            "--url",
            section=o.SOURCE,
            extra_envvars=o.ENV_URL[1:],
            help="Mend server URL, as copied from the Mend UI (…/api/v1.4 or …/agent is fine).",
        ),
        o.option(
            "--product",
            "products",
            multiple=True,
            metavar="TOKEN",
            section=o.SCOPE,
            help="Product token (repeatable: each is its own report job, run concurrently).",
        ),
        o.option(
            "--project",
            "projects",
            multiple=True,
            metavar="TOKEN",
            section=o.SCOPE,
            help="Project token (repeatable).",
        ),
        o.option(
            "--timeout",
            "wait",
            type=click.FloatRange(min=1),
            default=WAIT_DEFAULT,
            show_default=True,
            section=o.NETWORK,
            help="How long to wait for Mend to finish a report, in seconds (an hour suits a "
            "product of 10,000 libraries); on timeout the uuid resumes it.",
        ),
        o.option(
            "--poll-interval",
            type=click.FloatRange(min=0.01),
            default=2.0,
            show_default=True,
            section=o.NETWORK,
            help="The first wait between two status requests; it grows 1.5 times up to 30 s.",
        ),
        o.option(
            "--resume",
            metavar="UUID",
            section=o.SOURCE,
            help="Pick up a report that was already requested (the uuid a timeout printed).",
        ),
        o.option(
            "--retries",
            type=click.IntRange(0, 20),
            default=4,
            show_default=True,
            section=o.NETWORK,
            help="Retries of a request that failed transiently (429, 5xx, a dropped connection).",
        ),
        o.option(
            "--read-timeout",
            type=click.FloatRange(min=1),
            default=300.0,
            show_default=True,
            section=o.NETWORK,
            help="Read timeout per request, in seconds.",
        ),
        *o.tls_options(),
        o.option(
            "--out",
            type=o.OutDir(writes),
            section=o.OUTPUT,
            help="Output directory (created if needed); the reports are kept there as Mend sent "
            "them, with SHA256SUMS.",
        ),
        o.option(
            "--force",
            is_flag=True,
            section=o.OUTPUT,
            help="Write into --out even where files sbomgen did not write would be replaced.",
        ),
    ]


OPTIONS = [
    *async_options("native writes the reports, with VALIDATION.json and SHA256SUMS"),
    o.option(
        "--standard",
        type=o.DocChoice(("cyclonedx", "spdx")),
        section=o.OUTPUT,
        help="The SBOM standard (required, unless --resume).",
    ),
    o.option(
        "--spec-version",
        type=o.DocChoice(("1.4", "1.5", "2.2", "2.3")),
        section=o.OUTPUT,
        help="CycloneDX 1.4 or 1.5, SPDX 2.2 or 2.3 (default: the newer one, sent explicitly; "
        "Mend's own default is the older).",
    ),
    o.option(
        "--format",
        "fmt",
        type=o.DocChoice(("json", "xml", "yaml", "tv", "xlsx")),
        default="json",
        show_default=True,
        per_command=True,
        section=o.OUTPUT,
        help="CycloneDX: json, xml; SPDX: json, yaml, tv, xml, xlsx.",
    ),
    o.option(
        "--max-depth",
        type=click.IntRange(min=0),
        section=o.OUTPUT,
        help="Levels of the dependency tree in a CycloneDX report (0: the top level). "
        "Default: the whole tree (sbomgen sends 100), not Mend's default of 0, which "
        "lists the direct dependencies only. SPDX reports take no depth.",
    ),
    o.option(
        "--no-vulnerabilities",
        is_flag=True,
        section=o.OUTPUT,
        help="Leave vulnerabilities out of the report (Mend includes them by default).",
    ),
    o.option(
        "--allow-invalid",
        is_flag=True,
        section=o.OUTPUT,
        help="Exit 0 when a report fails validation (it is kept either way, and the problems "
        "are in VALIDATION.json).",
    ),
    o.option(
        "--compare",
        type=o.DocChoice(("text", "md", "json")),
        is_flag=False,
        flag_value="text",
        section=o.OUTPUT,
        help="Also fetch the assembled model and print what the native report and it disagree "
        "on (text, md or json; also written to --out as compare.<ext>).",
    ),
    o.option(
        "--enrich",
        is_flag=True,
        section=o.OUTPUT,
        help="Also write sbomgen's own validated documents of the native report, with what it "
        "lacks added from the assembled model (purls, deeper levels, license texts, "
        "copyrights, evidence), each added fact marked; into --out/enriched/.",
    ),
    o.option(
        "--enrich-format",
        type=o.CommaList(FORMATS, "format"),
        default="cyclonedx-json,spdx-json",
        show_default=True,
        section=o.OUTPUT,
        help="The formats --enrich writes.",
    ),
    *o.enrich_options(),
]


def unique_tokens(
    products: tuple[str, ...], projects: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The scopes, each once (a token given twice is one report job, not two racing for
    one folder); a repeat is said."""
    from sbomgen.sources.client import shorten_token

    out = []
    for option, tokens in (("--product", products), ("--project", projects)):
        seen: list[str] = []
        for token in tokens:
            if token in seen:
                log.warning(
                    "%s %s is given more than once; one report job for it",
                    option,
                    shorten_token(token),
                )
            else:
                seen.append(token)
        out.append(tuple(seen))
    return out[0], out[1]


def jobs_of(
    products: tuple[str, ...], projects: tuple[str, ...], params: dict[str, Any]
) -> list[Job]:
    from sbomgen.sources.native import SBOM_REPORT, Job

    out = []
    for token in products:
        out.append(
            Job(
                "product",
                token,
                {**params, "reportType": params.get("reportType") or SBOM_REPORT["product"]},
            )
        )
    for token in projects:
        out.append(
            Job(
                "project",
                token,
                {**params, "reportType": params.get("reportType") or SBOM_REPORT["project"]},
            )
        )
    return out


def scope_names(client: MendClient, jobs: list[Job]) -> list[str | None]:
    """The product and project names of the jobs (one request each), for labels and
    folders; None where Mend gave none."""
    names: list[str | None] = []
    for job in jobs:
        name = None
        try:
            if job.scope == "product":
                tags = client.call("getProductTags", {"productToken": job.token}).json()
                name = (tags.get("productTags") or [{}])[0].get("name")
            elif job.scope == "project":
                tags = client.call("getProjectTags", {"projectToken": job.token}).json()
                name = (tags.get("projectTags") or [{}])[0].get("name")
            else:
                name = "organization"
        except Exception:  # a name is a label; the report itself will say what is wrong
            name = None
        names.append(str(name) if name else None)
    return names


def labelled(jobs: list[Job], names: list[str | None]) -> list[Job]:
    """The jobs labelled "product Acme Payments" where the name is known, else as they
    describe themselves ("product …1da35e")."""
    from dataclasses import replace

    return [
        replace(j, label=(n if j.scope == "org" else f"{j.scope} {n}") if n else j.describe())
        for j, n in zip(jobs, names, strict=True)
    ]


def unique_stems(jobs: list[Job], names: list[str | None]) -> list[str]:
    """A folder name per job, from its scope's name: unique (also ignoring case, as macOS
    and Windows do: two products of one name get "-2"), and none that sbomgen writes
    itself beside them (SHA256SUMS, VALIDATION.json …)."""
    from sbomgen.names import file_stem
    from sbomgen.sources.archive import RESERVED
    from sbomgen.sources.client import shorten_token

    taken = {r.casefold() for r in RESERVED}
    stems = []
    for job, name in zip(jobs, names, strict=True):
        base = file_stem(name or f"{job.scope}-{shorten_token(job.token or '')}", job.scope)
        stem, n = base, 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.casefold())
        stems.append(stem)
    return stems


def run_jobs(
    state: State, client: MendClient, jobs: list[Job], kwargs: dict[str, Any], outs: list[Path]
) -> list[JobState]:
    """Every job's outcome (files, or its error). On an interrupt, the jobs are cancelled at
    once and each report still in flight is named with the command that resumes it into
    ``outs`` (the folder it would have had), before the interrupt goes on."""
    from sbomgen.cli.progress import JobProgress
    from sbomgen.sources.native import AsyncReports, PollPolicy

    progress = JobProgress(
        [j.label or j.describe() for j in jobs],
        tty=sys.stderr.isatty() and state.color != "never",
        quiet=state.quiet,
    )
    runner = AsyncReports(
        client,
        policy=PollPolicy(first=kwargs["poll_interval"], wait=kwargs["wait"]),
        progress=progress,
    )
    runner.check()
    try:
        return runner.run_all(jobs, resume=kwargs.get("resume"))
    except BaseException as exc:
        if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM: say what Mend still has
            runner.cancel()
            progress.close()
            _say_in_flight(runner.states, kwargs, outs)
        raise
    finally:
        progress.close()


def _say_in_flight(states: list[JobState], kwargs: dict[str, Any], outs: list[Path]) -> None:
    """After an interrupt: each job not downloaded, with the command that resumes it (a
    report Mend has) or requests it again."""
    from sbomgen.sources.native import Cancelled

    for job_state, out in zip(states, outs, strict=False):
        if job_state.done:
            continue
        what = job_state.job.label or job_state.job.describe()
        ended = job_state.error is not None and not isinstance(job_state.error, Cancelled)
        if job_state.resumable:
            assert job_state.uuid is not None
            how = (
                f"ended before: {job_state.error}"
                if ended
                else f"was {job_state.status} when interrupted; Mend may still finish it"
            )
            click.echo(
                f"sbomgen: {what}: report uuid {job_state.uuid} {how}. Resume it with: "
                f"{resume_command(job_state.job, job_state.uuid, kwargs, out)}",
                err=True,
            )
        else:
            how = f"ended before: {job_state.error}" if ended else "no report uuid yet"
            click.echo(
                f"sbomgen: {what}: {how}. Request it again with: "
                f"{rerun_command(job_state.job, kwargs, out)}",
                err=True,
            )


def resume_command(job: Job, uuid: str, kwargs: dict[str, Any], out: Path | None = None) -> str:
    """The command line that picks the report up (no credentials: they are in the environment)."""
    import shlex

    command = ["sbomgen", _command_name(), "--resume", uuid]
    if job.scope in ("product", "project") and job.token:
        command += [f"--{job.scope}", job.token]
    for option, key in (
        ("--type", "report_type"),
        ("--scope", "report_scope"),
        ("--standard", "standard"),
        ("--format", "fmt"),
    ):
        if kwargs.get(key):
            command += [option, str(kwargs[key])]
    command += ["--out", str(out or kwargs["out"])]
    return shlex.join(command)


def rerun_command(job: Job, kwargs: dict[str, Any], out: Path) -> str:
    """The command line that asks Mend for the job's report again (a new job)."""
    import shlex

    command = ["sbomgen", _command_name()]
    for option, key in (("--type", "report_type"), ("--scope", "report_scope")):
        if kwargs.get(key):
            command += [option, str(kwargs[key])]
    if job.scope in ("product", "project") and job.token:
        command += [f"--{job.scope}", job.token]
    for option, key in (
        ("--standard", "standard"),
        ("--spec-version", "spec_version"),
        ("--format", "fmt"),
        ("--max-depth", "max_depth"),
    ):
        if kwargs.get(key) is not None:
            command += [option, str(kwargs[key])]
    if kwargs.get("no_vulnerabilities"):
        command.append("--no-vulnerabilities")
    for item in kwargs.get("filters") or ():
        command += ["--filter", item]
    command += ["--out", str(out)]
    return shlex.join(command)


def _command_name() -> str:
    ctx = click.get_current_context(silent=True)
    return (ctx.info_name if ctx is not None else None) or "native"


def job_outs(out: Path, stems: list[str]) -> list[Path]:
    """Where each job's files go: --out itself for one job, a folder per job for several."""
    return [out] if len(stems) == 1 else [out / stem for stem in stems]


def collect(
    state: State, client: MendClient, jobs: list[Job], kwargs: dict[str, Any], outs: list[Path]
) -> tuple[list[int], list[Downloaded], BaseException | None]:
    """Run every job: which finished, their downloads, and the error to end with once they
    are written (raised at once when none finished)."""
    from sbomgen.sources.native import Downloaded

    states = run_jobs(state, client, jobs, kwargs, outs)
    finished = [i for i, s in enumerate(states) if s.done]
    failure = None
    if len(finished) < len(states):
        failure = unfinished(states, kwargs, outs, kept=bool(finished))
        if not finished:
            raise failure
    downloads = [
        Downloaded(job=states[i].job, uuid=states[i].uuid, files=states[i].files) for i in finished
    ]
    return finished, downloads, failure


def unfinished(
    states: list[JobState], kwargs: dict[str, Any], outs: list[Path], *, kept: bool
) -> JobsFailedError | BaseException:
    """The error to end with when jobs did not finish, after saying for each why, and the
    command that resumes it (a uuid Mend still has) or requests it again (a FAILED job,
    or one without a uuid). A single job's own error is given as it is (a timeout with
    its command)."""
    from sbomgen.sources.native import JobsFailedError, ReportTimeoutError

    failed = [(s, o) for s, o in zip(states, outs, strict=True) if not s.done]
    if len(states) == 1:
        job_state, out = failed[0]
        error = job_state.error
        assert error is not None
        if isinstance(error, ReportTimeoutError):
            return ReportTimeoutError(
                f"{error}. The command: {resume_command(job_state.job, error.uuid, kwargs, out)}",
                error.uuid,
            )
        return error
    for job_state, out in failed:
        what = job_state.job.label or job_state.job.describe()
        click.echo(f"sbomgen: {what}: {job_state.error}", err=True)
        if job_state.resumable:
            assert job_state.uuid is not None
            click.echo(
                f"  resume it with: {resume_command(job_state.job, job_state.uuid, kwargs, out)}",
                err=True,
            )
        else:
            click.echo(
                f"  request it again with: {rerun_command(job_state.job, kwargs, out)}",
                err=True,
            )
    done = len(states) - len(failed)
    if kept:
        tail = (
            f"the {done} finished report(s) are kept in --out {kwargs['out']}, each scope's "
            "folder complete; the others have none (each command above writes its folder)"
        )
    else:
        tail = "nothing was written"
    return JobsFailedError(
        f"{len(failed)} of {len(states)} report jobs did not finish (each is named above, with "
        f"its command); {tail}",
        [s for s, _ in failed],
    )


def layout(
    downloads: list[Downloaded], stems: list[str], *, several: bool | None = None
) -> dict[str, bytes]:
    """Every downloaded file under its name; in a folder per job when there are several
    (``several``: the run's jobs, when some of them are not among ``downloads``)."""
    several = len(downloads) > 1 if several is None else several
    files: dict[str, bytes] = {}
    for download, stem in zip(downloads, stems, strict=True):
        for name, data in download.files.items():
            files[f"{stem}/{name}" if several else name] = data
    return files


def directory_sums(output: OutputDir, files: dict[str, bytes]) -> bytes:
    """SHA256SUMS over every file sbomgen owns in --out after this run: this run's files,
    and those another command wrote there (generate's SBOMs beside report's reports) as
    the manifest recorded them, where they are unchanged; not those this command wrote
    before and no longer writes (the write removes them). A changed one is left out, and
    said."""
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    for rel, entry in output.manifest().items():
        if rel in files or rel == "SHA256SUMS" or entry.get("owner") == output.owner:
            continue
        path = output.path / rel
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # gone since: nothing to list
        if digest != entry["sha256"]:
            log.warning(
                "%s changed since sbomgen (%s) wrote it: left out of SHA256SUMS",
                path,
                entry.get("owner", "?"),
            )
            continue
        sums[rel] = digest
    lines = [f"{digest}  {name}" for name, digest in sorted(sums.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _validate(files: dict[str, bytes]) -> dict[str, Any]:
    from sbomgen.emit.validate import validate_bytes
    from sbomgen.errors import InputDataError

    results = []
    for name, data in sorted(files.items()):
        entry: dict[str, Any] = {
            "path": name,
            "status": "valid",
            "standard": None,
            "version": None,
            "format": None,
            "problems": [],
            "error": None,
        }
        if data[:4] == b"PK\x03\x04":
            entry.update(
                status="not-validated", error="a spreadsheet (XLSX): no validator reads it"
            )
        else:
            try:
                found, problems = validate_bytes(Path(name), data)
            except InputDataError as exc:
                entry.update(status="unreadable", error=str(exc))
            else:
                entry.update(
                    standard=found.standard,
                    version=found.version,
                    format=found.fmt,
                    status="invalid" if problems else "valid",
                    problems=[p.to_json() for p in problems],
                )
        results.append(entry)
    count = {
        s: sum(1 for r in results if r["status"] == s)
        for s in ("valid", "invalid", "unreadable", "not-validated")
    }
    return {
        "schema": "sbomgen-validation/1",
        "files": results,
        "valid": count["valid"],
        "invalid": count["invalid"],
        "unreadable": count["unreadable"],
        "not_validated": count["not-validated"],
    }


@o.command(
    OPTIONS, short_help="Mend's own SBOM (ProductSBOMReport / ProjectSBOMReport), kept as sent."
)
def native(**kwargs: Any) -> None:
    """Fetch Mend's own SBOM through the async reports API and keep it byte for byte.

    Each --product / --project is one report job (generateProductReportAsync or
    generateProjectReportAsync with ProductSBOMReport / ProjectSBOMReport); the jobs run
    concurrently, each polled with getAsyncProcessStatus until SUCCESS or FAILED, within
    --timeout, then downloaded with downloadAsyncReport and extracted safely. Every file
    goes through sbomgen's validators; the result is in VALIDATION.json and a failing
    report is kept and exits 7 (unless --allow-invalid). SHA256SUMS covers everything.

    Use generate for release SBOMs (sbomgen's assembled model: purls, license texts,
    copyrights, the whole graph, validated); native for Mend's own view, for audits, and
    with --compare or --enrich to see and fill what it lacks.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    from sbomgen.sources.native import WHOLE_TREE, SbomRequest

    resume = kwargs.get("resume")
    products, projects = unique_tokens(tuple(kwargs["products"]), tuple(kwargs["projects"]))
    if not (products or projects) and not resume:
        raise click.UsageError("give at least one --product or --project (or --resume UUID)")
    standard = kwargs.get("standard")
    if standard is None and not resume:
        raise click.UsageError("--standard cyclonedx or spdx is required")
    if kwargs["out"] is None:
        raise ConfigError("no output directory: pass --out DIR")
    reads = kwargs.get("compare") or kwargs["enrich"]
    if reads and not (products or projects):
        raise click.UsageError(
            "--compare and --enrich need the --product or --project the report is of"
        )
    if reads and kwargs["fmt"] == "xlsx":
        raise click.UsageError(
            "--compare and --enrich read the report, and no reader takes an SPDX XLSX "
            "spreadsheet: give --format json, yaml, tv or xml (or leave --compare and "
            "--enrich out)"
        )
    params: dict[str, Any] = {}
    if standard is not None:
        spdx = standard == "spdx"
        if spdx and kwargs.get("max_depth") is not None:
            raise click.UsageError(
                "--max-depth applies to CycloneDX only: Mend's SPDX report takes no depth "
                '("Only supported by the CycloneDX standard")'
            )
        version = kwargs.get("spec_version") or ("2.3" if spdx else "1.5")
        request = SbomRequest(
            standard=standard,
            fmt=kwargs["fmt"],
            version=version,
            max_depth=None
            if spdx
            else (kwargs["max_depth"] if kwargs.get("max_depth") is not None else WHOLE_TREE),
            vulnerabilities=not kwargs["no_vulnerabilities"],
        )
        try:
            request.check()
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        params = request.params("product")
        params.pop("reportType")
    jobs = jobs_of(products, projects, params)
    if resume and len(jobs) > 1:
        raise click.UsageError("--resume picks up one report: give one scope, or none")
    if resume and not jobs:
        from sbomgen.sources.native import Job

        jobs = [Job("org", None, {**params, "reportType": "report"}, label=f"report {resume}")]
    source = SourceArgs(
        url=kwargs["url"],
        snapshot=None,
        products=products,
        projects=projects,
        org=not (products or projects),  # --resume alone: the organization token polls it
        retries=kwargs["retries"],
        timeout=kwargs["read_timeout"],
        ca_bundle=kwargs.get("ca_bundle"),
        insecure=bool(kwargs.get("insecure")),
    )
    r = resolve(state, source, need_live=True)
    assert r.client is not None
    output = None
    failure: BaseException | None = None
    try:
        enrichers = enrichers_for(kwargs, r.file_cfg) if reads else None
        output = prepare_out(kwargs["out"], "native", kwargs["force"])
        from sbomgen.sources.native import AsyncReports

        AsyncReports(r.client).check()  # the organization token, before any request
        names: list[str | None] = (
            scope_names(r.client, jobs)
            if (len(jobs) > 1 or reads) and not resume
            else [None] * len(jobs)
        )
        jobs = labelled(jobs, names)
        stems = unique_stems(jobs, names)
        outs = job_outs(kwargs["out"], stems)
        finished, downloads, failure = collect(state, r.client, jobs, kwargs, outs)
        kept_stems = [stems[i] for i in finished]
        files = layout(downloads, kept_stems, several=len(jobs) > 1)
        report = _validate(files)
        files["VALIDATION.json"] = (
            json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        ).encode()
        if reads:
            files.update(
                _compare_and_enrich(r, downloads, kept_stems, kwargs, enrichers, len(jobs) > 1)
            )
        files["SHA256SUMS"] = directory_sums(output, files)
        outcome = output.write(files)
    except BaseException:
        if output is not None:
            output.discard()
        raise
    finally:
        r.close()
    for path in outcome.written:
        say(state, f"wrote {path}")
    for path in outcome.removed:
        say(state, f"removed {path} (written by an earlier run, not by this one)")
    for entry in report["files"]:
        what = (
            f"{entry['standard']} {entry['version']} {str(entry['format']).upper()}"
            if entry["standard"]
            else ""
        )
        if entry["status"] == "invalid":
            say(
                state,
                f"{entry['path']}: INVALID ({what}), {len(entry['problems'])} problem(s); kept as Mend sent it",
            )
            for problem in entry["problems"][:10]:
                where = " ".join(
                    x
                    for x in (
                        problem["spdx_id"],
                        problem["bom_ref"] and f"bom-ref {problem['bom_ref']}",
                        problem["location"] and f"at {problem['location']}",
                    )
                    if x
                )
                say(state, f"  {where + ': ' if where else ''}{problem['message']}")
        elif entry["status"] == "valid":
            say(state, f"{entry['path']}: valid ({what})")
        else:
            say(state, f"{entry['path']}: {entry['status']}: {entry['error']}")
    if failure is not None:
        raise failure
    if report["invalid"] and not kwargs["allow_invalid"]:
        raise ValidationFailedError(
            f"{report['invalid']} of {len(report['files'])} downloaded file(s) failed validation; "
            f"kept as Mend sent them, problems in {kwargs['out']}/VALIDATION.json "
            "(--allow-invalid exits 0)"
        )


def _compare_and_enrich(
    r: Any,
    downloads: list[Downloaded],
    stems: list[str],
    kwargs: dict[str, Any],
    enrichers: Any,
    several: bool,
) -> dict[str, bytes]:
    from sbomgen.enrich.native import enrich_with_native
    from sbomgen.errors import InputDataError
    from sbomgen.gates.compare import compare
    from sbomgen.pipeline import documents, enrich, timestamp
    from sbomgen.sources.documents import read_document
    from sbomgen.sources.fetcher import DEFAULT_CONCURRENCY, Fetcher, FetchScope

    out: dict[str, bytes] = {}
    for download, stem in zip(downloads, stems, strict=True):
        job = download.job
        scope = FetchScope(
            products=(str(job.token),) if job.scope == "product" else (),
            projects=(str(job.token),) if job.scope == "project" else (),
        )
        assembled = enrich(
            Fetcher(r.client, _Quiet(), concurrency=DEFAULT_CONCURRENCY).fetch(scope), enrichers
        )
        views = []
        skipped = []
        for name, data in sorted(download.files.items()):
            try:
                view = read_document(name, data)
            except InputDataError as exc:  # a file beside the SBOM (a readme, a log …)
                log.warning(
                    "%s: %s is not an SBOM sbomgen reads (%s); --compare and --enrich leave it out",
                    job.describe(),
                    name,
                    str(exc).removeprefix(f"{name}: "),
                )
                skipped.append(name)
                continue
            if view is None:
                log.warning(
                    "%s: %s is a spreadsheet; --compare and --enrich leave it out",
                    job.describe(),
                    name,
                )
                skipped.append(name)
                continue
            views.append((name, view))
        if not views:
            raise InputDataError(
                f"{job.describe()}: the report holds no SBOM sbomgen can read"
                + (f" ({', '.join(skipped)})" if skipped else "")
                + "; --compare and --enrich need CycloneDX or SPDX as JSON, XML, YAML or "
                "tag-value"
            )
        view = _merged([v for _, v in views])
        prefix = f"{stem}/" if several else ""
        if kwargs.get("compare"):
            fmt = kwargs["compare"]
            result = compare(view, assembled, file=", ".join(n for n, _ in views))
            text = result.render(fmt)
            extension = {"text": "txt", "md": "md", "json": "json"}[fmt]
            out[f"{prefix}compare.{extension}"] = text.encode("utf-8")
            click.echo(text, nl=False)
        if kwargs["enrich"]:
            from sbomgen.emit.factory import make_emitters
            from sbomgen.emit.interface import DocumentMeta
            from sbomgen.names import file_stem

            def again(inventory: Any) -> Any:
                return enrich(inventory, enrichers)

            combined = enrich_with_native(view, assembled, enrich=again)
            when, reproducible = timestamp()
            name = next(iter(combined.products.values())).name if combined.products else stem
            meta = DocumentMeta(
                name=name,
                timestamp=when,
                reproducible=reproducible,
                file_stem=file_stem(name),
            )
            emitters = make_emitters(list(kwargs["enrich_format"]))
            for fname, data in documents(combined, emitters, meta).items():
                out[f"{prefix}enriched/{fname}"] = data
    return out


def _merged(views: list[Any]) -> Any:
    """Several files of one report (a report split across files) as one view."""
    first = views[0]
    for other in views[1:]:
        first.components.update(other.components)
        for ref, children in other.edges.items():
            first.edges.setdefault(ref, []).extend(
                c for c in children if c not in first.edges.get(ref, [])
            )
        first.top.extend(r for r in other.top if r not in first.top)
        first.vulnerabilities |= other.vulnerabilities
    return first


class _Quiet:
    def request(self, request_type: str, scope: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass
