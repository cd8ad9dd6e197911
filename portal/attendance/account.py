"""The "Certificates of attendance" section of "My account"."""

from portal.accounts.sections import AccountSection
from portal.attendance import selectors


def my_certificates(request) -> AccountSection | None:
    certificates = selectors.certificates_of(request.user)
    if not certificates:
        return None
    return AccountSection(
        title="Certificates of attendance",
        template="attendance/my_certificates.html",
        context={"certificates": certificates},
        order=20,
    )
