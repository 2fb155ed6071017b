from django.urls import path

from kaifaqu.servicerequests import views

app_name = "servicerequests"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="request_list"),
    path("mine/", views.MyRequestListView.as_view(), name="my_requests"),
    path("mine/new/", views.FileRequestView.as_view(), name="file"),
    path("hotline/new/", views.RegisterCallView.as_view(), name="register_call"),
    path("work/", views.UnitWorkListView.as_view(), name="unit_work"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request"),
    path("<int:pk>/dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="reply"),
    path("<int:pk>/rate/", views.RateView.as_view(), name="rate"),
]
