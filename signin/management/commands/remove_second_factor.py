from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from signin import devices


class Command(BaseCommand):
    help = ("For a staff member who lost their phone and backup codes: remove their "
            "authenticator app and backup codes, so their password alone signs them in "
            "until they set up two-step sign-in again (superusers are asked to at once).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be removed, remove nothing")

    def handle(self, *args, username, dry_run, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No account is called {username!r}.") from None
        if dry_run:
            count = len(list(devices.devices_for_user(user, confirmed=None)))
            self.stdout.write(f"Would remove {count} second-step device(s) of {username}.")
            return
        count = devices.remove_all(user)
        if not count:
            self.stdout.write(f"{username} had no second step: nothing to remove.")
            return
        follow = (" As a superuser, they will be asked to set it up again when they next sign in."
                  if devices.is_required(user) else "")
        self.stdout.write(f"Removed {count} second-step device(s) of {username}: their "
                          f"password alone signs them in now.{follow}")
