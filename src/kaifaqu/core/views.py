"""Generic views every domain app declares its pages with (NetBox's pattern, kept small)."""

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.views import View
from django_htmx.middleware import HtmxDetails
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from kaifaqu.core.exports import FORMATS, export_response
from kaifaqu.core.pagination import PAGE_SIZE, PAGING_PARAMS, Ordering, keyset_page, page_of
from kaifaqu.core.policy import access_policy
from kaifaqu.core.scoped import restricted

if TYPE_CHECKING:
    # Only the type: importing ``access`` would make the framework depend on what builds on it.
    from kaifaqu.access.users import ActingUser

EXPORT_CHUNK = 2000  # rows read from the database at a time while a list is exported


class BusinessView(View):
    """A page of business data: only users whose business role allows ``required_action`` (not
    the three administrators alone) may open it; anyone else gets 403, recorded as a security
    event. Which objects they reach is then up to ``restrict()``.

    ``check_permission`` is the hook: a page for someone else (an administrator's console on the
    generic list) overrides it, raising ``PermissionDenied`` for whoever may not open it."""

    required_action: ClassVar[str] = "view"

    def check_permission(self, request: HttpRequest) -> None:
        if not access_policy().has_business_role(request.user, self.required_action):
            raise PermissionDenied("您的角色无权执行此操作")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check_permission(request)
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(BusinessView):
    """A filtered, sortable, keyset-paged table with numbered pages, exportable as it is filtered.

    Declare on the subclass:

    - ``queryset``: the objects, before scope (``restrict(user, "view")`` is applied here);
    - ``filterset_class``: the filters (their form is the filter bar, read from ``request.GET``);
    - ``table_class``: the django-tables2 table. It also declares

      * **sorting**: a column whose ``orderable`` is true (``Column(orderable=True)``, or the
        table's ``Meta.orderable``) is sortable by its header, on the model field path it reads
        (its ``order_by=`` if given, else its accessor; one field, sorted NULLs last). Only those
        columns can be sorted (``?sort=name`` / ``?sort=-name``); any other value of ``sort`` is
        ignored. ``default_sort`` names the order before the user picks one ("" is the pk).
      * **export columns** when no ``export_kind`` is set: every column of the table, with its
        header, in the table's order, minus those declared ``Column(exclude_from_export=True)``;
        a column only for the file is ``Column(visible=False)``. A cell's value is the column's
        ``value_<name>()`` if the table has one, else what it renders, without HTML.
    - ``export_kind``: the intake kind the list exports as instead (the import layout, so the file
      re-imports unchanged; a long list is written by the ``list_export`` job);
    - ``export_view``: or the URL name of a view of the app that writes the list in a layout of
      its own (reversed with this view's URL arguments, given the same query string);
    - ``find_label``: a list that can go to one row's page (a zone in a long ranking) names its
      box; ``find_row`` then picks the row a text names (``?find=``), the page opens at it, and
      the table marks the row with ``id="row-<pk>"``;
    - ``title``, and optionally ``template_name``, ``results_template_name``, ``page_size``,
      ``exportable`` (False: no export links), ``context_object_name`` (the page's rows under
      that name too).

    Hooks: ``get_queryset`` (a narrower base), ``get_filterset``, ``get_table_kwargs`` (such as
    ``exclude`` for columns a user may not use), ``get_extra_context``, ``get_title``.

    ``?export=csv`` streams the filtered list as CSV, ``?export=xlsx`` writes it with the
    constant-memory writer to a temporary file first; both read the same filters, scope and
    sort as the page, and every row of them (a list with an ``export_kind`` links to the intake
    export instead). An htmx request gets only the results fragment.
    """

    queryset: ClassVar[QuerySet[Any]]
    filterset_class: ClassVar[type[django_filters.FilterSet]]
    table_class: ClassVar[type[tables.Table]]
    export_kind: ClassVar[str | None] = None  # the intake kind this list exports as
    export_view: ClassVar[str | None] = None  # or the URL name of the app's own export
    exportable: ClassVar[bool] = True
    default_sort: ClassVar[str] = ""
    page_size: ClassVar[int] = PAGE_SIZE
    context_object_name: ClassVar[str | None] = None
    find_label: ClassVar[str] = ""
    template_name: ClassVar[str] = "core/object_list.html"
    results_template_name: ClassVar[str] = "core/includes/list_results.html"
    title: ClassVar[str]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """The objects the list shows before its filters: the user's scope of ``queryset``."""
        return restricted(self.queryset, request.user, "view")

    def get_filterset(self, request: HttpRequest) -> django_filters.FilterSet:
        return self.filterset_class(
            request.GET, queryset=self.get_queryset(request), request=request
        )

    def get_table_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_title(self) -> str:
        return self.title

    def find_row(self, ordered: QuerySet[Any], text: str) -> Any | None:
        """The row of the list (``ordered`` as it shows) that ``text`` names, for a list with a
        ``find_label``; None if none does."""
        return None

    def filtered_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """What the list shows (before sort and paging): its scope with the request's filters,
        nothing when a filter is invalid. An export of the list in a layout of its own reads
        this, so the page and the file never filter differently."""
        return self._filtered(self.get_filterset(request))

    def _filtered(self, filterset: django_filters.FilterSet) -> QuerySet[Any]:
        return filterset.qs if filterset.is_valid() else filterset.qs.none()

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        filterset = self.get_filterset(request)
        queryset = self._filtered(filterset)
        controls = ListControls(request.GET)
        controls.is_valid()  # a bad value of either is left out of cleaned_data: ignored
        sort = self._sort(controls.cleaned_data.get("sort", ""))
        ordering = Ordering.by(queryset.model, *sort_path(self.table_class, sort))
        export = controls.cleaned_data.get("export", "")
        if self.exportable and not (self.export_kind or self.export_view) and export:
            headers, rows = table_export(
                self.table_class, ordering.apply(queryset), **self.get_table_kwargs(request)
            )
            return export_response(export, self.get_title(), headers, rows)
        filters = _params_without(request, (*PAGING_PARAMS, "export", "find"))
        if self.find_label and (find := controls.cleaned_data.get("find", "")):
            row = self.find_row(ordering.apply(queryset), find)
            if row is not None:
                query = page_of(queryset, row, ordering, self.page_size, filters)
                return redirect(f"{request.path}?{query}#row-{row.pk}")
            messages.info(request, f"当前列表中没有找到「{find}」")
        page = keyset_page(queryset, request.GET, ordering, self.page_size, filters)
        table = self.table_class(
            KeysetRows(page.rows), order_by=sort or None, **self.get_table_kwargs(request)
        )
        table.sort_query = _params_without(request, (*PAGING_PARAMS, "export", "sort"))
        context = {
            "title": self.get_title(),
            "filterset": filterset,
            "table": table,
            "page": page,
            "count": page.count,
            "query": filters,
            "results_template_name": self.results_template_name,
            **({self.context_object_name: page.rows} if self.context_object_name else {}),
            "export_kind": self.export_kind,
            "export_url": reverse(self.export_view, kwargs=kwargs) if self.export_view else None,
            "exportable": self.exportable,
            "find_label": self.find_label,
            "find_keep": [
                (name, value)
                for name, value in request.GET.items()
                if name not in (*PAGING_PARAMS, "export", "find")
            ],
            **self.get_extra_context(request),
        }
        template = self.results_template_name if is_htmx(request) else self.template_name
        return render(request, template, context)

    def _sort(self, requested: str) -> str:
        """``requested`` if it names a sortable column (``-`` first for descending), else the
        list's default."""
        sortable = sort_fields(self.table_class)  # type: ignore[arg-type]  # untyped library
        if requested.removeprefix("-") in sortable:
            return requested
        return self.default_sort


