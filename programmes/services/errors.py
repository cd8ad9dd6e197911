class ProgrammeError(Exception):
    """A write refused; the message is fit to show, next to `field` where there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
