"""Bookable times: working hours, minus what is busy, as real (UTC) intervals.

Working hours are what a person writes on a wall calendar ("Monday 09:00-17:00, Malta
time"), but meetings happen at instants. So every range is turned into a real interval
of one local date, and slots are counted in real time from its start: on the night the
clocks spring forward a 00:00-06:00 range holds five real hours, on the night they fall
back seven, and a 09:00-17:00 Monday starts at 07:00Z in summer and 08:00Z in winter.

Two wall times need a rule, and the rule is the same everywhere in this module:

* A wall time that does not exist (02:30 on 2026-03-29 in Europe/Malta, inside the
  spring-forward gap) means the first real instant after the gap (01:00Z, 03:00 local):
  a range starting in the gap starts when the clocks resume, a range ending in it ends
  there too.
* A wall time that happens twice (02:30 on 2026-10-25 in Europe/Malta) is taken at its
  earlier occurrence for a range start and at its later one for a range end, so a range
  always means the longer, real interval a person who works "until 02:30" would work.

Day boundaries (``local_window``, ``by_day``) use a date's first midnight, which is
exactly how ``datetime.astimezone(tz).date()`` splits instants into dates, so windows of
consecutive dates tile with no gap or overlap.

Everything here is pure: no Firestore, no clock, no I/O. Instants go in aware, in any
offset, and come out in UTC; a naive datetime is refused (ValueError naming the
argument), because it would be a different instant on every machine.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

_DAY_MINUTES = 1440
_SECOND = timedelta(seconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MeetingType:
    """A kind of meeting a visitor can book ("Intro call", 30 minutes)."""

    id: str
    label: str
    minutes: int

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise ValueError(f"Meeting type {self.id!r} must last at least a minute.")


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open stretch of real time [start, end): aware datetimes, UTC when made here."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Rules:
    """When meetings may be booked: the booking settings, parsed.

    ``hours`` maps a weekday (0 = Monday .. 6 = Sunday) to its working ranges in minutes
    from local midnight, e.g. ``{0: ((540, 720), (780, 1020))}`` for 09:00-12:00 and
    13:00-17:00 on Mondays; an end of 1440 is the next midnight. A missing weekday is a day
    off. Bad settings are refused here, once, rather than producing odd slots later.
    """

    time_zone: ZoneInfo
    hours: Mapping[int, tuple[tuple[int, int], ...]]
    types: Mapping[str, MeetingType]
    step_minutes: int = 30
    buffer_minutes: int = 15
    min_notice_minutes: int = 240
    horizon_days: int = 60

    def __post_init__(self) -> None:
        for weekday, ranges in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"Weekday {weekday!r} is not 0 (Monday) .. 6 (Sunday).")
            for start, end in ranges:
                if not 0 <= start < end <= _DAY_MINUTES:
                    raise ValueError(
                        f"Working range ({start}, {end}) on weekday {weekday} must satisfy "
                        "0 <= start < end <= 1440 minutes."
                    )
        if self.step_minutes < 1:
            raise ValueError("step_minutes must be at least 1.")
        for name in ("buffer_minutes", "min_notice_minutes", "horizon_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative.")


class Refusal(StrEnum):
    """Why a start time cannot be booked, in the order ``check`` asks."""

    PAST = "past"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    OUTSIDE_HOURS = "outside_hours"
    BUSY = "busy"


# --- instants ---------------------------------------------------------------------------


def _utc(value: datetime, name: str) -> datetime:
    """``value`` in UTC; a naive datetime is refused by the name the caller knows it by."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}.")
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (got naive {value.isoformat()}); "
            "a naive time is a different instant on every machine."
        )
    return value.astimezone(UTC)


def _utc_interval(value: Interval, name: str) -> Interval:
    return Interval(_utc(value.start, f"{name}.start"), _utc(value.end, f"{name}.end"))


