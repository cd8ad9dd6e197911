"""The "How we contact you" section of My account."""

from portal.accounts.sections import AccountSection
from portal.contact.selectors import plan_or_default, summary


def contact_section(request) -> AccountSection:
    plan = plan_or_default(request.user)
    return AccountSection(
        title="How we contact you",
        template="portal/contact/account_section.html",
        context={"summary": summary(plan, for_staff=False)},
        order=10,
    )
