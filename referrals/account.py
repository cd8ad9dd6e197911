"""What referrals add to "My account": the referrals a professional made while signed in,
each with its reference, date and where it stands (`Referral.referrer_status`) only."""

from portal.accounts.sections import AccountSection

from . import selectors


def referrals_made(request) -> AccountSection | None:
    referrals = list(selectors.referrals_made_by(request.user))
    if not referrals:
        return None
    return AccountSection(
        title="Referrals you made",
        template="referrals/includes/referrals_made.html",
        context={"referrals": referrals},
        order=40,
    )
