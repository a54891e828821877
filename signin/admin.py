from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own device pages would show every staff member's app key to any superuser;
# each person manages their own under "Two-step sign-in", and a lost phone is
# `manage.py remove_second_factor` (docs/staff.md).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
