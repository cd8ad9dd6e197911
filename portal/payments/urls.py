"""Payment URLs (the Stripe webhook)."""

app_name = "payments"
urlpatterns: list = []
