from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Public site"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms import navigation, page_cache
        from portal.localities import Locality

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(navigation.forget, dispatch_uid=f"cms-links-{signal}")
        post_save.connect(navigation.forget, sender=Site, dispatch_uid="cms-links-site")

        def page_deleted(sender, instance, **kwargs):
            if isinstance(instance, Page):
                navigation.forget()

        post_delete.connect(page_deleted, weak=False, dispatch_uid="cms-links-page-deleted")
        page_cache.shows_on_public_pages(Locality)
        page_cache.connect()
