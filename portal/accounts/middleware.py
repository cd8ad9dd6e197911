from django.shortcuts import redirect
from django.urls import reverse

from portal.accounts import second_factor

# allauth's MFA pages that anyone signed in may open: signing in with a code, giving one
# again, the overview, and (for someone with no authenticator yet) setting one up. Every
# other MFA page changes or shows the second factor itself, and needs a fresh code.
OPEN_MFA_VIEWS = {"mfa_index", "mfa_authenticate", "mfa_reauthenticate", "mfa_trust"}


class SecondFactorGuardsItselfMiddleware:
    """For an account with an authenticator, only the authenticator re-authenticates.

    allauth lets the password re-authenticate for any sensitive step, and so the password
    alone could show or download the recovery codes, switch the authenticator off or put
    another in its place. Here, for such an account: the password re-authentication page
    leads to the code one, and each MFA settings page needs a code given in the last few
    minutes (a POST is kept and replayed once the code is given, as allauth does).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.url_name if match else None
        if not name or not (name == "account_reauthenticate" or name.startswith("mfa_")):
            return None
        user = request.user
        if not second_factor.has_authenticator(user):
            return None
        if name == "account_reauthenticate":
            query = request.META.get("QUERY_STRING", "")
            return redirect(reverse("mfa_reauthenticate") + (f"?{query}" if query else ""))
        if name in OPEN_MFA_VIEWS or second_factor.recently_gave_a_code(request, user):
            return None
        from allauth.account.internal.flows.reauthentication import suspend_request

        return suspend_request(request, reverse("mfa_reauthenticate"))