class ListControls(forms.Form):
    """What a list is asked for besides its filters: its sort and an export format."""

    sort = forms.CharField(required=False, max_length=100)
    find = forms.CharField(required=False, max_length=100)
    export = forms.ChoiceField(required=False, choices=[(f, f) for f in FORMATS])


class ObjectChildrenListView(ObjectListView):
    """A list nested under one parent object (the results of one run, the rows of one batch):
    the URL's ``pk`` names the parent, found in the user's scope (else 404), and the list holds
    the objects whose ``parent_field`` is that parent. The template gets it as ``object``.

    Declare ``parent_queryset`` and ``parent_field`` beside the list's own attributes.
    """

    parent_queryset: ClassVar[QuerySet[Any]]
    parent_field: ClassVar[str]
    parent_action: ClassVar[str] = "view"

    def get_parent(self, request: HttpRequest) -> Any:
        parents = restricted(self.parent_queryset, request.user, self.parent_action)
        return get_object_or_404(parents, pk=self.kwargs["pk"])

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        self.parent = self.get_parent(request)
        return super().get_queryset(request).filter(**{self.parent_field: self.parent})

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"object": self.parent}


class KeysetRows(TableListData):  # type: ignore[misc]  # django-tables2 is untyped
    """The rows of a page (or of an export), already in the list's order: the table must not
    sort them again in Python."""

    def order_by(self, aliases: Any) -> None:
        return None


