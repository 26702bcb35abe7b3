"""People with a sensitive role log in with both factors in the tests: a confirmed TOTP device, and the
session holds the proof django-otp leaves after a code (``tests/accounts/test_second_factor.py`` and the
permission matrix check what happens without it)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clea.accounts import second_factor


def device_of(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=second_factor.APP_DEVICE, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the person's application shows now, or the next one if now's was already spent."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and device.last_t >= totp.t():
        totp.drift += device.last_t - totp.t() + 1
    return str(totp.token()).zfill(device.digits)


def prove(client, user) -> None:
    """After ``force_login``: the session as after the second factor's page."""
    fresh = type(user).objects.get(pk=user.pk)  # never leave a memberships cache on the test's object
    if second_factor.required_for(fresh):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device_of(fresh).persistent_id
        session.save()
