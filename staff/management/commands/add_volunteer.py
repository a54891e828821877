from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groups.models import Fellowship
from staff.models import Volunteer, normalise_areas

GROUP = "Volunteers"
# What a volunteer may do, within their fellowships (staff.scopes decides which rows).
PERMISSIONS = [
    ("meetings", "meeting", ["add", "change", "delete", "view"]),
    ("meetings", "venue", ["add", "change", "view"]),
    ("groups", "group", ["add", "change", "view"]),
    ("groups", "fellowship", ["view"]),
    ("reports", "report", ["change", "view"]),
]


def volunteers_group() -> Group:
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = [f"{action}_{model}" for _app, model, actions in PERMISSIONS for action in actions]
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in={app for app, _model, _actions in PERMISSIONS},
        codename__in=wanted))
    return group


def password_link(user) -> str:
    """A link to set the account's password: Django's password-reset token, which stops
    working once the password is set (or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    return settings.SITE_URL + path


class Command(BaseCommand):
    help = (
        "Create or update a volunteer's staff account, limited to some fellowships (and "
        "optionally postcode areas), and print a one-time link to set its password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--fellowship", action="append", required=True, metavar="SLUG",
                            help="a fellowship they look after; repeat for more")
        parser.add_argument("--area", action="append", default=[], metavar="AREA",
                            help="a postcode area such as LS; repeat for more (default: "
                            "the whole country)")
        parser.add_argument("--email")

    def handle(self, *args, username, fellowship, area, email, **options):
        fellowships = list(Fellowship.objects.filter(slug__in=fellowship))
        unknown = sorted(set(fellowship) - {f.slug for f in fellowships})
        if unknown:
            slugs = ", ".join(Fellowship.objects.values_list("slug", flat=True))
            raise CommandError(f"No fellowship {', '.join(unknown)}. Choose from: {slugs}")
        try:
            areas = normalise_areas(" ".join(area))
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()  # until they follow the link
            user.is_staff = True
            if email:
                user.email = email
            user.save()
            user.groups.add(volunteers_group())
            volunteer, _new = Volunteer.objects.update_or_create(
                user=user, defaults={"areas": areas})
            volunteer.fellowships.set(fellowships)
        names = ", ".join(sorted(f.short_name for f in fellowships))
        where = f"postcode areas {areas}" if areas else "the whole country"
        self.stdout.write(
            f"{'Created' if created else 'Updated'} volunteer {username}: {names}, {where}.")
        if user.is_superuser:
            self.stdout.write("This account is a superuser, so it still sees every listing.")
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(f"Link to set the password (works once, for {days} days):\n"
                          f"{password_link(user)}")
