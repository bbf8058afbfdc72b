"""The progress line: drawn on a terminal only, redrawn at most ten times a second."""

from __future__ import annotations

import io

from connector.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress("Calls", 10, stream)
    progress.advance(4)
    progress.done()
    assert stream.getvalue() == ""
    assert progress.count == 4


def test_a_terminal_sees_one_line_redrawn_in_place_with_the_share_done() -> None:
    now = [0.0]
    stream = Terminal()
    progress = Progress("classify", 200, stream, clock=lambda: now[0])
    progress.advance(50)  # first draw
    progress.advance(50)  # too soon: no redraw
    now[0] = 0.5
    progress.advance(50)
    progress.done()
    progress.done()  # once only
    frames = stream.getvalue().split("\r")[1:]
    assert [f.split()[1] for f in frames] == ["50", "150", "150"]
    assert frames[-1].rstrip().endswith("75%")
    assert stream.getvalue().endswith("\n") and stream.getvalue().count("\n") == 1


def test_an_unknown_total_shows_the_count_and_a_shorter_line_wipes_a_longer_one() -> None:
    stream = Terminal()
    progress = Progress("push", None, stream, unit="journeys", clock=lambda: 0.0)
    progress.advance(12_345)
    progress.label = "p"
    progress.done()
    first, last = stream.getvalue().split("\r")[1:]
    assert "12,345 journeys" in first and "%" not in first
    assert len(last.rstrip("\n")) >= len(first)
