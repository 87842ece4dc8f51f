"""The exports' reads: whole collections a page at a time, every page at one instant.

An export of a small business's customers (GET /export) may hold thousands of
customers and, for the timeline, tens of thousands of entries. Memory must not grow
with that: each query here is read in pages (PAGE_SIZE customers, TIMELINE_PAGE
entries), each page fetched whole (so no query stays open while a slow client
downloads) and let go before the next.

Every page is read at one read time (Firestore's ``read_time``): the first page's, or
the one the caller pins. A customer added, changed or merged during a long download is
then neither half in the file nor in it twice. Firestore serves such reads for an hour.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from hearth.rules.roles import Principal, Role
from hearth.store import timeline
from hearth.store.customers import COLLECTION

PAGE_SIZE = 500
# A timeline is read in smaller pages: most hold a few dozen entries, and an e-mail
# entry may carry a whole HTML body. AHEAD timelines are read ahead at a time.
TIMELINE_PAGE = 100
AHEAD = 8

# The marketing-consent filter: "given" is a yes on record; "not-given" a no or no answer.
CONSENT = {"given": [True], "not-given": [False, None]}


def customers_of(client: Any, principal: Principal, consent: str | None = None) -> Any:
    """The customers this user may export, in document-id order (the pages' cursor).

    ``consent`` is a key of CONSENT, already checked by the caller."""
    from google.cloud.firestore_v1.base_query import FieldFilter, Or
    from google.cloud.firestore_v1.field_path import FieldPath

    query = client.collection(COLLECTION)
    if principal.role is not Role.OWNER:
        # The same constraint firestore.rules demand of a rep's queries.
        query = query.where(filter=FieldFilter("ownerUid", "==", principal.uid))
    if consent is not None:
        # Firestore's "in" never matches null, so "no answer" is an OR of equalities.
        either = [FieldFilter("consent.marketing", "==", value) for value in CONSENT[consent]]
        query = query.where(filter=either[0] if len(either) == 1 else Or(either))
    return query.order_by(FieldPath.document_id())


def timeline_in_order(client: Any, customer_key: str) -> Any:
    """One customer's timeline, oldest first (ties by entry id, so pages never overlap).

    Every writer gives an entry its ``at`` (hearth.store.timeline); Firestore leaves a
    document without the ordered field out of such a query."""
    return timeline.entries(client, customer_key).order_by("at")


def timelines(
    client: Any, customers: Iterable[Any], read_time: datetime | None, call: Mapping[str, Any]
) -> Iterator[tuple[Any, Iterator[Any]]]:
    """Each customer (in the order given) with its timeline's entries, oldest first, at
    ``read_time``; each iterator must be used up before the next pair is asked for.

    A timeline is its own query, so one customer after another would wait a round trip
    each: thousands of customers would outlast the function's timeout. The first page
    of the next AHEAD customers' timelines is read meanwhile, on a few threads; memory
    stays bounded by AHEAD pages of TIMELINE_PAGE entries. Closing the iterator (a
    client gone mid-download) cancels what was not read yet.
    """
    pool = ThreadPoolExecutor(max_workers=AHEAD, thread_name_prefix="export-timeline")
    waiting: deque[tuple[Any, Future[list[Any]]]] = deque()

    def ready() -> tuple[Any, Iterator[Any]]:
        customer, first = waiting.popleft()
        query = timeline_in_order(client, customer.id)
        return customer, documents(query, read_time, call, TIMELINE_PAGE, first.result())

    try:
        for customer in customers:
            query = timeline_in_order(client, customer.id)
            waiting.append((customer, pool.submit(page, query, read_time, call, TIMELINE_PAGE)))
            if len(waiting) > AHEAD:
                yield ready()
        while waiting:
            yield ready()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def page(
    query: Any,
    read_time: datetime | None,
    call: Mapping[str, Any],
    size: int = PAGE_SIZE,
    after: Any = None,
) -> list[Any]:
    """One page of the query's documents, after the cursor document if there is one."""
    page_query = (query.start_after(after) if after is not None else query).limit(size)
    return list(page_query.get(read_time=read_time, **call))


def documents(
    query: Any,
    read_time: datetime | None,
    call: Mapping[str, Any],
    size: int = PAGE_SIZE,
    first: list[Any] | None = None,
) -> Iterator[Any]:
    """The query's documents, fetched a page at a time, every page at one read time
    (``first``: the first page, when it was read already).

    Without a read time the first page is read at "now", and its read time is used for
    the rest; so a page boundary never skips or repeats a document that moved meanwhile.
    Only one page is held at a time: it is let go before the next is fetched.
    """
    current = first if first is not None else page(query, read_time, call, size)
    while current:
        read_time = read_time or read_time_of(current[0])
        cursor = current[-1]
        last_page = len(current) < size
        yield from current
        current = []  # let go of this page before the next is fetched
        if not last_page:
            current = page(query, read_time, call, size, cursor)


def read_time_of(document: Any) -> datetime:
    """The instant a document was read, as Firestore accepts it back for ``read_time``:
    microsecond precision, not the nanoseconds it hands out."""
    moment = document.read_time.astimezone(UTC)
    return datetime(*moment.timetuple()[:6], moment.microsecond, tzinfo=UTC)
