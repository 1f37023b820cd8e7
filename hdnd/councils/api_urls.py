from django.urls import path

from hdnd.councils import api

app_name = "councils_api"
urlpatterns = [
    path("units/", api.UnitListApi.as_view(), name="unit-list"),
    path("units/<str:code>/", api.UnitDetailApi.as_view(), name="unit-detail"),
    path("councils/", api.CouncilListApi.as_view(), name="council-list"),
    # Ids in paths are str so that a malformed one is a JSON 404 too, never Django's page.
    path("councils/<str:council_id>/", api.CouncilDetailApi.as_view(), name="council-detail"),
    path(
        "councils/<str:council_id>/terms/",
        api.CouncilTermListApi.as_view(),
        name="council-term-list",
    ),
    path("terms/", api.TermListApi.as_view(), name="term-list"),
    path("people/", api.PersonListApi.as_view(), name="person-list"),
    path("people/<str:person_id>/", api.PersonDetailApi.as_view(), name="person-detail"),
    path("memberships/", api.MembershipListApi.as_view(), name="membership-list"),
    path("committees/", api.CommitteeListApi.as_view(), name="committee-list"),
    path(
        "committees/<str:committee_id>/",
        api.CommitteeDetailApi.as_view(),
        name="committee-detail",
    ),
    path("agencies/", api.AgencyListApi.as_view(), name="agency-list"),
    path("agencies/<str:agency_id>/", api.AgencyDetailApi.as_view(), name="agency-detail"),
]
