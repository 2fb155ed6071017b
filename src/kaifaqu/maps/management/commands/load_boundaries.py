"""``kaifaqu load-boundaries FILE.geojson``: load division outlines for the maps."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kaifaqu.audit.context import write_context
from kaifaqu.core.cli import acting_user_from, add_as_argument
from kaifaqu.maps.actions import load_boundaries
from kaifaqu.maps.geojson import BoundaryFileError, read_outlines


class Command(BaseCommand):
    help = (
        "从 GeoJSON 文件加载行政区划边界(FeatureCollection;每个要素的属性 code 或 adcode"
        "为6位行政区划代码,几何为 Polygon 或 MultiPolygon)。文件有任何错误则一条也不加载。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="GeoJSON 文件")
        add_as_argument(parser)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"无法读取 {file}:{error.strerror}", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} 不是 UTF-8 编码的文本文件", returncode=2) from None
        try:
            outlines = read_outlines(text)
        except BoundaryFileError as error:
            raise CommandError(f"{file.name} 未加载:\n" + "\n".join(error.problems)) from None
        user = acting_user_from(options)
        try:
            with write_context(channel="cli"):
                counts = load_boundaries(outlines, source=file.name, acting_user=user)
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"已加载 {file.name}:新增 {counts['added']} 个边界,替换 {counts['replaced']} 个"
        )
