"""Staff see payments and refunds in the Wagtail admin, read-only: money moves only through
Stripe and portal.payments.services."""

import django_filters
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal import audit, scope
from portal.payments import selectors
from portal.payments.models import Payment, Refund


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" can ever be allowed, whoever asks (superusers included)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


for model in (Payment, Refund):
    register_permission_policy(model, ReadOnlyPermissionPolicy(model))


class PaymentFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label="Created between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Payment
        fields = ["status", "purpose"]


class RefundFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label="Created between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Refund
        fields = ["status"]


class AuditedInspectView(audit.AuditedObjectViewMixin, InspectView):
    """A payment or refund names who paid and what for: each look at one is audited."""


class ReadOnlyViewSet(scope.ScopedViewSet, ModelViewSet):
    inspect_view_enabled = True
    inspect_view_class = AuditedInspectView
    copy_view_enabled = False
    # Nobody may add or edit (see the policy); an empty form keeps that obvious.
    form_fields: list[str] = []

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename__startswith="view_")


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    visible_to = staticmethod(selectors.payments_visible_to)
    url_prefix = "payments/payment"
    url_namespace = "payments_payment"
    icon = "form"
    menu_label = "Payments"
    list_display = [
        "reference",
        "purpose",
        "description",
        "amount_display",
        "status",
        "refunded_display",
        "created_at",
        "paid_at",
    ]
    filterset_class = PaymentFilterSet
    search_fields = ["reference", "description", "stripe_checkout_session_id"]
    inspect_view_fields = [
        "purpose",
        "reference",
        "description",
        "amount_pence",
        "currency",
        "status",
        "refunded_pence",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "hold_expires_at",
        "checkout_expires_at",
        "paid_at",
        "created_at",
        "updated_at",
    ]


class RefundViewSet(ReadOnlyViewSet):
    model = Refund
    visible_to = staticmethod(selectors.refunds_visible_to)
    url_prefix = "payments/refund"
    url_namespace = "payments_refund"
    icon = "undo"
    menu_label = "Refunds"
    list_display = ["payment", "amount_display", "reason", "status", "created_at"]
    filterset_class = RefundFilterSet
    inspect_view_fields = [
        "payment",
        "amount_pence",
        "reason",
        "status",
        "stripe_refund_id",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return Refund.objects.select_related("payment")


class PaymentsGroup(ModelViewSetGroup):
    menu_label = "Payments"
    menu_icon = "form"
    menu_order = 400
    items = (PaymentViewSet, RefundViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsGroup()
