"""Render ClientCare's icon (resources/icons/clientcare.svg) to the files the packages
need: PNGs of the hicolor sizes (the .deb, the window's icon), an .ico for Windows
(PyInstaller, Inno Setup) and an .icns for the macOS bundle. The outputs are committed;
run again after changing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "clientcare.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"make_icons: cannot write {path}: {writer.errorString()}")


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SVG} is not a valid SVG")
    out = ROOT / "resources" / "icons"
    for size in SIZES:
        write(render(renderer, size), out / f"clientcare-{size}.png", "png")
    packaging = ROOT / "packaging" / "icons"
    packaging.mkdir(exist_ok=True)
    write(render(renderer, 256), packaging / "clientcare.ico", "ico")
    write(render(renderer, 512), packaging / "clientcare.icns", "icns")
    print(f"icons written to {out} and {packaging}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
