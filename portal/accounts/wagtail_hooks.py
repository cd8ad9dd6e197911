from wagtail import hooks
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from portal import audit
from portal.accounts.models import Organisation


class AuditedOrganisationInspectView(audit.AuditedObjectViewMixin, InspectView):
    pass


class AuditedOrganisationEditView(audit.AuditedObjectViewMixin, EditView):
    pass


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
    inspect_view_class = AuditedOrganisationInspectView
    edit_view_class = AuditedOrganisationEditView
    inspect_view_fields = ["name", "sector", "invoiced", "created_at"]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("before_edit_user")
def audit_user_edit(request, user):
    """Wagtail's user edit form shows (and may change) a person's name, email and roles."""
    audit.record_view(request, user, method=request.method)