@cache
def sort_fields(table_class: type[tables.Table]) -> dict[str, str]:
    """The sortable columns of ``table_class`` and the model field path each sorts on."""
    fields = {}
    for column in table_class([]).columns:
        if column.orderable:
            keys = list(column.order_by)
            if len(keys) != 1:
                raise ImproperlyConfigured(
                    f"{table_class.__name__}.{column.name}: 须按一个字段排序"
                )
            fields[column.name] = OrderBy(keys[0]).bare.replace(".", "__")
    return fields


def sort_path(table_class: type[tables.Table], sort: str) -> tuple[str | None, bool]:
    """The field path and direction of ``sort`` (a sortable column, ``-`` for descending)."""
    if not sort:
        return None, False
    fields = sort_fields(table_class)  # type: ignore[arg-type]  # untyped library
    return fields[sort.removeprefix("-")], sort.startswith("-")


def table_export(
    table_class: type[tables.Table], queryset: QuerySet[Any], **table_kwargs: Any
) -> tuple[list[str], Iterator[list[Any]]]:
    """The export headers of ``table_class`` and the rows of ``queryset`` under them, read in
    chunks (see ``ObjectListView`` for which columns); ``table_kwargs`` as the page passes them."""
    table = table_class(KeysetRows(queryset.iterator(chunk_size=EXPORT_CHUNK)), **table_kwargs)
    values = table.as_values()
    headers = [str(header) for header in next(values)]
    return headers, (
        [strip_tags(str(value)) if isinstance(value, SafeData) else value for value in row]
        for row in values
    )


