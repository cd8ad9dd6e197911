"""Safe-contact plans: how, when and under what name a person may be contacted.

One `SafeContactPlan` per person, with or without an account (see `models.py`);
`portal.notify` obeys it, staff screens show it first (`selectors.plan_for_staff` and the
include `portal/contact/plan_summary.html`), and the person edits their own in My account.
"""
