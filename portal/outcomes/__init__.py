"""Outcome measures: what a person answers at the start and at the end (completion or exit)
of something they take part in (a programme enrolment), and the change reported in
aggregate only.

Measures (`portal.outcomes.measures`, pure): SWEMWBS (7 items, raw 7 to 35 converted to the
metric score by the published table) and two single items, "I feel safer" and "My quality
of life", each on a 5-point scale; every question allows "Prefer not to answer", which
leaves that measure unscored. SWEMWBS is free to use, but its licence asks each service to
register with Warwick Medical School: the deployer does that, the portal cannot.

Subjects. Responses are keyed generically (content type + id), as registers are, rather
than by a foreign key to one app's model, so the engine depends on no app; and, rather than
leaving the rest to a bare GenericForeignKey, the app registers an `OutcomeSubject` for its
model in its `ready()` (`register_subject`, see `portal.outcomes.registry`). The engine asks
it everything that depends on the app: the staff-scope selector (`visible_to`), which
subjects are the signed-in person (`people_of`), whether an occasion may be answered now
(`may_answer`), and each subject's report group (`groups`, e.g. programme and locality).

Contract:
- One `Response` per subject, measure and occasion (start, end; a database constraint);
  answering again corrects it. Its answers are encrypted (`portal.crypto`) and so are
  scored in Python, never in SQL. Every creation and change writes an audit row in the same
  transaction (`services.record_answers`, which locks the subject's rows for the occasion).
- Screens (`portal.outcomes.views`), mounted by the app with its subject's key: the person's
  own (`own_answers`, GOV.UK radios) and the staff one for a paper form (`staff_answers`, in
  the Wagtail admin; showing it is an audited view). Outside the subject's selector, an
  unknown occasion or one that may not be answered: a 404 that reveals nothing.
- Reports: `selectors.change_by_group(subjects, measure)` gives, per group and for all, the
  number with a score at both start and end, the mean scores and change, and how many
  improved by at least the measure's meaningful change (SWEMWBS: 3 metric points, the
  threshold commonly used for one person); a report declares `figures=CHANGE_FIGURES` so
  small numbers are suppressed. There is no per-person figure to give a commissioner.
- Retention and erasure: `services.anonymise_for(subject)` keeps each response's score
  (counts and change survive) and drops the item answers and who entered them;
  `services.erase_for(subject)` deletes them; `selectors.subject_access(subject)` lists
  them in words for a subject-access download.
"""