class ObjectDetailView(BusinessView):
    """One object; outside the user's scope it does not exist (404)."""

    queryset: ClassVar[QuerySet[Any]]
    template_name: ClassVar[str]

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance: Model = get_object_or_404(restricted(self.queryset, request.user, "view"), pk=pk)
        context = {"object": instance, **self.get_extra_context(request, instance)}
        return render(request, self.template_name, context)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx made the request (django-htmx's middleware sets ``request.htmx``)."""
    details: HtmxDetails | None = getattr(request, "htmx", None)
    return bool(details)


def _params_without(request: HttpRequest, names: Iterable[str]) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class ObjectFormView(BusinessView):
    """Shared by the create and edit views: a form validates the input; on success the app's
    ``action`` — ``action(form, *, acting_user)`` returning the saved object — writes it, after
    re-checking scope and writing the change log (views never write). A ``ValidationError`` the
    action raises shows on the form like the form's own errors."""

    required_action: ClassVar[str] = "change"
    form_class: ClassVar[type[forms.BaseForm]]
    action: ClassVar[Callable[..., Any]]
    template_name: ClassVar[str] = "core/object_edit.html"
    title: ClassVar[str]

    def get_success_url(self, saved: Any) -> str:
        return str(saved.get_absolute_url())

    def render_form(
        self, request: HttpRequest, form: forms.BaseForm, instance: Any
    ) -> HttpResponse:
        context = {"form": form, "object": instance, "title": self.title}
        return render(request, self.template_name, context)

    def save(self, request: HttpRequest, form: forms.BaseForm, instance: Any) -> HttpResponse:
        if form.is_valid():
            try:
                saved = type(self).action(form, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "已保存")
                return redirect(self.get_success_url(saved))
        return self.render_form(request, form, instance)


class ObjectCreateView(ObjectFormView):
    """A new object: ``form_class`` with no instance, saved by ``action``."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, self.form_class(), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.save(request, self.form_class(request.POST, request.FILES), None)


class ObjectEditView(ObjectFormView):
    """An object of ``queryset`` the user may change (else 404, also for GET), edited with the
    model form ``form_class`` and saved by ``action``."""

    queryset: ClassVar[QuerySet[Any]]
    form_class: ClassVar[type[forms.ModelForm[Any]]]

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        return get_object_or_404(restricted(self.queryset, request.user, "change"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        return self.render_form(request, self.form_class(instance=instance), instance)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        form = self.form_class(request.POST, instance=instance)
        return self.save(request, form, instance)


class ObjectTransitionView(BusinessView):
    """One step in an object's life (派单, 签收, 发布 …), posted from a button or a small form on
    the object's page: the object is found in the user's ``object_action`` scope of ``queryset``
    (else 404), ``form_class`` (if any) reads the POST, and ``perform`` calls the app's action,
    which decides. Then back to the object with ``success_message`` (``done``; "" for none).

    An invalid form is told as an error message (``form_errors``: each field's label and
    messages) and the action is not called; a refusal the action raises (one of ``refusals``) is
    told as an error message and changes nothing (the action is one transaction). A refusal not
    listed in ``refusals`` is not caught: a ``PermissionDenied`` outside it is a 403.

    Declare ``queryset``, ``form_class``, ``perform`` and ``done``; an app's transitions share an
    intermediate class that declares its ``refusals`` and how its messages name the object.
    Hooks: ``get_form_kwargs``, ``get_return_url`` (where a failure goes back to) and
    ``get_success_url`` (from the object and what ``perform`` returned), ``form_invalid`` and
    ``refused`` (a form page of its own re-shows the form instead).
    """

    required_action: ClassVar[str] = "change"
    queryset: ClassVar[QuerySet[Any]]
    object_action: ClassVar[str] = "view"
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    refusals: ClassVar[tuple[type[Exception], ...]] = (ValidationError,)
    done: ClassVar[str] = ""

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        return get_object_or_404(restricted(self.queryset, request.user, self.object_action), pk=pk)

    def get_form_kwargs(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {}

    def get_form(self, request: HttpRequest, instance: Any) -> forms.BaseForm | None:
        if self.form_class is None:
            return None
        kwargs = self.get_form_kwargs(request, instance)
        return self.form_class(request.POST, request.FILES, **kwargs)

    def perform(self, instance: Any, data: dict[str, Any], user: "ActingUser") -> Any:
        """Call the action with the form's ``cleaned_data`` (empty without a form)."""
        raise NotImplementedError

    def form_errors(self, form: forms.BaseForm) -> str:
        return ";".join(
            f"{form.fields[name].label if name in form.fields else ''}:"
            + " ".join(str(message) for message in errors)
            for name, errors in form.errors.items()
        )

    def success_message(self, instance: Any, result: Any) -> str:
        return self.done

    def get_return_url(self, instance: Any) -> Any:
        """Where the view goes after a failure: anything ``redirect`` takes."""
        return instance

    def get_success_url(self, instance: Any, result: Any) -> Any:
        return self.get_return_url(instance)

    def form_invalid(
        self, request: HttpRequest, instance: Any, form: forms.BaseForm
    ) -> HttpResponse:
        if text := self.form_errors(form):
            messages.error(request, text)
        return redirect(self.get_return_url(instance))

    def refused(
        self, request: HttpRequest, instance: Any, form: forms.BaseForm | None, refusal: Exception
    ) -> HttpResponse:
        messages.error(request, refusal_text(refusal))
        return redirect(self.get_return_url(instance))

    def post(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        """``kwargs``: the URL's other arguments (a step's name), read from ``self.kwargs``."""
        instance = self.get_object(request, pk)
        form = self.get_form(request, instance)
        if form is not None and not form.is_valid():
            return self.form_invalid(request, instance, form)
        data = form.cleaned_data if form is not None else {}
        try:
            result = self.perform(instance, data, request.user)
        except self.refusals as refusal:
            return self.refused(request, instance, form, refusal)
        if text := self.success_message(instance, result):
            messages.success(request, text)
        return redirect(self.get_success_url(instance, result))


def refusal_text(refusal: Exception) -> str:
    """What a user is told of an action's refusal: a ``ValidationError``'s messages (its ``str``
    is a Python list), else the exception's text."""
    if isinstance(refusal, ValidationError):
        return ";".join(refusal.messages)
    return str(refusal)


class ObjectDeleteView(BusinessView):
    """GET asks for confirmation, POST deletes through ``action(instance, *, acting_user)``,
    which re-checks scope and writes the change log; then to ``success_url`` (a URL name).
    An object outside the user's scope is 404 for both."""

    required_action: ClassVar[str] = "change"
    queryset: ClassVar[QuerySet[Any]]
    action: ClassVar[Callable[..., Any]]
    success_url: ClassVar[str]
    template_name: ClassVar[str] = "core/object_delete.html"
    title: ClassVar[str] = "确认删除"

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        return get_object_or_404(restricted(self.queryset, request.user, "change"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        context = {"object": instance, "title": self.title, "cancel_url": reverse(self.success_url)}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        try:
            type(self).action(instance, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
        else:
            messages.success(request, f"已删除:{instance}")
        return redirect(self.success_url)
