"""Looking at pages as a person would: headless Chromium screenshots, element boxes, pixel colours.

`look(page, probes, tmp)` renders an HTML file twice at the same window size: once as it is
(the screenshot, a PNG) and once with a small script appended that measures elements (their
boxes, whether they are rendered at all) and writes the measurements into the DOM, read back
with `--dump-dom`. The page under test itself carries no script. `Look.pixels(points)` reads
colours out of the screenshot PNG: Chromium decodes it onto a canvas in a third page.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOT = shutil.which("dot")
IN_CI = bool(os.environ.get("CI"))
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not IN_CI, reason="needs Debian's chromium (.ci/run installs it)"
)
needs_dot = pytest.mark.skipif(DOT is None and not IN_CI, reason="needs graphviz's dot (.ci/run installs graphviz)")
WIDTH, HEIGHT = 1400, 2400

_PROBE = """<script>
(function () {
  var bottom = 0;
  Array.prototype.forEach.call(document.body.children, function (el) {
    bottom = Math.max(bottom, el.getBoundingClientRect().bottom);
  });
  var out = {viewport: [window.innerWidth, window.innerHeight], height: bottom};
  var probes = %s;
  Object.keys(probes).forEach(function (name) {
    out[name] = Array.prototype.map.call(document.querySelectorAll(probes[name]), function (el) {
      var r = el.getBoundingClientRect();
      var title = el.querySelector('title');
      return {left: r.left, top: r.top, width: r.width, height: r.height,
              rendered: el.getClientRects().length > 0 && r.width > 0 && r.height > 0,
              visible: el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}),
              title: title ? title.textContent : '', text: el.textContent.trim().slice(0, 300),
              open: el.hasAttribute('open')};
    });
  });
  document.documentElement.setAttribute('data-probe', JSON.stringify(out));
})();
</script>"""


def _flags(tmp: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--force-color-profile=srgb",
        f"--window-size={WIDTH},{HEIGHT}",
        f"--user-data-dir={tmp / 'chromium-profile'}",
    ]


@dataclass(frozen=True)
class Box:
    """An element's box in CSS pixels (= screenshot pixels at scale factor 1)."""

    left: float
    top: float
    width: float
    height: float
    rendered: bool  # has a layout box (a closed <details> still lays its content out, unpainted)
    visible: bool  # would be painted: not inside a closed <details>, display: none or hidden
    title: str  # an SVG group's <title> (dot writes the node's name there)
    text: str
    open: bool

    @property
    def middle(self) -> tuple[int, int]:
        return int(self.left + self.width / 2), int(self.top + self.height / 2)

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.top >= other.top
            and self.left + self.width <= other.left + other.width
            and self.top + self.height <= other.top + other.height
        )


_READER = """<!DOCTYPE html><html><body><img id="shot" src="data:image/png;base64,%s"><script>
(function () {
  var img = document.getElementById('shot');
  function read() {
    var canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    var g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    var pixels = %s.map(function (p) {
      return Array.prototype.slice.call(g.getImageData(p[0], p[1], 1, 1).data, 0, 3);
    });
    var found = {size: [canvas.width, canvas.height], pixels: pixels};
    document.documentElement.setAttribute('data-pixels', JSON.stringify(found));
  }
  if (img.complete) { read(); } else { img.onload = read; }
})();
</script></body></html>"""


@dataclass(frozen=True)
class Look:
    """What a person sees: the screenshot, the measured boxes per probe, the DOM as rendered."""

    shot: Path
    boxes: dict[str, list[Box]]
    viewport: tuple[int, int]
    height: int  # where the page's last element ends
    dom: str
    tmp: Path

    def pixels(self, points: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """The screenshot's RGB colour at each (x, y)."""
        reader = self.tmp / f"{self.shot.stem}.pixels.html"
        encoded = base64.b64encode(self.shot.read_bytes()).decode("ascii")
        reader.write_text(_READER % (encoded, json.dumps([list(p) for p in points])), encoding="utf-8")
        dom = _run([*_flags(self.tmp), "--dump-dom", reader.as_uri()]).stdout
        match = re.search(r'data-pixels="([^"]*)"', dom)
        assert match, "the pixel reader did not run"
        found = json.loads(html.unescape(match.group(1)))
        assert found["size"][0] == self.viewport[0], (found["size"], self.viewport)  # screenshot = viewport, 1:1
        return [tuple(p) for p in found["pixels"]]

    def shows(self, points: list[tuple[int, int]], colour: str, tolerance: int = 10) -> bool:
        """True if any of `points` shows `colour` (a border may be dashed, a letter may cover a point)."""
        want = rgb(colour)
        return any(near(p, want, tolerance) for p in self.pixels(points))


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "chromium is not installed (.ci/run installs it)"
    return subprocess.run([CHROMIUM, *args], capture_output=True, text=True, timeout=120, check=True)


def look(page: Path, probes: dict[str, str], tmp: Path) -> Look:
    """Screenshot `page` and measure the elements each CSS selector in `probes` matches."""
    shot = tmp / f"{page.stem}.png"
    _run([*_flags(tmp), f"--screenshot={shot}", page.as_uri()])
    probed = page.with_name(page.stem + ".probe.html")
    text = page.read_text(encoding="utf-8")
    script = _PROBE % json.dumps(probes)
    probed.write_text(text.replace("</body>", script + "</body>") if "</body>" in text else text + script)
    dom = _run([*_flags(tmp), "--dump-dom", probed.as_uri()]).stdout
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match, "the probe script did not run"
    found = json.loads(html.unescape(match.group(1)))
    boxes = {name: [Box(**b) for b in found[name]] for name in probes}
    viewport = (int(found["viewport"][0]), int(found["viewport"][1]))
    return Look(shot, boxes, viewport, int(found["height"]), dom, tmp)


def svg_page(svg: str, path: Path) -> Path:
    """An HTML page showing an SVG (as dot writes it) inline, at its natural size."""
    body = svg[svg.index("<svg") :]
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{{margin:0;background:#fff}}</style></head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """`#rrggbb` → (r, g, b)."""
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 10) -> bool:
    """True if two colours differ by at most `tolerance` in every channel."""
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))
