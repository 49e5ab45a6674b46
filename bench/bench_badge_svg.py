"""What an uploaded SVG badge can cost (issue #14, item 11).

1. Before the bounds: a 10,000-segment path (86 KB, accepted then) drawn by CairoSVG
   in the web process: CPU seconds.
2. Now: the same file, and a 3 KB <use> bomb (10^10 shapes), refused by the sanitiser's
   cost check: CPU milliseconds.
3. Now: the costliest path the check lets through, drawn in the CPU-limited child
   process; and an ordinary badge (the child's start-up cost): wall seconds.

Run: `make bench` (or `.venv/bin/python bench/bench_badge_svg.py`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import report, setup_django


def main() -> None:
    setup_django("cities_bench_badge_svg")  # settings only: no query is made
    import cairosvg

    from tenant_apps.badges import images
    from tenant_apps.badges.svgsafe import MAX_PATH_NUMBERS, UnsafeSVGError, sanitize_svg
    from tests.tenant_apps.badges.test_images import HEAD, scribble, use_bomb

    figures: dict[str, object] = {}
    long_path = scribble(10_000)
    started = time.process_time()
    cairosvg.svg2png(bytestring=long_path, output_width=512, output_height=512, unsafe=False)
    figures["unbounded_10000_segment_path_cpu_s"] = round(time.process_time() - started, 2)

    for name, drawing in (("10000_segment_path", long_path), ("use_bomb", use_bomb())):
        started = time.process_time()
        try:
            sanitize_svg(drawing)
        except UnsafeSVGError:
            pass
        else:
            raise SystemExit(f"{name} was not refused")
        figures[f"refused_{name}_cpu_ms"] = round((time.process_time() - started) * 1000, 1)

    worst = sanitize_svg(scribble(MAX_PATH_NUMBERS // 2 - 1))
    started = time.monotonic()
    images.render_png_bounded(worst)
    figures["worst_accepted_path_bounded_render_wall_s"] = round(time.monotonic() - started, 2)
    ordinary = sanitize_svg(f'{HEAD}<circle cx="256" cy="256" r="200"/></svg>'.encode())
    started = time.monotonic()
    images.render_png_bounded(ordinary)
    figures["ordinary_badge_bounded_render_wall_s"] = round(time.monotonic() - started, 2)

    for key, value in figures.items():
        print(f"{key}: {value}")
    report("badge_svg", figures)


if __name__ == "__main__":
    main()
