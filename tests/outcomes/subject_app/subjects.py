from portal import scope
from portal.outcomes.models import Occasion
from portal.outcomes.registry import OutcomeSubject
from tests.outcomes.subject_app.models import Member


class MemberSubject(OutcomeSubject):
    model = Member
    group_columns = (("circle", "Group"), ("locality", "Locality"))

    def title(self, subject: Member) -> str:
        return subject.circle.title

    def person_name(self, subject: Member) -> str:
        return subject.name

    def visible_to(self, user):
        members = Member.objects.select_related("circle")
        return scope.visible(members, user, locality="circle__locality")

    def people_of(self, user):
        if not user.is_authenticated:
            return Member.objects.none()
        return Member.objects.filter(user=user)

    def may_answer(self, subject: Member, occasion: str) -> bool:
        return occasion == Occasion.START or subject.ended

    def groups(self, subjects):
        rows = subjects.values_list("pk", "circle__title", "circle__locality__name")
        return {pk: (title, locality) for pk, title, locality in rows}
