"""Reading one stream of one module: lanes walking their id ranges, feeding a queue.

Each lane (``connector.sync.cursor.Lane``) is walked by keyset in a thread of its
own, so several list requests are in flight inside one module; each page, with
the records that are new in it and the position its lane may move to once they
are stored, goes into a bounded queue that one writer empties (``iter_batches``
yields what the lanes read, in the order it arrives). Reading and storing overlap,
and memory stays flat: a lane that gets ahead waits for the writer.

Related records a module needs (``RELATED_LINKS``: a document's accounts and
contacts) are read here too, before the page is queued: in the list request itself
through REST v4_1, or in one request per page (``related_ids``) through another
client; never inside a database transaction.

A lane stops at its next request when the consumer stops (an error, a stop asked
for); nothing here touches the database.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from connector.crm.client import CrmClient
from connector.crm.records import Query, Record
from connector.sync.cursor import Lane, Position, Walk, split
from connector.sync.normalise import parse_when, with_related


@dataclass(frozen=True)
class Batch:
    """What one page of one lane brought: the new records (deleted ones included, for
    the writer to remove), and where the lane's cursor moves once they are stored."""

    lane: Lane
    records: tuple[Record, ...]
    position: Position | None


@dataclass(frozen=True)
class _Failed:
    error: BaseException


@dataclass(frozen=True)
class _Finished:
    lane: Lane


@dataclass(frozen=True)
class Stream:
    """One stream of a module as the lanes read it."""

    module: str
    client: CrmClient
    include_deleted: bool = False
    links: tuple[str, ...] = ()
    # Reads the related ids when the list cannot (V8); the list client when None.
    related: CrmClient | None = None

    def fetch(self, walk: Walk) -> tuple[Record, ...]:
        query = Query(
            self.module,
            walk.conditions(),
            sort=walk.sort,
            include_deleted=self.include_deleted,
            links=self.links,
            compact=True,  # only what a touchpoint keeps (``normalise``)
        )
        return self.client.list_page(query, page_number=1, page_size=walk.size).records

    def dated(self, walk: Walk, record: Record) -> datetime | None:
        if walk.field == "date_modified":
            return record.date_modified
        return parse_when(record.get(walk.field))

    def enrich(self, records: Sequence[Record]) -> tuple[Record, ...]:
        """Records with ``<link>_related_id`` for the links the stream asks for."""
        if not self.links:
            return tuple(records)
        live = [r for r in records if not r.deleted]
        missing = [r.id for r in live if r.related is None]
        source = self.related or self.client
        found = source.related_ids(self.module, missing, self.links) if missing else {}
        return tuple(
            r
            if r.deleted
            else with_related(r, r.related if r.related is not None else found.get(r.id, {}))
            for r in records
        )


@dataclass(frozen=True)
class Split:
    """The walk over every id goes on as these lanes (their walks start where it stood)."""

    lanes: tuple[Lane, ...]


def iter_batches(
    stream: Stream, walks: Sequence[Walk], *, readers: int = 1
) -> Iterator[Batch | Split]:
    """Walk every lane at once (a thread each) and yield their pages as they come.

    A walk over every id that finds more than a page to read is split into
    ``readers`` lanes (``Split`` says when; a stream with nothing new costs one
    request). At most ``readers`` pages wait in the queue. An error in a lane is
    raised here once the others are stopped; closing the iterator stops them too
    (each finishes the request it is in)."""
    out: queue.Queue[Batch | Split | _Failed | _Finished] = queue.Queue(
        maxsize=max(readers, len(walks))
    )
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def walk_lane(walk: Walk) -> None:
        try:
            while not walk.done and not stop.is_set():
                page = stream.fetch(walk)
                walk, fresh, position = walk.advance([(r.id, stream.dated(walk, r)) for r in page])
                new = [r for r, keep in zip(page, fresh, strict=True) if keep]
                out.put(Batch(walk.lane, stream.enrich(new), position))
                if readers > 1 and walk.lane == Lane() and walk.instant is None and not walk.done:
                    parts = split(walk, readers)
                    out.put(Split(tuple(w.lane for w in parts)))
                    for part in parts:
                        launch(part)
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            out.put(_Failed(exc))
        finally:
            out.put(_Finished(walk.lane))

    def launch(walk: Walk) -> None:
        thread = threading.Thread(
            target=walk_lane,
            args=(walk,),
            name=f"pull-{stream.module}-{walk.lane.low}",
            daemon=True,
        )
        threads.append(thread)
        thread.start()

    running = 0
    for walk in walks:
        running += 1
        launch(walk)
    try:
        while running:
            item = out.get()
            if isinstance(item, _Finished):
                running -= 1
            elif isinstance(item, _Failed):
                raise item.error
            else:
                if isinstance(item, Split):
                    running += len(item.lanes)
                yield item
    finally:
        stop.set()
        while running:  # let blocked lanes put and end
            item = out.get()
            if isinstance(item, _Finished):
                running -= 1
            elif isinstance(item, Split):
                running += len(item.lanes)
        for thread in list(threads):
            thread.join()
