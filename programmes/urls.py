from django.urls import path

import portal.identifiers  # noqa: F401 - registers the strict converters
from portal.outcomes.views import own_answers
from programmes.outcomes import SUBJECT_KEY

from . import views

urlpatterns = [
    path("answer/<token:token>/", views.answer, name="programmes_answer"),
    path("mine/<int:pk>/", views.my_enrolment, name="programmes_mine"),
    path("mine/<int:pk>/apologies/", views.apologies, name="programmes_apologies"),
    path("mine/<int:pk>/withdraw/", views.withdraw, name="programmes_withdraw"),
    path(
        "mine/<int:pk>/questions/<occasion:occasion>/",
        own_answers,
        {"subject_key": SUBJECT_KEY},
        name="programmes_questions",
    ),
]
