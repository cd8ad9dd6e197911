from tests.attendance.conftest import (  # noqa: F401 - the same course fixtures
    coordinator,
    course_page,
    learner,
    past_session,
    site_root,
    staff_client,
    trainer,
)
