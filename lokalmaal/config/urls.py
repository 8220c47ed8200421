from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from lokalmaal.accounts import views as accounts
from lokalmaal.api.views import api
from lokalmaal.catalogue import views as catalogue
from lokalmaal.regions import views as regions
from lokalmaal.web import views as web

catalogue_urls = (
    [
        path("mal/", catalogue.goal_list, name="goals"),
        path("mal/<int:number>/", catalogue.goal_detail, name="goal"),
        path("delmal/", catalogue.target_list, name="targets"),
        path("delmal/<str:code>/", catalogue.target_detail, name="target"),
    ],
    "catalogue",
)

region_urls = (
    [
        path("kommuner/", regions.municipality_list, name="municipalities"),
        path(
            "kommuner/<str:code>/",
            regions.region_detail,
            {"kind": "municipality"},
            name="municipality",
        ),
        path("fylker/", regions.county_list, name="counties"),
        path("fylker/<str:code>/", regions.region_detail, {"kind": "county"}, name="county"),
    ],
    "regions",
)

organisation_urls = (
    [
        path("organisasjoner/", accounts.organisation_list, name="organisations"),
        path("organisasjoner/mine/", accounts.my_organisations, name="mine"),
        path("organisasjoner/ny/", accounts.organisation_create, name="create"),
        path("organisasjoner/bli-med/", accounts.request_access, name="request_access"),
        path("organisasjoner/foresporsler/", accounts.access_requests, name="requests"),
        path(
            "organisasjoner/foresporsler/<int:request_id>/",
            accounts.decide_request,
            name="decide_request",
        ),
        path("organisasjoner/<slug:slug>/", accounts.organisation_detail, name="organisation"),
        path("organisasjoner/<slug:slug>/inviter/", accounts.invite, name="invite"),
        path(
            "organisasjoner/<slug:slug>/medlemmer/<int:member_id>/rolle/",
            accounts.change_role,
            name="change_role",
        ),
        path(
            "organisasjoner/<slug:slug>/medlemmer/<int:member_id>/fjern/",
            accounts.remove_member,
            name="remove_member",
        ),
        path(
            "organisasjoner/<slug:slug>/invitasjoner/<int:invitation_id>/trekk/",
            accounts.revoke_invitation,
            name="revoke_invitation",
        ),
        path("invitasjon/<str:token>/", accounts.invitation, name="invitation"),
    ],
    "accounts",
)

# The Django admin logs in through allauth's pages: the same login limits, e-mail code and
# two-factor authentication, not a second, unlimited password form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", web.home, name="home"),
    path("", include(catalogue_urls)),
    path("", include(region_urls)),
    path("", include(organisation_urls)),
    path("", include("lokalmaal.localgoals.urls")),
    path("", include("lokalmaal.indicators.urls")),
    path("", include("lokalmaal.arena.urls")),
    path("", include("lokalmaal.networks.urls")),
    path("", include("lokalmaal.plans.urls")),
    path("", include("lokalmaal.peers.urls")),
    path("", include("lokalmaal.reports.urls")),
    path("", include("lokalmaal.accounts.privacy_urls")),
    path("", include("lokalmaal.discussion.urls")),
    path("", include("lokalmaal.security.urls")),
    path("", include("lokalmaal.ops.urls")),
    path("api/", web.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", web.favicon),
]
