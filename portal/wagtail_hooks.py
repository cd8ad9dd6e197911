"""Staff assignments (portal.localities) in the staff area, under Settings.

Only superusers see or change them: no role is granted the StaffAssignment permissions, so
Wagtail's permission policy shows the menu item and opens the views to superusers alone.
Opening the list or an assignment is in the audit trail (who may see what is itself
sensitive); changes are in Wagtail's history log."""

from wagtail import hooks
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from portal import audit
from portal.localities import StaffAssignment


class AssignmentIndexView(audit.AuditedListingMixin, IndexView):
    audit_model = StaffAssignment

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "locality")


class AssignmentEditView(audit.AuditedObjectViewMixin, EditView):
    pass


class StaffAssignmentViewSet(ModelViewSet):
    model = StaffAssignment
    icon = "group"
    menu_label = "Staff assignments"
    add_to_settings_menu = True
    menu_order = 610
    list_display = ["user", "locality", "created_at"]
    list_filter = ["locality"]
    form_fields = ["user", "locality"]
    index_view_class = AssignmentIndexView
    add_view_class = CreateView
    edit_view_class = AssignmentEditView
    delete_view_class = DeleteView
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_staff_assignment_viewset():
    return StaffAssignmentViewSet("staff_assignments")
