from django.urls import path

from kaifaqu.investment import kpi_views, light_views, views

app_name = "investment"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("mine/", views.MyProjectListView.as_view(), name="my_projects"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/advance/", views.AdvanceView.as_view(), name="advance"),
    path("<int:pk>/pause/", views.PauseView.as_view(), name="pause"),
    path("<int:pk>/terminate/", views.TerminateView.as_view(), name="terminate"),
    path("<int:pk>/resume/", views.ResumeView.as_view(), name="resume"),
    path("<int:pk>/undo/", views.UndoView.as_view(), name="undo"),
    path("<int:pk>/visit/", views.VisitView.as_view(), name="visit"),
    path("<int:pk>/funds/", views.FundView.as_view(), name="fund"),
    path("<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("<int:pk>/problem/", views.ProblemView.as_view(), name="problem"),
    path("clients/", views.ClientListView.as_view(), name="client_list"),
    path("clients/new/", views.ClientCreateView.as_view(), name="client_create"),
    path("clients/<int:pk>/", views.ClientDetailView.as_view(), name="client"),
    path("kpis/", kpi_views.KpiDashboardView.as_view(), name="kpis"),
    path("kpis/projects/", kpi_views.KpiProjectsView.as_view(), name="kpi_projects"),
    path("lights/rules/", light_views.LightRulesView.as_view(), name="light_rules"),
]
