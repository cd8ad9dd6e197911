"""Safe-contact plans in the staff area (imported by `portal.apps`, since `portal` keeps no
wagtail_hooks of its own). Who: superusers and the roles that contact people (coordinators,
programme facilitators, volunteer coordinators: portal migration 0007), by model permission,
and only the plans in their scope (`selectors.plans_visible_to`; plans an app keeps behind its
own scoped screens, `selectors.keep_elsewhere`: referrals, are out of it for everyone but
superusers). Every look is audited: the listing, each plan shown, each edit form; every save
too."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from portal import audit, scope
from portal.contact.forms import StaffPlanForm
from portal.contact.models import SafeContactPlan
from portal.contact.selectors import plan_for_staff, plans_visible_to
from portal.contact.services import record_plan_by_staff

FORM_FIELDS = [
    "user",
    "name",
    "email",
    "phone",
    "postal_address",
    "email_is_safe",
    "text_is_safe",
    "phone_call_is_safe",
    "letter_is_safe",
    "safe_days",
    "safe_windows",
    "voicemail_allowed",
    "voicemail_wording",
    "service_may_be_named",
    "location_in_calendar",
    "preferred_name",
    "language",
    "interpreter_needed",
    "alternative_contact",
    "notes",
    "review_date",
]


class PlanIndexView(audit.AuditedListingMixin, IndexView):
    audit_model = SafeContactPlan


class PlanInspectView(InspectView):
    template_name = "portal/contact/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = plan_for_staff(self.request, self.object)
        if self.request.user.has_perm("portal.change_safecontactplan"):
            context["edit_url"] = reverse("safe_contact_plans:edit", args=[self.object.pk])
        return context


class PlanCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        record_plan_by_staff(instance, by=self.request.user)
        return instance


class PlanEditView(audit.AuditedObjectViewMixin, EditView):
    def save_instance(self):
        instance = super().save_instance()
        audit.record(self.request.user, audit.Action.CHANGE, instance)
        return instance


class SafeContactPlanViewSet(scope.ScopedViewSet, ModelViewSet):
    model = SafeContactPlan
    visible_to = staticmethod(plans_visible_to)
    icon = "user"
    menu_label = "Safe-contact plans"
    add_to_admin_menu = True
    menu_order = 310
    form_fields = FORM_FIELDS
    list_display = ["display_name", "review_date", "updated_at"]
    list_filter = ["service_may_be_named", "interpreter_needed"]
    inspect_view_enabled = True
    index_view_class = PlanIndexView
    inspect_view_class = PlanInspectView
    add_view_class = PlanCreateView
    edit_view_class = PlanEditView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        from django.forms import modelform_factory

        return modelform_factory(
            self.model,
            form=StaffPlanForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.form_fields,
        )


@hooks.register("register_admin_viewset")
def register_safe_contact_plan_viewset():
    return SafeContactPlanViewSet("safe_contact_plans")
