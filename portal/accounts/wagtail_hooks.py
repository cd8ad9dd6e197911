from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from portal.accounts.models import Organisation


class OrganisationViewSet(ModelViewSet):
    """Coordinators keep organisations right: their sector (for reports) and whether they
    may book on account with a purchase-order number (invoiced)."""

    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    add_to_admin_menu = True
    menu_order = 300
    form_fields = ["name", "sector", "invoiced"]
    list_display = ["name", "sector", "invoiced", "created_at"]
    list_filter = ["sector", "invoiced"]
    search_fields = ["name"]
    list_export = ["name", "sector", "invoiced", "created_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "sector", "invoiced", "created_at"]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")
