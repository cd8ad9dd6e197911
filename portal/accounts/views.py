"""The person's own account pages that allauth does not provide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from portal.accounts import services
from portal.accounts.forms import NameForm


def _next_url(request) -> str:
    """Where to go back to: a page of ours (booking asks for a name first), or My account."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("my_account")


@never_cache
@login_required
def change_name(request):
    user = request.user
    form = NameForm(
        request.POST if request.method == "POST" else None,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    if form.is_valid():
        services.change_name(user, **form.cleaned_data)
        messages.success(request, "Your name has been saved.")
        return redirect(_next_url(request))
    return render(
        request,
        "portal/account_name.html",
        {"form": form, "next": _next_url(request), "adding": not user.get_full_name()},
        status=400 if form.is_bound else 200,
    )
