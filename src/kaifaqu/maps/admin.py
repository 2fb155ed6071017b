from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.maps.actions import load_boundaries
from kaifaqu.maps.geojson import BoundaryFileError, read_outlines
from kaifaqu.maps.models import Boundary


class UploadForm(forms.Form):
    file = forms.FileField(
        label="GeoJSON 文件",
        help_text="FeatureCollection;每个要素的属性 code(或 adcode)为6位行政区划代码,"
        "几何为 Polygon 或 MultiPolygon。文件有任何错误则一条也不加载。",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > settings.KAIFAQU_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {settings.KAIFAQU_UPLOAD_MAX_MB} MB 上限")
        try:
            text: str = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("文件不是 UTF-8 编码的文本文件") from None
        return text


@admin.register(Boundary)
class BoundaryAdmin(AuditedModelAdmin):
    list_display = ("region", "source", "updated")
    search_fields = ("region__code", "region__name")
    autocomplete_fields = ("region",)
    change_list_template = "maps/admin/boundary_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="maps_boundary_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Load a GeoJSON file of outlines: the same reading and action as the command."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied("您无权加载行政区划边界(须为系统管理员)")
        form = UploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = request.FILES.get("file")
            name = str(upload.name) if upload is not None else ""
            try:
                outlines = read_outlines(form.cleaned_data["file"])
            except BoundaryFileError as error:
                problems = error.problems
            else:
                counts = load_boundaries(outlines, source=name, acting_user=request.user)
                messages.success(
                    request,
                    f"已加载 {name}:新增 {counts['added']} 个边界,替换 {counts['replaced']} 个",
                )
                return redirect("admin:maps_boundary_changelist")
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "从 GeoJSON 文件加载行政区划边界",
            "form": form,
            "problems": problems,
        }
        return render(request, "maps/admin/upload.html", context)
