"""Signals the attendance service sends, inside the transaction that changed a mark.

`completion_changed(sender=<series model>, source=<RegisterSource>, completion=<SeriesCompletion>)`:
a person's series became completed, or stopped being (a mark corrected). A receiver that
writes must use the same transaction; one that tells someone goes through portal.notify
(which sends on commit).
"""

from django.dispatch import Signal

completion_changed = Signal()
