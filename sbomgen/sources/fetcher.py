"""Assembling mode: gather every fact for a scope with the fewest requests.

For a product (works with a product-admin key; no organization-level request), at most
10 requests plus one per project, never one per library:

=============================  ==========================================================
request                        why it is needed (what no other answer carries)
=============================  ==========================================================
getProductTags                 the product's name and tags; checks the token first
getProductProjectVitals        its projects: names, tokens, dates, plugin
getProductLicenses             every library of the product with its licenses, copyright
                               references, description, references, and the projects it
                               occurs in (this is what makes getProjectInventory redundant)
getProductAlertsByType         SECURITY_VULNERABILITY alerts: the vulnerabilities
getProductIgnoredAlerts        the ignored alerts: what people decided about them (VEX);
                               the reference's answer names no project, so a project
                               holding one is asked itself (getProjectIgnoredAlerts)
getProductInHouseLibraries     which libraries are in-house
getProductLibraryLocations     where each library was found, and how it was matched
                               (SHA1, FILENAME …)
getLicensesTextZip             the license texts Mend holds
getCopyrightsTextFile          the copyrights text file (kept as evidence, and merged)
getNoticesTextFile             NOTICE texts (only available per product)
getProjectHierarchy (each)     the dependency tree: edges, direct/transitive, Mend type,
                               coordinates
=============================  ==========================================================

``getProjectInventory`` is not asked for a product: every fact it holds is in the answers
above except ``outdated``, which sbomgen does not report. Nor are the projects' tags
(``getProductProjectTags``, ``getProjectTags``): no document states them.

For projects given without their product, the project-level twins are used, plus
``getProjectInventory`` for each (the only answer naming the project's product); the notices
file, which Mend offers per product only, is missing: a warning says so. With ``--org``,
``getOrganizationDetails`` and ``getOrganizationProductVitals`` list the products, then
each product is fetched as above.

Requests run on up to ``concurrency`` threads (``--concurrency``, default 8). Answers are
put together in a fixed order (the order of the requests above, projects in the order of
the vitals, products in the order given or listed), so the inventory never depends on
which answer came first.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from sbomgen._gc import paused
from sbomgen.errors import ConfigError, InputDataError, MendApiError
from sbomgen.model import (
    SPARSE_FIELDS,
    TREE_FIELDS,
    Copyright,
    Inventory,
    KeyUuid,
    Library,
    LicenseText,
    Occurrence,
    Product,
    ProductToken,
    Project,
    ProjectToken,
    Provenance,
    one_per_project,
)
from sbomgen.sources import fastparse, parse
from sbomgen.sources.client import MendResponse, shorten_token
from sbomgen.sources.contract import MendVersionError
from sbomgen.sources.interface import Transport
from sbomgen.sources.parse import Ctx

log = logging.getLogger(__name__)
T = TypeVar("T")

VULN_ALERT = "SECURITY_VULNERABILITY"
# Every occurrence: the reference documents no default for excludeProjectOccurrences.
OCCURRENCES = {"excludeProjectOccurrences": False}
# Required in API v1.4. "true" adds who changed a copyright; sbomgen wants the lines only.
COPYRIGHT_LINES = {"showCopyrightExtraDetails": "false"}


@dataclass(frozen=True)
class FetchScope:
    products: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    org: bool = False

    def __post_init__(self) -> None:
        if not (self.products or self.projects or self.org):
            raise ConfigError("no scope: give --product TOKEN, --project TOKEN or --org")


class Observer(Protocol):
    """Progress hooks; the CLI draws them, everything else ignores them."""

    def request(self, request_type: str, scope: str) -> None: ...

    def note(self, message: str) -> None: ...


class NullObserver:
    def request(self, request_type: str, scope: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


def report_progress(observer: object, key: str, label: str, done: int, total: int | None) -> None:
    """Tell an observer that has a ``progress`` hook (the CLI's display) how far a task
    is: ``done`` of ``total`` (None: not known yet). Other observers need not have it."""
    hook = getattr(observer, "progress", None)
    if hook is not None:
        hook(key, label, done, total)


DEFAULT_CONCURRENCY = 8


class _TreeGroup:
    """Consecutive tree sightings of one library record (the same node in project after
    project): its occurrences and provenance, gathered; one Library when needed. With
    ``base``, the sightings before the group, already merged with the record's facts:
    what the group adds at the end is its occurrences and provenance only."""

    __slots__ = ("base", "lib", "occurrences", "provenance")

    def __init__(
        self,
        lib: Library,
        occurrence: Occurrence,
        provenance: Provenance,
        base: Library | None = None,
    ) -> None:
        self.lib = lib
        self.base = base
        self.occurrences = [occurrence]
        self.provenance = [provenance]

    def library(self) -> Library:
        # one occurrence per project (a node can sit at several depths of one tree), in
        # order; each answer once: what merging the sightings one by one gives
        if self.base is None:
            # a record seen more than once is merged with itself: a license, copyright or
            # vulnerability it names twice is then named once, as merging the sightings
            # one by one gives
            lib = self.lib if len(self.occurrences) == 1 else Library.merge_all([self.lib] * 2)
            return lib.sighted(
                one_per_project(tuple(self.occurrences)),
                tuple(dict.fromkeys(self.provenance)),
            )
        base = self.base
        head = base.provenance
        new = dict.fromkeys(self.provenance)
        for p in head:
            new.pop(p, None)
        return base.sighted(
            one_per_project(base.occurrences + tuple(self.occurrences)), head + tuple(new)
        )


class _Sparse:
    """A sighting that states nothing but locations, copyrights, notices and provenance
    (model.SPARSE_FIELDS): the locations answer's and the text files'. Merged by
    Library.merge_stating, a few fields rather than all of them."""

    __slots__ = ("lib",)

    def __init__(self, lib: Library) -> None:
        self.lib = lib


class _Sightings:
    """A product's sightings of each library, in request order, merged once.

    Merging each sighting as it comes is quadratic for a library in every project (each
    merge rebuilds its growing list of occurrences); the sightings are kept per library
    instead and merged in one pass (Library.merge_all, linear) by :meth:`merged`. A
    list that grows long is folded at once, so memory stays bounded. Merging is
    associative: the result is that of merging every sighting in request order. Tree
    nodes that are one record (parse.parse_tree) and come one after another are kept as
    one sighting with their occurrences: merging them changes nothing else. Once
    :meth:`lead` has merged what came first, a tree's record is merged into it when it
    first comes, so that the end has only occurrences left to add. Sightings that state a
    few fields only are merged by those fields (Library.merge_stating): a tree's records
    (model.TREE_FIELDS), and the locations answer's and the text files' (taken with
    :meth:`take_sparse`; model.SPARSE_FIELDS)."""

    FOLD_AT = 4  # sightings of one library held before they are folded into one

    def __init__(self) -> None:
        self._by_key: dict[str, list[Library | _TreeGroup | _Sparse]] = {}
        self._files: dict[str, KeyUuid] = {}  # file name -> the first library taken with it
        self._led = False

    def take(self, libs: Iterable[Library]) -> None:
        for lib in libs:
            self._add(lib.key_uuid, lib.filename, lib)

    def take_sparse(self, libs: Iterable[Library]) -> None:
        """Take sightings that each state nothing but locations, copyrights, notices and
        provenance (model.SPARSE_FIELDS)."""
        for lib in libs:
            self._add(lib.key_uuid, lib.filename, _Sparse(lib))

    def take_tree(self, nodes: Iterable[parse.TreeNode], provenance: Provenance) -> None:
        by_key = self._by_key
        for lib, occurrence in nodes:
            seen = by_key.get(lib.key_uuid)
            if seen is not None:
                last = seen[-1]
                if type(last) is _TreeGroup and last.lib is lib:
                    last.occurrences.append(occurrence)
                    last.provenance.append(provenance)
                    continue
                if self._led and len(seen) == 1:
                    if lib.filename and lib.filename not in self._files:
                        self._files[lib.filename] = lib.key_uuid
                    # lib: a tree node's record (no occurrences, no provenance)
                    base = Library.merge_stating(_part(last), [lib], TREE_FIELDS)
                    seen[0] = _TreeGroup(lib, occurrence, provenance, base)
                    continue
            self._add(lib.key_uuid, lib.filename, _TreeGroup(lib, occurrence, provenance))

    def _add(self, key: str, filename: str | None, part: Library | _TreeGroup | _Sparse) -> None:
        if filename and filename not in self._files:
            self._files[filename] = KeyUuid(key)
        seen = self._by_key.get(key)
        if seen is None:
            self._by_key[key] = [part]
        elif len(seen) < self.FOLD_AT:
            seen.append(part)
        else:
            self._by_key[key] = [Library.merge_all([*map(_part, seen), _part(part)])]

    def lead(self, first: Iterable[Library]) -> None:
        """Put ``first`` before every sighting taken so far (their file names do not
        count for :meth:`files`), and merge each library's sightings so far into one: the
        merging the end would do, done while later answers are still coming."""
        by_key: dict[str, list[Library | _TreeGroup | _Sparse]] = {}
        for lib in first:
            by_key.setdefault(lib.key_uuid, []).append(lib)
        for key, parts in self._by_key.items():
            by_key.setdefault(key, []).extend(parts)
        self._by_key = {key: [_merged(parts)] for key, parts in by_key.items()}
        self._led = True

    def files(self) -> Iterator[tuple[str, KeyUuid]]:
        """(file name, library) of the sightings taken: the first library per file."""
        return iter(self._files.items())

    def merged(self) -> list[Library]:
        """One library per key: its sightings merged, in the order they were taken."""
        return [_merged(parts) for parts in self._by_key.values()]


def _merged(parts: list[Library | _TreeGroup | _Sparse]) -> Library:
    """One library from its sightings, merged in order: the sparse ones that come after
    every other (as the locations answer and the text files usually do) by
    Library.merge_stating."""
    if len(parts) == 1:
        return _part(parts[0])
    n = len(parts)
    while n and type(parts[n - 1]) is _Sparse:
        n -= 1
    if n == 0 or any(type(p) is _Sparse for p in parts[:n]):
        return Library.merge_all(list(map(_part, parts)))
    base = _part(parts[0]) if n == 1 else Library.merge_all(list(map(_part, parts[:n])))
    return Library.merge_stating(base, [_part(p) for p in parts[n:]], SPARSE_FIELDS)


def _part(part: Library | _TreeGroup | _Sparse) -> Library:
    if isinstance(part, _Sparse):
        return part.lib
    return part.library() if isinstance(part, _TreeGroup) else part


class Jobs:
    """Runs jobs on up to ``workers`` threads and hands back futures.

    The threads are daemons: an interrupted run (Ctrl-C, SIGTERM) exits without waiting
    for the requests in flight. With one worker each job runs at once, in the caller.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        if self.workers == 1:
            future.set_running_or_notify_cancel()
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to whoever waits on it
                future.set_exception(exc)
            return future
        with self._lock:
            if self._closed:
                raise RuntimeError("submit after close")
            self._queue.put((future, fn))
            if len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name="sbomgen-fetch", daemon=True)
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, fn = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn())
                except BaseException as exc:  # handed to whoever waits on it
                    future.set_exception(exc)

    def close(self, *, wait: bool) -> None:
        """Cancel what has not started; with ``wait``, let the jobs in flight finish."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join()


# How long a thread may hold the interpreter lock while another waits for it, during a
# fetch (Python's default: 5 ms). A request thread whose answer has arrived waits that long
# each time it needs the lock while another thread parses, several times per answer.
# Measured on bench/fetch.py's product (100 projects, 50 ms latency, 2 CPUs; eight runs
# of each, medians): 1.94 s at 5 ms, 1.88 at 1 ms, 1.79 at 0.5 ms, 1.74 at 0.2 ms.
HANDOFF_SECONDS = 0.0002


@contextmanager
def _quick_handoff() -> Iterator[None]:
    """A short switch interval for the threads of one fetch, restored after it."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOFF_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _all(futures: Iterable[Future[T]]) -> list[T]:
    """The results in the order the futures were made; the first failure in that order
    is raised (so which error a run reports does not depend on timing)."""
    made = list(futures)  # every job is submitted before the first wait
    return [f.result() for f in made]


