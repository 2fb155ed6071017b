from django.urls import path

from kaifaqu.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/export/", views.BoardExportView.as_view(), name="board_export"),
    path("<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
    path("<int:pk>/urge/", views.UrgeView.as_view(), name="urge"),
    path("<int:pk>/extension/", views.ExtensionView.as_view(), name="extension"),
    path("<int:pk>/extension/decide/", views.DecisionView.as_view(), name="decide_extension"),
]
