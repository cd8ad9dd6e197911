"""Safe-contact plans in the staff area (imported by `portal.apps`, since `portal` keeps no
wagtail_hooks of its own). Who: superusers and the roles that contact people (coordinators,
programme facilitators, volunteer coordinators: portal migration 0007), by model permission.
Every look is audited: the listing, each plan shown, each edit form; every save too. Plans
an app keeps behind its own scoped screens (`selectors.keep_elsewhere`: referrals) are left
out of these screens for everyone but superusers."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from portal import audit
from portal.contact.forms import StaffPlanForm
from portal.contact.models import SafeContactPlan
from portal.contact.selectors import plan_for_staff, plans_listed_for

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

    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=plans_listed_for(self.request.user))


class PlanInspectView(InspectView):
    template_name = "portal/contact/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(plans_listed_for(self.request.user), pk=unquote(str(self.pk)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = plan_for_staff(self.request, self.object)
        if self.request.user.has_perm("portal.change_safecontactplan"):
            context["edit_url"] = reverse("safe_contact_plans:edit", args=[self.object.pk])
        return context


class AuditedSaveMixin:
    def save_instance(self):
        created = self.object is None or self.object.pk is None
        instance = super().save_instance()
        action = audit.Action.CREATE if created else audit.Action.CHANGE
        audit.record(self.request.user, action, instance)
        return instance


class PlanCreateView(AuditedSaveMixin, CreateView):
    pass


class PlanEditView(AuditedSaveMixin, audit.AuditedObjectViewMixin, EditView):
    def get_queryset(self):
        return plans_listed_for(self.request.user)


class SafeContactPlanViewSet(ModelViewSet):
    model = SafeContactPlan
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