class Fetcher:
    def __init__(
        self,
        transport: Transport,
        observer: Observer | None = None,
        *,
        concurrency: int = 1,
    ) -> None:
        self.transport = transport
        self.observer = observer or NullObserver()
        self.concurrency = max(1, concurrency)
        self._jobs = Jobs(1)
        self._observer_lock = threading.Lock()
        self._tasks: dict[str, tuple[int, int | None, str]] = {}  # key -> done, total, label
        # tree nodes parsed so far, shared by every tree of the fetch (parse.parse_tree);
        # two threads may parse one node at once: both records are equal
        self._tree_memo: parse.TreeMemo = {}

    # -- plumbing ---------------------------------------------------------------------

    def _call(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        *,
        org_level: bool = False,
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> tuple[MendResponse, Ctx]:
        """One request; ``rename`` gives the answer's context once it is in (the scope's
        name, when the request went out before the name was known)."""
        with self._observer_lock:
            self.observer.request(ctx.request_type, ctx.scope_name)
        response = self.transport.call(ctx.request_type, params, org_level=org_level)
        self._count(ctx)
        if rename is not None:
            ctx = rename(ctx)
        if response.origin:
            ctx = replace(ctx, origin=response.origin)
        return response, ctx

    def _json(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        *,
        org_level: bool = False,
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> tuple[dict[str, Any], Ctx]:
        response, ctx = self._answer(ctx, params, org_level=org_level, rename=rename)
        return response.json(), ctx

    def _answer(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        *,
        org_level: bool = False,
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> tuple[MendResponse, Ctx]:
        """A JSON answer, not decoded yet (see :func:`_typed`)."""
        response, ctx = self._call(ctx, params, org_level=org_level, rename=rename)
        if not response.is_json and response.body.lstrip()[:1] != b"{":
            # the reference calls the API "a JSON speaking web service" and names no content
            # type for JSON answers: the body decides
            raise ctx.fail("body", f"should be JSON, got content type {response.content_type!r}")
        return response, ctx

    def _count(self, ctx: Ctx, *, total: int | None = None, label: str | None = None) -> None:
        """One more answer in (or, with ``total``/``label``, what the task now expects)."""
        key = str(ctx.product or ctx.project or "organization")
        with self._observer_lock:
            done, expected, name = self._tasks.get(key, (0, None, ctx.scope_name))
            if total is None and label is None:
                done += 1
            self._tasks[key] = (done, total or expected, label or name)
            done, expected, name = self._tasks[key]
            report_progress(self.observer, key, name, done, expected)

    def _note(self, message: str) -> None:
        with self._observer_lock:
            self.observer.note(message)

    def _get(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        read: Callable[[Ctx, dict[str, Any]], T],
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> Future[T]:
        """Ask for one JSON answer on a worker thread and parse it there."""

        def job() -> T:
            data, answered = self._json(ctx, params, rename=rename)
            return read(answered, data)

        return self._jobs.submit(job)

    # -- entry point ------------------------------------------------------------------

    def fetch(self, scope: FetchScope) -> Inventory:
        self._jobs = Jobs(self.concurrency)
        finished = False
        try:
            with paused(), _quick_handoff():
                inventory = self._fetch(scope)
            finished = True
            return inventory
        except Exception:
            finished = True  # an error, not an interrupt: let the requests in flight end
            raise
        finally:
            self._jobs.close(wait=finished)

    def _fetch(self, scope: FetchScope) -> Inventory:
        org_name: str | None = None
        product_tokens = list(dict.fromkeys(scope.products))
        if scope.org:
            first = Ctx("getOrganizationDetails", scope_name="organization")
            self._count(first, total=2, label="organization")
            data, ctx = self._json(first, {}, org_level=True)
            org_name = parse._str(ctx, data, "orgName")
            data, ctx = self._json(
                Ctx("getOrganizationProductVitals", scope_name="organization"), {}, org_level=True
            )
            for v in parse.parse_vitals(ctx, data, "productVitals"):
                if v.token not in product_tokens:
                    product_tokens.append(v.token)
        wanted = set(scope.projects)
        inventory = Inventory(org_name=org_name)
        explicit = set(scope.products)
        # one coordinator per product at a time: it only waits on its requests, which run
        # on the shared request threads (so --concurrency bounds the requests in flight)
        products = Jobs(min(self.concurrency, len(product_tokens)) if product_tokens else 1)
        try:
            parts = _all(
                products.submit(
                    lambda t=token: self.fetch_product(  # type: ignore[misc]
                        ProductToken(t), wanted or None, quiet=t not in explicit
                    )
                )
                for token in product_tokens
            )
        finally:
            products.close(wait=False)
        for part in parts:
            inventory = inventory.merge(part)
        leftovers = [p for p in dict.fromkeys(scope.projects) if p not in inventory.projects]
        if leftovers and product_tokens:
            where = (
                "any product of the organization"
                if scope.org
                else f"the given --product{'s' if len(explicit) != 1 else ''}"
            )
            raise ConfigError(
                f"--project {leftovers[0]} is not in {where}"
                + ("" if scope.org else "; give its product too, or only --project")
            )
        for token in leftovers:
            inventory = inventory.merge(self.fetch_project(ProjectToken(token)))
        return inventory

    # -- one product ------------------------------------------------------------------

    def fetch_product(
        self, product: ProductToken, only: set[str] | None = None, *, quiet: bool = False
    ) -> Inventory:
        base = {"productToken": product}
        # Every product-level request goes out at once, the tags (the product's name) among
        # them; an answer is named after the product when the tags are in. All run on the
        # request threads, so --concurrency bounds them all.
        pending = f"product {shorten_token(product)}"
        name_f = self._jobs.submit(lambda: self._product_name(product, base, pending))

        def c(request_type: str) -> Ctx:
            return Ctx(request_type, product=product, scope_name=pending)

        def named(ctx: Ctx) -> Ctx:
            return replace(ctx, scope_name=f"product {name_f.result()[0]}")

        def get(
            request_type: str, params: Mapping[str, Any], read: Callable[[Ctx, dict[str, Any]], T]
        ) -> Future[T]:
            return self._get(c(request_type), params, read, named)

        vitals_f = get(
            "getProductProjectVitals", base, lambda x, d: parse.parse_vitals(x, d, "projectVitals")
        )

        # which projects a library occurs in is only known once the vitals are in: the
        # licenses answer is parsed after them (on this thread), its request is not held
        def licenses() -> tuple[list[Library], bool]:
            # parsed as soon as it is in (the largest answer: its JSON is let go at once);
            # which projects are in scope comes from the vitals, asked before it
            response, ctx = self._answer(
                c("getProductLicenses"), {**base, **OCCURRENCES}, rename=named
            )
            in_scope = [v for v in vitals_f.result() if only is None or v.token in only]
            product_of: dict[str, ProductToken | None] = {v.token: product for v in in_scope}
            fast = fastparse.licenses(ctx, _typed(response), product_of)
            if fast is not None:
                return fast
            data = response.json()
            return parse.parse_licenses(ctx, data, product_of), _names_no_projects(data)

        licenses_f = self._jobs.submit(licenses)
        alerts_f = get(
            "getProductAlertsByType", {**base, "alertType": VULN_ALERT}, parse.parse_alerts
        )
        in_house_f = get("getProductInHouseLibraries", base, parse.parse_in_house)

        def ignored() -> list[Library]:
            # what people decided (ignored alerts), each alert put in its project by name
            # where the answer names one; which names are projects comes from the vitals
            data, ctx = self._json(c("getProductIgnoredAlerts"), base, rename=named)
            names: dict[str, list[ProjectToken]] = {}
            for v in vitals_f.result():
                names.setdefault(v.name, []).append(ProjectToken(v.token))
            unique = {n: ts[0] for n, ts in names.items() if len(ts) == 1}
            return parse.parse_ignored_alerts(ctx, data, unique)

        ignored_f = self._jobs.submit(ignored)

        def locations() -> list[Library]:
            response, ctx = self._answer(c("getProductLibraryLocations"), base, rename=named)
            fast = fastparse.locations(ctx, _typed(response))
            return fast if fast is not None else parse.parse_locations(ctx, response.json())

        locations_f = self._jobs.submit(locations)
        texts_f = self._jobs.submit(
            lambda: self._license_texts(c("getLicensesTextZip"), base, rename=named)
        )
        copyrights_f = self._jobs.submit(
            lambda: self._text_blocks(
                c("getCopyrightsTextFile"), {**base, **COPYRIGHT_LINES}, rename=named
            )
        )
        notices_f = self._jobs.submit(
            lambda: self._text_blocks(c("getNoticesTextFile"), base, rename=named)
        )
        name, tagged = name_f.result()  # the first error in request order is the tags'
        scope_name = f"product {name}"
        vitals = vitals_f.result()
        if only is not None:
            vitals = [v for v in vitals if v.token in only]
            if not vitals and not quiet:
                log.warning(
                    "%s holds none of the given --project tokens; it is left out", scope_name
                )
                self._note(f"{scope_name}: none of the given projects; left out")
        # every product-level request, and one tree per project (plus the rare inventories)
        self._count(c("getProductProjectVitals"), total=10 + len(vitals), label=scope_name)
        trees_f = [
            self._jobs.submit(
                lambda v=v: self._project_tree(ProjectToken(v.token), product, name, v)  # type: ignore[misc]
            )
            for v in vitals
        ]
        # Every answer is taken in a fixed order (see _Sightings): the licenses answer
        # (usually the largest and the slowest) leads, then the other product-level
        # answers, the text files, and the trees; what has come before the trees is merged
        # while they come (their parsing runs on the request threads).
        merged = _Sightings()
        for part in _all([alerts_f, in_house_f]):
            merged.take(part)
        merged.take_sparse(locations_f.result())
        texts = texts_f.result()
        licensed, names_no_projects = licenses_f.result()
        # the text files name libraries by file name: the product-level answers' names
        # count first (the licenses answer names every library of the product)
        files = dict(merged.files())
        for lib in licensed:
            if lib.filename:
                files.setdefault(lib.filename, lib.key_uuid)
        texts_in, copyrights, notices = _text_sightings(
            files.items(), copyrights_f.result(), notices_f.result(), warn=False
        )
        merged.take_sparse(texts_in)
        merged.lead(licensed)
        projects = []
        placed: dict[str, set[str]] = {}
        for n, v in enumerate(vitals):
            project, nodes, provenance = trees_f[n].result()
            trees_f[n] = None  # type: ignore[call-overload]
            projects.append(project)
            placed[v.token] = {lib.key_uuid for lib, _ in nodes}
            merged.take_tree(nodes, provenance)
        # the rest of the text files, for libraries only a tree names
        texts_in, copyrights, notices = _text_sightings(
            merged.files(), copyrights, notices, warn=False
        )
        merged.take_sparse(texts_in)
        # A library getProductLicenses puts in a project whose tree does not place it (a
        # file matched by hash, outside any dependency file) is known only by its language;
        # that project's inventory adds its Mend type and match. Usually there is none. An
        # answer that names no projects at all (the v1.2 shape) leaves every project unsure.
        unplaced: set[str] = {
            occ.project
            for lib in licensed
            for occ in lib.occurrences
            if occ.project in placed and lib.key_uuid not in placed[occ.project]
        }
        if names_no_projects:
            unplaced = set(placed)
        if unplaced:
            self._count(
                c("getProjectInventory"), total=10 + len(vitals) + len(unplaced), label=scope_name
            )
        inventories = [
            self._jobs.submit(lambda v=v: self._inventory(ProjectToken(v.token), product, v))  # type: ignore[misc]
            for v in vitals
            if v.token in unplaced
        ]
        libraries: list[Library] = merged.merged()
        for libs in _all(inventories):
            libraries += libs
        libraries += self._placed_triage(ignored_f.result(), licensed, placed, product, vitals)
        if _any_blocks(copyrights) or _any_blocks(notices):
            libraries = _attach_text_blocks(libraries, copyrights, notices)
        product_rec = Product(
            token=product,
            name=name,
            tags=tagged[0].tags,
            projects=tuple(ProjectToken(v.token) for v in vitals),
        )
        inventory = Inventory.build(
            products=[product_rec], projects=projects, libraries=libraries, license_texts=texts
        )
        return inventory.restricted_to(product_rec.projects)

    # -- one project without its product ----------------------------------------------

    def fetch_project(self, project: ProjectToken) -> Inventory:
        base = {"projectToken": project}
        data, ctx = self._json(Ctx("getProjectVitals", project=project, scope_name="project"), base)
        vitals_list = parse.parse_vitals(ctx, data, "projectVitals")
        if not vitals_list:
            raise ctx.fail("projectVitals", "is empty: the project token is unknown to Mend")
        vitals = vitals_list[0]
        scope_name = f"project {vitals.name}"
        self._count(ctx, total=10, label=scope_name)

        def c(request_type: str) -> Ctx:
            return Ctx(request_type, project=project, scope_name=scope_name)

        libraries: list[Library] = []
        data, ctx = self._json(c("getProjectLicenses"), {**base, **OCCURRENCES})
        libraries += parse.parse_licenses(ctx, data, {project: None})
        data, ctx = self._json(c("getProjectAlertsByType"), {**base, "alertType": VULN_ALERT})
        libraries += parse.parse_alerts(ctx, data)
        data, ctx = self._json(c("getProjectIgnoredAlerts"), base)
        libraries += parse.parse_ignored_alerts(ctx, data)
        data, ctx = self._json(c("getProjectInHouseLibraries"), base)
        libraries += parse.parse_in_house(ctx, data)
        data, ctx = self._json(c("getProjectLibraryLocations"), base)
        libraries += parse.parse_locations(ctx, data)
        texts = self._optional(
            c("getProjectLicensesTextZip"),
            "license texts",
            lambda ctx: self._license_texts(ctx, base),
        )
        proj, nodes, provenance = self._project_tree(project, None, None, vitals)
        # getProjectInventory: the one answer that names the project's product, and each
        # library's match type in the project
        inv_vitals, inv_libs = self._inventory_answer(project, None, vitals)
        if inv_vitals is not None:
            proj = replace(proj, product_name=inv_vitals.product_name)
        libraries += [lib.sighted((occ,), (provenance,)) for lib, occ in nodes]
        libraries += inv_libs
        copyrights = self._optional(
            c("getProjectCopyrightsTextFile"),
            "the copyrights text file",
            lambda ctx: self._text_blocks(ctx, {**base, **COPYRIGHT_LINES}),
        )
        libraries = _attach_text_blocks(libraries, copyrights or {}, {})
        log.warning(
            "project %s was fetched without its product: Mend offers NOTICE texts per product "
            "only, so notices are missing (give --product too)",
            vitals.name,
        )
        self._note(f"notices unavailable for project {vitals.name} (no --product)")
        inventory = Inventory.build(projects=[proj], libraries=libraries, license_texts=texts or [])
        return inventory.restricted_to([project])

    # -- pieces -----------------------------------------------------------------------

    def _placed_triage(
        self,
        ignored: list[Library],
        licensed: list[Library],
        placed: Mapping[str, set[str]],
        product: ProductToken,
        vitals: list[parse.Vitals],
    ) -> list[Library]:
        """Each ignored alert in the project that ignored it. The reference's product answer
        names no project: the projects where such a library occurs are asked themselves
        (getProjectIgnoredAlerts), since one may ignore what another has not. An alert for
        a project or library outside the scope is said and left out."""
        if not ignored:
            return []
        in_scope = {v.token: v for v in vitals}
        # where (which projects) each library an ignored alert names is
        named = {lib.key_uuid for lib in ignored}
        where: dict[str, set[str]] = {}
        for token, keys in placed.items():
            for key in keys & named:
                where.setdefault(key, set()).add(token)
        for lib in licensed:
            if lib.key_uuid in named:
                for occ in lib.occurrences:
                    if occ.project in in_scope:
                        where.setdefault(lib.key_uuid, set()).add(occ.project)
        kept: list[Library] = []
        unsure: list[Library] = []
        for lib in ignored:
            if lib.key_uuid not in where:
                log.warning(
                    "an ignored alert (%s) names library %s, which is not in scope; left out",
                    ", ".join(t.vulnerability for t in lib.triage),
                    lib.filename or lib.name or lib.key_uuid,
                )
                continue
            if any(t.project is None for t in lib.triage):
                unsure.append(lib)
            elif all(t.project in in_scope for t in lib.triage):
                kept.append(lib)
            else:
                log.info(
                    "an ignored alert (%s of %s) is a project's outside the scope; left out",
                    ", ".join(t.vulnerability for t in lib.triage),
                    lib.filename or lib.name or lib.key_uuid,
                )
        if not unsure:
            return kept
        ask = sorted({p for lib in unsure for p in where[lib.key_uuid]})
        self._count(
            Ctx("getProjectIgnoredAlerts", product=product),
            total=10 + len(vitals) + len(ask),
        )

        def project_alerts(token: str) -> list[Library]:
            v = in_scope[token]
            ctx = Ctx(
                "getProjectIgnoredAlerts",
                product=product,
                project=ProjectToken(token),
                scope_name=f"project {v.name}",
            )
            data, ctx = self._json(ctx, {"projectToken": token})
            return parse.parse_ignored_alerts(ctx, data)

        answers = [self._jobs.submit(lambda t=t: project_alerts(t)) for t in ask]  # type: ignore[misc]
        wanted = {(lib.key_uuid, t.vulnerability) for lib in unsure for t in lib.triage}
        confirmed: set[tuple[str, str]] = set()
        for libs in _all(answers):
            for lib in libs:
                for t in lib.triage:
                    if (lib.key_uuid, t.vulnerability) in wanted:
                        confirmed.add((lib.key_uuid, t.vulnerability))
                        kept.append(replace(lib, triage=(t,)))
        for lib in unsure:
            for t in lib.triage:
                if (lib.key_uuid, t.vulnerability) not in confirmed:
                    # the product says so, and no project does: kept for the product's scope
                    kept.append(replace(lib, triage=(t,)))
        return kept

    def _project_tree(
        self,
        project: ProjectToken,
        product: ProductToken | None,
        product_name: str | None,
        vitals: parse.Vitals,
    ) -> tuple[Project, list[parse.TreeNode], Provenance]:
        """The project's dependency tree: the project, each node (the library's record
        and its occurrence here) and the answer's provenance."""
        scope_name = f"project {vitals.name}"
        params = {"projectToken": project, "includeInHouseData": True}
        response, ctx = self._answer(
            Ctx("getProjectHierarchy", product=product, project=project, scope_name=scope_name),
            params,
        )
        tree = fastparse.tree(ctx, _typed(response), self._tree_memo)
        nodes, edges = (
            tree if tree is not None else parse.parse_tree(ctx, response.json(), self._tree_memo)
        )
        project_rec = Project(
            token=project,
            name=vitals.name,
            product=product,
            product_name=product_name,
            creation_date=vitals.creation_date,
            last_updated=vitals.last_updated,
            plugin=vitals.plugin,
            edges=tuple(dict.fromkeys(edges)),
        )
        return project_rec, nodes, ctx.provenance

    def _inventory_answer(
        self, project: ProjectToken, product: ProductToken | None, vitals: parse.Vitals
    ) -> tuple[parse.Vitals | None, list[Library]]:
        ctx = Ctx(
            "getProjectInventory",
            product=product,
            project=project,
            scope_name=f"project {vitals.name}",
        )
        data, ctx = self._json(ctx, {"projectToken": project, "includeInHouseData": True})
        return parse.parse_inventory(ctx, data)

    def _inventory(
        self, project: ProjectToken, product: ProductToken | None, vitals: parse.Vitals
    ) -> list[Library]:
        return self._inventory_answer(project, product, vitals)[1]

    def _optional(self, ctx: Ctx, what: str, get: Callable[[Ctx], T]) -> T | None:
        """A request whose answer the fetch can do without (the project-level license texts
        and copyrights file, documented on the v1.4 pages only): when the server's version
        lacks it, or the server refuses it, a warning says what is missing and why."""
        try:
            return get(ctx)
        except (MendVersionError, MendApiError) as exc:
            log.warning("%s: %s is unavailable: %s", ctx.scope_name, what, exc.message)
            self._note(f"{ctx.scope_name}: {what} unavailable ({exc.message})")
            return None

    def _product_name(
        self, product: ProductToken, base: Mapping[str, Any], pending: str
    ) -> tuple[str, list[parse.Tagged]]:
        data, ctx = self._json(Ctx("getProductTags", product=product, scope_name=pending), base)
        ctx = replace(ctx, scope_name="product")
        tagged = parse.parse_tags(ctx, data, "productTags")
        if not tagged:
            raise ctx.fail("productTags", "is empty: the product token is unknown to Mend")
        return tagged[0].name or str(product), tagged

    def _license_texts(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        *,
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> list[LicenseText]:
        response, ctx = self._call(ctx, params, rename=rename)
        if response.is_json:  # an empty product answers with JSON, not a zip
            return []
        return parse.parse_license_zip(ctx, response.body)

    def _text_blocks(
        self,
        ctx: Ctx,
        params: Mapping[str, Any],
        *,
        rename: Callable[[Ctx], Ctx] | None = None,
    ) -> tuple[dict[str, str], Provenance]:
        response, ctx = self._call(ctx, params, rename=rename)
        if response.is_json:
            return {}, ctx.provenance
        blocks = parse.parse_library_blocks(ctx, response.body)
        if not blocks and response.body.strip():
            # the reference documents the headers of these files, not their layout
            log.warning(
                "%s (%s): %d bytes, but no 'Library: <file name>' block sbomgen can read; "
                "its content is not used",
                ctx.request_type,
                ctx.scope_name,
                len(response.body),
            )
            self._note(f"{ctx.request_type}: unreadable layout, content not used")
        return blocks, ctx.provenance


def _typed(response: MendResponse) -> fastparse.Answer | None:
    """The answer as fastparse reads it: decoded by the client already, or now (an answer
    from a snapshot or the cache); None when the client tried and had to decode it as
    JSON, or when fastparse does not read it."""
    if response.typed is not None:
        typed: fastparse.Answer = response.typed
        return typed
    if response.decoded is not None:
        return None
    return fastparse.decode(response.request_type, response.body)


def _names_no_projects(data: Mapping[str, Any]) -> bool:
    """Whether a get*Licenses answer leaves out which projects its libraries occur in."""
    items = data.get("libraries")
    return isinstance(items, list) and any(
        isinstance(item, dict) and not isinstance(item.get("projects"), list) for item in items
    )


Blocks = tuple[dict[str, str], Provenance] | dict[str, str]


def _any_blocks(blocks: Blocks) -> bool:
    return bool(blocks if isinstance(blocks, dict) else blocks[0])


def _attach_text_blocks(
    libraries: Iterable[Library], copyrights: Blocks, notices: Blocks
) -> list[Library]:
    """Attach copyright lines and notices from the text files, matched by file name."""
    libs = list(libraries)
    extra, _, _ = _text_sightings(
        ((lib.filename, lib.key_uuid) for lib in libs if lib.filename),
        copyrights,
        notices,
        warn=True,
    )
    return libs + extra


def _text_sightings(
    files: Iterable[tuple[str, KeyUuid]], copyrights: Blocks, notices: Blocks, *, warn: bool
) -> tuple[list[Library], Blocks, Blocks]:
    """The copyright lines and notices of the text files as sightings of the libraries
    whose file name they give (``files``: file name and library; the first library of a
    name counts); and the blocks naming no file there (with ``warn``, said to be out of
    scope and dropped)."""
    extra: list[Library] = []
    if not (_any_blocks(copyrights) or _any_blocks(notices)):
        return extra, copyrights, notices  # nothing to match (the usual end)
    by_file: dict[str, KeyUuid] = {}
    for filename, key in files:
        by_file.setdefault(filename, key)

    def add(blocks: Blocks, make: Callable[[KeyUuid, str, Provenance], Library]) -> Blocks:
        if isinstance(blocks, dict):
            return blocks
        mapping, prov = blocks
        left: dict[str, str] = {}
        for filename, text in mapping.items():
            key = by_file.get(filename)
            if key is not None:
                extra.append(make(key, text, prov))
            elif warn:
                log.warning(
                    "%s names library file %r, which is not in scope; ignored",
                    prov.request_type,
                    filename,
                )
            else:
                left[filename] = text
        return left, prov

    copyrights_left = add(
        copyrights,
        lambda key, text, prov: Library(
            key_uuid=key,
            copyrights=tuple(
                Copyright(text=line.strip()) for line in text.split("\n") if line.strip()
            ),
            provenance=(prov,),
        ),
    )
    notices_left = add(
        notices,
        lambda key, text, prov: Library(key_uuid=key, notices=(text,), provenance=(prov,)),
    )
    return extra, copyrights_left, notices_left


def check_nonempty(inventory: Inventory, what: str) -> Inventory:
    if not inventory.projects:
        raise InputDataError(f"{what}: the scope holds no project")
    return inventory
