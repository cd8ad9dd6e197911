from django.conf import settings


def portal(request):
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
    }
