"""What volunteering adds to "My account": the application and where it stands."""

from portal.accounts.sections import AccountSection
from volunteers import selectors
from volunteers.models import Stage


def my_application(request) -> AccountSection | None:
    applications = list(selectors.applications_of(request.user).order_by("-created_at"))
    if not applications:
        return None
    return AccountSection(
        title="Volunteering",
        template="volunteers/includes/my_application.html",
        context={
            "applications": applications,
            "active": any(a.stage == Stage.ACTIVE for a in applications),
        },
        order=30,
    )
