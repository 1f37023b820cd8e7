from django.urls import path

from hdnd.councils.api import bodies, councils, people, units

app_name = "councils_api"
urlpatterns = [
    path("units/", units.UnitListApi.as_view(), name="unit-list"),
    path("units/<str:code>/", units.UnitDetailApi.as_view(), name="unit-detail"),
    path("councils/", councils.CouncilListApi.as_view(), name="council-list"),
    # Ids in paths are str so that a malformed one is a JSON 404 too, never Django's page.
    path(
        "councils/<str:council_id>/",
        councils.CouncilDetailApi.as_view(),
        name="council-detail",
    ),
    path(
        "councils/<str:council_id>/terms/",
        bodies.CouncilTermListApi.as_view(),
        name="council-term-list",
    ),
    path("terms/", bodies.TermListApi.as_view(), name="term-list"),
    path("people/", people.PersonListApi.as_view(), name="person-list"),
    path("people/<str:person_id>/", people.PersonDetailApi.as_view(), name="person-detail"),
    path("memberships/", bodies.MembershipListApi.as_view(), name="membership-list"),
    path("committees/", bodies.CommitteeListApi.as_view(), name="committee-list"),
    path(
        "committees/<str:committee_id>/",
        bodies.CommitteeDetailApi.as_view(),
        name="committee-detail",
    ),
    path("agencies/", bodies.AgencyListApi.as_view(), name="agency-list"),
    path("agencies/<str:agency_id>/", bodies.AgencyDetailApi.as_view(), name="agency-detail"),
]
