from django.db import models
from wagtail.search import index


class Term(index.Indexed, models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in filter web addresses")
    sort_order = models.PositiveSmallIntegerField(default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(Term):
    """A type of abuse guidance is about, for example coercive control."""


class Audience(Term):
    """Who guidance is written for, for example friends and family."""
