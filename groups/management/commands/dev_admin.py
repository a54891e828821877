import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Development only: create a local staff account and say how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        if not settings.DEBUG:
            raise CommandError("dev_admin only runs with DEBUG on; use createsuperuser instead.")
        password_file = settings.BASE_DIR / "var" / "dev-admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email="admin@localhost")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        self.stdout.write(
            f"Admin: http://127.0.0.1:{port}/admin/  user: {USERNAME}  password: {password}\n"
            f"(a local development account; the password is kept in {password_file})"
        )
