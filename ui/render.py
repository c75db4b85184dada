"""Terminal rendering shared by the commands: sources, JSON, progress bars."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def section_label(section: int | None) -> str:
    """`Question 4` for a numbered question, `Hors questions` for the rest of the FAQ (footer, intro)."""
    return f"Question {section}" if section is not None else "Hors questions"


def source_block(n: int, section: int | None, title: str, text: str, *, score: float | None = None,
                 width: int = 100) -> str:
    """A numbered source as printed in the terminal: label, title, score, then the indented passage."""
    head = f"[{n}] {section_label(section)} — {title}"
    if score is not None:
        head += f"  (score {score:.2f})"
    body = "\n".join(
        textwrap.fill(line, width=width, initial_indent="    ", subsequent_indent="      " if line.startswith("- ")
                      else "    ")
        for line in text.splitlines() if line.strip()
    )
    return f"{head}\n{body}"


def print_json(obj: object) -> None:
    """Print one JSON object on stdout, UTF-8, accents kept."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@contextmanager
def progress_bar(label: str, unit: str = "it") -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on stderr driven by `update(done, total)` callbacks."""
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, leave=True, dynamic_ncols=True)
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
