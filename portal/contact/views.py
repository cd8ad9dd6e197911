from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from portal.contact import services
from portal.contact.forms import OwnPlanForm
from portal.contact.selectors import plan_or_default


@login_required
def edit_own_plan(request):
    """My account: how, when and under what name we may contact this person."""
    plan = plan_or_default(request.user)
    if request.method == "POST":
        form = OwnPlanForm(request.POST)
        if form.is_valid():
            services.save_own_plan(
                request.user, form.plan_values(), phone=form.cleaned_data["phone"]
            )
            messages.success(request, "Your contact preferences are saved.")
            return redirect("my_account")
    else:
        form = OwnPlanForm(initial=OwnPlanForm.initial_for(plan))
    status = 400 if form.is_bound else 200
    return render(request, "portal/contact/own_plan.html", {"form": form}, status=status)