def _after_gap(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The instant the clocks resume after a gap that lies between ``before`` and ``after``.

    zoneinfo has no public list of transitions, so the switch is found by halving: the
    offset changes exactly once between the two readings of a non-existent wall time.
    Transitions fall on whole seconds, which bounds the search to a dozen steps.
    """
    offset_before = before.astimezone(tz).utcoffset()
    while after - before > _SECOND:
        middle = before + (after - before) // _SECOND // 2 * _SECOND
        if middle.astimezone(tz).utcoffset() == offset_before:
            before = middle
        else:
            after = middle
    return after


def _wall(day: date, minute: int, tz: ZoneInfo, *, latest: bool) -> datetime:
    """The real instant of ``minute`` minutes past local midnight of ``day`` (UTC).

    ``latest`` picks the later occurrence of a wall time that happens twice (a range end);
    otherwise the earlier (a range start). A wall time in a gap is the end of the gap.
    """
    days, minute = divmod(minute, _DAY_MINUTES)
    local = datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60))
    readings = [local.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
    real = [r for r in readings if r.astimezone(tz).replace(tzinfo=None) == local]
    if real:
        return max(real) if latest else min(real)
    return _after_gap(min(readings), max(readings), tz)


def _local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def _dates(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _working(rules: Rules, first: date, last: date) -> list[Interval]:
    """The real working intervals of the local dates first..last, in order of start."""
    tz = rules.time_zone
    intervals = []
    for day in _dates(first, last):
        for start, end in rules.hours.get(day.weekday(), ()):
            real = Interval(_wall(day, start, tz, latest=False), _wall(day, end, tz, latest=True))
            if real.start < real.end:  # a range wholly inside a gap never happens
                intervals.append(real)
    intervals.sort()
    return intervals


# --- busy time --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Busy:
    """Busy time merged into disjoint, sorted blocks, so one bisection answers "is any
    busy block within the buffer of this slot?" however many blocks there were."""

    starts: Sequence[datetime]
    ends: Sequence[datetime]
    buffer: timedelta

    @classmethod
    def of(cls, busy: Iterable[Interval], buffer_minutes: int) -> _Busy:
        blocks = sorted(
            block
            for index, raw in enumerate(busy)
            if (block := _utc_interval(raw, f"busy[{index}]")).start < block.end
        )
        starts: list[datetime] = []
        ends: list[datetime] = []
        for block in blocks:
            if ends and block.start <= ends[-1]:
                ends[-1] = max(ends[-1], block.end)
            else:
                starts.append(block.start)
                ends.append(block.end)
        return cls(starts, ends, timedelta(minutes=buffer_minutes))

    def blocks(self, start: datetime, end: datetime) -> bool:
        """Whether any busy block overlaps [start - buffer, end + buffer)."""
        index = bisect_right(self.ends, start - self.buffer)  # first block ending after it
        return index < len(self.starts) and self.starts[index] < end + self.buffer


# --- the public functions ---------------------------------------------------------------


def _bounds(rules: Rules, now: datetime, notice: bool) -> tuple[datetime, datetime]:
    """[earliest, latest) slot start allowed at ``now``: after now (after the minimum
    notice for visitors; staff may book anything not yet begun), before the horizon."""
    earliest = now + timedelta(minutes=rules.min_notice_minutes) if notice else now
    return earliest, now + timedelta(days=rules.horizon_days)


def open_slots(
    rules: Rules,
    meeting: MeetingType,
    window: Interval,
    busy: Iterable[Interval],
    now: datetime,
    *,
    notice: bool = True,
) -> list[Interval]:
    """Every bookable slot of ``meeting`` whose start lies in ``window``, in order (UTC).

    A slot starts at a working interval's real start or a whole number of ``step_minutes``
    of real time after it, and must end by the interval's end. It is open when it starts
    after ``now`` (and at least ``min_notice_minutes`` after it when ``notice``; staff pass
    ``notice=False``), before ``now + horizon_days``, and no busy interval overlaps it
    widened by ``buffer_minutes`` on both sides. Busy intervals may be in any order,
    overlap, lie outside the window, or be empty (ignored). The window may end before a
    slot does: a slot belongs to the day it starts on. Working ranges whose ends are
    skipped or repeated by a clock change follow the rule in the module docstring.
    """
    window = _utc_interval(window, "window")
    now = _utc(now, "now")
    earliest, horizon = _bounds(rules, now, notice)
    lower, upper = max(window.start, now, earliest), min(window.end, horizon)
    if lower >= upper:
        return []
    blocked = _Busy.of(busy, rules.buffer_minutes)
    step = timedelta(minutes=rules.step_minutes)
    length = timedelta(minutes=meeting.minutes)
    tz = rules.time_zone
    # One day either side: ranges ending at a midnight that happens twice belong partly
    # to the next local date.
    first = _local_date(lower, tz) - timedelta(days=1)
    last = _local_date(upper, tz) + timedelta(days=1)
    starts: set[datetime] = set()
    for working in _working(rules, first, last):
        skipped = max(0, -((working.start - lower) // step))  # ceil((lower - start) / step)
        start = working.start + skipped * step
        while start < upper and start + length <= working.end:
            # lower already honours the notice; only "not yet begun" needs the strict test.
            if start > now and not blocked.blocks(start, start + length):
                starts.add(start)
            start += step
    return [Interval(start, start + length) for start in sorted(starts)]


def check(
    rules: Rules,
    meeting: MeetingType,
    start: datetime,
    busy: Iterable[Interval],
    now: datetime,
    *,
    notice: bool = True,
) -> Refusal | None:
    """None when ``start`` is exactly an open slot of ``meeting``; otherwise the first
    reason it is not, in the order a visitor can act on: PAST, TOO_SOON, TOO_FAR,
    OUTSIDE_HOURS (no working range has a slot starting there), BUSY.

    The same rules as ``open_slots``, so any slot it offered passes here and nothing
    else does; only the local dates around ``start`` are computed.
    """
    start = _utc(start, "start")
    now = _utc(now, "now")
    earliest, horizon = _bounds(rules, now, notice)
    if start <= now:
        return Refusal.PAST
    if start < earliest:
        return Refusal.TOO_SOON
    if start >= horizon:
        return Refusal.TOO_FAR
    step = timedelta(minutes=rules.step_minutes)
    end = start + timedelta(minutes=meeting.minutes)
    day = _local_date(start, rules.time_zone)
    on_grid = any(
        working.start <= start
        and end <= working.end
        and (start - working.start) % step == timedelta(0)
        for working in _working(rules, day - timedelta(days=1), day + timedelta(days=1))
    )
    if not on_grid:
        return Refusal.OUTSIDE_HOURS
    # One slot needs one pass over busy time, not the sorting open_slots does.
    buffer = timedelta(minutes=rules.buffer_minutes)
    blocks = [_utc_interval(raw, f"busy[{index}]") for index, raw in enumerate(busy)]
    if any(b.start < b.end and b.start < end + buffer and b.end > start - buffer for b in blocks):
        return Refusal.BUSY
    return None


def local_window(first: date, last: date, tz: ZoneInfo) -> Interval:
    """The real time of the local dates first..last in ``tz``: [first 00:00, last+1 00:00)
    as UTC. It is what a visitor means by "show me the 24th to the 30th" in their zone,
    and it is 23 or 25 hours longer or shorter per clock change inside it."""
    if last < first:
        raise ValueError(f"last ({last}) is before first ({first}).")
    return Interval(
        _wall(first, 0, tz, latest=False),
        _wall(last + timedelta(days=1), 0, tz, latest=False),
    )


def by_day(
    slots: Iterable[Interval], tz: ZoneInfo, first: date, last: date
) -> list[tuple[date, list[Interval]]]:
    """Slots grouped by the date they start on in ``tz`` (the visitor's), for every date
    first..last, empty dates included, so a page can show "no times" rather than skip a
    day. The same slot can be on a different date for a visitor elsewhere. Slots
    starting outside those dates are left out."""
    if last < first:
        raise ValueError(f"last ({last}) is before first ({first}).")
    days: dict[date, list[Interval]] = {day: [] for day in _dates(first, last)}
    for index, slot in enumerate(slots):
        slot = _utc_interval(slot, f"slots[{index}]")
        bucket = days.get(_local_date(slot.start, tz))
        if bucket is not None:
            bucket.append(slot)
    return [(day, sorted(bucket)) for day, bucket in days.items()]


def subtract(busy: Iterable[Interval], own: Interval) -> list[Interval]:
    """Busy time minus ``own``, sorted: a booking being rescheduled must not block itself.

    Busy time is usually merged free/busy data, which cannot tell the booking from
    another event at the same moment, so anything else overlapping ``own`` is freed too;
    callers that know the other events one by one should drop the booking by id instead.
    """
    own = _utc_interval(own, "own")
    left: list[Interval] = []
    for index, raw in enumerate(busy):
        block = _utc_interval(raw, f"busy[{index}]")
        for piece in (
            Interval(block.start, min(block.end, own.start)),
            Interval(max(block.start, own.end), block.end),
        ):
            if piece.start < piece.end:
                left.append(piece)
    return sorted(left)


def lock_cells(
    start: datetime, end: datetime, buffer_minutes: int, cell_minutes: int = 5
) -> list[datetime]:
    """UTC starts of the ``cell_minutes`` cells (aligned to the epoch) covering
    [start, end + buffer): one lock document per cell makes two bookings that come within
    the buffer of each other collide in a transaction.

    Only the buffer after a booking is locked; the one before it is the previous
    booking's "after". When start, end and buffer are multiples of ``cell_minutes`` two
    bookings share a cell exactly when they are less than ``buffer_minutes`` apart;
    otherwise cells are rounded outwards, which can refuse a booking that just respects
    the buffer but never lets one through that does not.
    """
    start = _utc(start, "start")
    end = _utc(end, "end")
    if end <= start:
        raise ValueError(f"end ({end.isoformat()}) must be after start ({start.isoformat()}).")
    if buffer_minutes < 0:
        raise ValueError("buffer_minutes cannot be negative.")
    if cell_minutes < 1:
        raise ValueError("cell_minutes must be at least 1.")
    cell = timedelta(minutes=cell_minutes)
    first = (start - _EPOCH) // cell
    stop = -((_EPOCH - end - timedelta(minutes=buffer_minutes)) // cell)  # ceil
    return [_EPOCH + index * cell for index in range(first, stop)]
