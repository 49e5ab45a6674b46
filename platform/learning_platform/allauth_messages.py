# ruff: noqa: E501 (the msgids must match allauth's exactly, long lines included)
"""allauth's texts on the sign-up, sign-in, password and email-verification pages, in
the site's own voice.

allauth's Lithuanian catalogue addresses people as "Jūs"; the rest of the interface
(and every other language of it) says "tu", as a site for young people does. These
msgids, copied exactly from allauth, are put in the project's catalogue (LOCALE_PATHS,
which takes precedence over allauth's) by ``make makemessages``; the other languages
keep allauth's own wording. Nothing calls these: allauth asks gettext itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

ALLAUTH_PAGES = (
    gettext_noop("Please type your current password."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("You must type the same email each time."),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Forgot Password?"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Your password is now changed."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("You are already logged in as %(user_display)s."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ),
)
