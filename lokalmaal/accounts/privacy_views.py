"""My data: what Lokalmål keeps about the person, a download of it, and deleting the account."""

import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts import privacy
from lokalmaal.accounts.forms import DeleteAccountForm
from lokalmaal.accounts.models import User
from lokalmaal.lib.ratelimit import rate_limited


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _page(request: HttpRequest, form: DeleteAccountForm, status: int = 200) -> HttpResponse:
    user = _user(request)
    context = {
        "plan": privacy.deletion_plan(user),
        "form": form,
        "person": user,
        "security_log_days": getattr(settings, "SECURITY_LOG_DAYS", 365),
    }
    return render(request, "accounts/my_data.html", context, status=status)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request, DeleteAccountForm(user=_user(request)))


def _filename(extension: str) -> str:
    return f"lokalmaal-mine-data-{timezone.localdate().isoformat()}.{extension}"


@login_required
def download_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        privacy.personal_data_json(_user(request)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download_zip(request: HttpRequest) -> HttpResponse:
    """The JSON and every file the person uploaded, in one ZIP."""
    user = _user(request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lokalmaal-data.json", privacy.personal_data_json(user))
        for path, content in privacy.personal_files(user):
            archive.writestr(path, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename("zip")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@rate_limited("delete_account", limit=5, window=600)  # no guessing passwords through this form
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        privacy.do_delete_account(user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:my_data")
    logout(request)
    messages.success(request, _("Your account and your personal data were deleted."))
    return redirect("home")
