"""Staff roles are groups. Each app's data migrations grant its own permissions to them with
`grant()`, so a role holds exactly what its work needs and nothing by default."""

from django.contrib.auth.management import create_permissions

# Every role may open the staff area; what it can do there comes from each app's grants.
ADMIN_ACCESS = "wagtailadmin.access_admin"

FOUNDATION_GRANTS = {
    "Editor": [
        ADMIN_ACCESS,
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    "Coordinator": [ADMIN_ACCESS],
    "Trainer": [ADMIN_ACCESS],
    "Programme facilitator": [ADMIN_ACCESS],
    "Volunteer coordinator": [ADMIN_ACCESS],
    "Commissioner": [ADMIN_ACCESS],
}


def grant(apps, grants: dict[str, list[str]]) -> None:
    """For data migrations: give each named group the listed 'app_label.codename' permissions."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, revocations: dict[str, list[str]]) -> None:
    """For data migrations: take the listed 'app_label.codename' permissions from each group."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in revocations.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
