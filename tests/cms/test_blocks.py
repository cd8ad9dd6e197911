"""The blocks guidance is built from: what they refuse, and the GOV.UK markup they render."""

from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.template.loader import render_to_string
from PIL import Image as Picture
from wagtail.blocks import StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.blocks import (
    AccordionBlock,
    BodyBlock,
    CalloutBlock,
    ContactCardBlock,
    DetailsBlock,
    ImageBlock,
    LinkBlock,
)


@pytest.fixture
def image(db):
    data = BytesIO()
    Picture.new("RGB", (40, 20), "navy").save(data, format="PNG")
    return get_image_model().objects.create(
        title="A test picture", file=ImageFile(data, name="test-picture.png")
    )


def _clean(block, raw: dict):
    return block.clean(block.to_python(raw))


def test_an_image_needs_alt_text(image):
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        _clean(block, {"image": image.pk, "alt_text": "", "caption": ""})
    assert "alt_text" in refused.value.block_errors
    value = _clean(block, {"image": image.pk, "alt_text": "A navy rectangle", "caption": "Navy"})
    html = block.render(value)
    assert 'alt="A navy rectangle"' in html and "<figcaption" in html and "Navy" in html


def test_a_link_is_to_a_page_or_a_web_address_not_neither_nor_both(db):
    block = LinkBlock()
    page = Page.objects.get(depth=1)
    for raw in [
        {"title": "Neither", "page": None, "url": ""},
        {"title": "Both", "page": page.pk, "url": "https://example.org/"},
    ]:
        with pytest.raises(StructBlockValidationError) as refused:
            _clean(block, raw)
        assert "one, not both" in str(refused.value.block_errors["page"])
    assert _clean(block, {"title": "Page", "page": page.pk, "url": ""})["page"] == page
    url = _clean(block, {"title": "Web", "page": None, "url": "https://example.org/"})["url"]
    assert url == "https://example.org/"


def test_call_out_and_warning_render_as_inset_and_warning_text():
    block = CalloutBlock()
    inset = block.render(block.to_python({"style": "inset", "text": "<p>You are not alone.</p>"}))
    assert 'class="govuk-inset-text"' in inset and "You are not alone." in inset
    warning = block.render(block.to_python({"style": "warning", "text": "<p>Clear it.</p>"}))
    assert 'class="govuk-warning-text"' in warning
    assert '<span class="govuk-visually-hidden">Warning</span>' in warning


def test_details_render_a_summary_a_reader_opens():
    block = DetailsBlock()
    html = block.render(
        block.to_python({"summary": "What if I cannot speak?", "text": "<p>Press 55.</p>"})
    )
    assert '<details class="govuk-details">' in html
    assert '<span class="govuk-details__summary-text">What if I cannot speak?</span>' in html
    assert "Press 55." in html


def test_two_accordions_on_one_page_have_their_own_ids():
    sections = {"sections": [{"heading": "First", "text": "<p>One</p>"}]}
    body = StreamValue(BodyBlock(), [("accordion", sections), ("accordion", sections)])
    html = render_to_string("cms/includes/body.html", {"body": body})
    assert html.count('data-module="govuk-accordion"') == 2
    ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), ids
    block = AccordionBlock()
    one = block.render(block.to_python(sections))
    assert 'class="govuk-accordion__section-button"' in one and "First" in one


def test_a_contact_card_shows_only_what_is_given_with_a_phone_link():
    block = ContactCardBlock()
    html = block.render(
        block.to_python(
            {
                "name": "National Domestic Abuse Helpline",
                "phone": "0808 2000 247",
                "hours": "24 hours",
                "description": "",
                "email": "",
                "website": "",
            }
        )
    )
    assert '<h2 class="govuk-summary-card__title">National Domestic Abuse Helpline</h2>' in html
    assert 'href="tel:08082000247"' in html and "24 hours" in html
    assert "Email" not in html and "Website" not in html


def test_the_demo_safety_page_shows_its_picture_with_alt_text(client, demo_site):
    html = client.get("/staying-safe-online/").content.decode()
    assert '<figure class="portal-figure">' in html
    assert 'alt="A red button with the words Exit this page in white."' in html
