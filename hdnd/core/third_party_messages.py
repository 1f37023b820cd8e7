"""Messages of Django and Django REST framework that their own Vietnamese catalogs lack.

Django's and DRF's Vietnamese translations are incomplete or out of date (DRF's translates a
couple of dozen messages; Django 5 changed the msgid of the password-length message and made
the admin's "Please correct the error below." a plural, which the old entries do not match).
Without a translation the English text shows in the Vietnamese interface and in API errors.

Our catalog (locale/, in LOCALE_PATHS) takes precedence over theirs, so it can carry these
messages. Marking them here is what keeps them there: `makemessages --no-obsolete` extracts
them from this module like any other message, and the translation test then requires a
Vietnamese text for each. Nothing imports this module; it only has to be read by
`makemessages`.

Each msgid must match the third party's exactly, placeholders included; a test checks that
every one still appears in their source, so an upgrade that rewords one is noticed. List a
message only if their catalog leaves it untranslated and our pages or API can show it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

REST_FRAMEWORK_MESSAGES = (
    # rest_framework/fields.py: the fields our API's filters and serializers use.
    gettext_noop("This field may not be null."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop('"{input}" is not a valid choice.'),
    # rest_framework/serializers.py
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    # rest_framework/exceptions.py: the default details. hdnd.core.api replaces most of them
    # with messages of its own, but a detail can still come through its fallback.
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    # rest_framework/pagination.py
    gettext_noop("Invalid page."),
)

DJANGO_MESSAGES = (
    # django/core/validators.py: every CharField of a form or of DRF runs this validator.
    gettext_noop("Null characters are not allowed."),
)

# Django has no ngettext_noop. ngettext_lazy without a number makes a lazy string that is never
# evaluated here, and makemessages extracts it with its plural.
PLURAL_MESSAGES = (
    # django/contrib/auth/password_validation.py (MinimumLengthValidator)
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django/contrib/admin/templates/admin/change_form.html and others
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
)
