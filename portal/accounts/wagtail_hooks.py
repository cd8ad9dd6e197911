from wagtail import hooks
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from portal import audit, scope
from portal.accounts import selectors
from portal.accounts.models import Organisation, User


class AuditedOrganisationInspectView(audit.AuditedObjectViewMixin, InspectView):
    pass


class AuditedOrganisationEditView(audit.AuditedObjectViewMixin, EditView):
    pass


class OrganisationViewSet(scope.ScopedViewSet, ModelViewSet):
    """Coordinators keep organisations right: their sector (for reports) and whether they
    may book on account with a purchase-order number (invoiced)."""

    model = Organisation
    visible_to = staticmethod(selectors.organisations_visible_to)
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


class AuditedUserIndexView(audit.AuditedListingMixin, users.IndexView):
    audit_model = User


class AuditedUserEditView(audit.AuditedObjectViewMixin, users.EditView):
    pass


class OneNameCreationForm(UserCreationForm):
    """A last name only for those who have one, as at sign-up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = False


class OneNameEditForm(UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = False


class AuditedUserViewSet(scope.ScopedViewSet, users.UserViewSet):
    """Wagtail's user screens, audited and scoped: the listing shows names and emails, the
    edit form a person's name, email and roles (portal.accounts.apps makes Wagtail use this
    viewset)."""

    visible_to = staticmethod(selectors.users_visible_to)

    index_view_class = AuditedUserIndexView
    edit_view_class = AuditedUserEditView

    def get_form_class(self, for_update=False):
        return OneNameEditForm if for_update else OneNameCreationForm
