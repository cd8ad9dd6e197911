from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door of the public site."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, "intro"]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
