"""The blocks an editor builds guidance from. Each renders GOV.UK Frontend markup."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subheading")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("inset", "Call-out (inset text)"), ("warning", "Warning")], default="inset"
    )
    text = blocks.RichTextBlock(features=["bold", "link"])

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(
        max_length=120,
        help_text="The line a reader opens, for example 'What if I cannot speak on the phone?'",
    )
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "cms/blocks/details.html"


class AccordionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    sections = blocks.ListBlock(AccordionSectionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/accordion.html"


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock(required=False)
    phone = blocks.CharBlock(required=False, max_length=40)
    email = blocks.EmailBlock(required=False)
    website = blocks.URLBlock(required=False)
    hours = blocks.CharBlock(required=False, max_length=120, help_text="For example '24 hours'")

    class Meta:
        icon = "user"
        template = "cms/blocks/contact_card.html"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Only when the link is not to a page here")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose a page or enter a web address (one, not both)."
            raise StructBlockValidationError(block_errors={"page": ValidationError(message)})
        return value


class RelatedLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Related")
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "link"
        template = "cms/blocks/related_links.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for someone who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(features=TEXT_FEATURES, template="cms/blocks/text.html")
    callout = CalloutBlock()
    details = DetailsBlock()
    accordion = AccordionBlock()
    contact_card = ContactCardBlock()
    related_links = RelatedLinksBlock()
    image = ImageBlock()
