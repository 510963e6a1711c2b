"""A second real OpenID provider and a second real SCIM 2.0 server, both from PyPI, in one
Django site on 127.0.0.1 for the tests (see scripts/install-python-peers.sh):

  * django-oauth-toolkit with OpenID Connect on, at /o/ (issuer http://127.0.0.1:PORT/o),
    with Django's own login page at /accounts/login/ and one confidential client whose consent
    is skipped;
  * django-scim2-server at /scim/v2/, behind a bearer token.

  python django-peer.py CONFIG.json

CONFIG: {"client_id", "client_secret", "token", "user": {"username", "password", "email",
"first_name", "last_name"}}. The database is a SQLite file in a temporary folder, made afresh.
Prints one JSON line when it listens: {"issuer", "scim_base_url", "port"}; stops on SIGTERM or
when standard input closes.
"""

import json
import os
import secrets
import sys
import tempfile
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.conf import settings

CONFIG = json.load(open(sys.argv[1]))
WORK = tempfile.mkdtemp(prefix="sso-console-django-peer-")


def bearer_ok(request):
    """The SCIM views' access check: the configured bearer token, compared in constant time."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header.startswith("Bearer ") and secrets.compare_digest(
        header[len("Bearer "):], CONFIG["token"]
    )


def rsa_key_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


LOGIN_TEMPLATE = """<!doctype html><html><head><title>Sign in</title></head><body>
<h1>Sign in</h1><form method="post">{% csrf_token %}{{ form.as_p }}
<button type="submit">Sign in</button></form></body></html>"""

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_hex(32),
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    USE_TZ=True,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(WORK, "db.sqlite3")}},
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "oauth2_provider",
        "django_scim2_server",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("django.template.loaders.locmem.Loader", {"registration/login.html": LOGIN_TEMPLATE})],
            "context_processors": ["django.template.context_processors.csrf"],
        },
    }],
    LOGIN_URL="/accounts/login/",
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": rsa_key_pem(),
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.ClaimsValidator",
        "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "Email"},
    },
    SCIM2_SERVER_AUTH_CHECK=f"{__name__}.bearer_ok",
)
django.setup()

from django.contrib.auth import views as auth_views  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import include, path  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402


class ClaimsValidator(OAuth2Validator):
    """The standard claims of the signed-in user, by scope (as DOT's documentation shows)."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}",
            "preferred_username": user.username,
        }


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("scim/v2/", include("django_scim2_server.urls")),
]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main():
    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import Application

    person = CONFIG["user"]
    user = get_user_model().objects.create_user(
        username=person["username"],
        password=person["password"],
        email=person["email"],
        first_name=person["first_name"],
        last_name=person["last_name"],
    )
    Application.objects.create(
        name="SSO Console",
        user=user,
        client_id=CONFIG["client_id"],
        client_secret=CONFIG["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1/callback",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadingServer, QuietHandler)
    port = server.server_address[1]
    print(json.dumps({
        "issuer": f"http://127.0.0.1:{port}/o",
        "scim_base_url": f"http://127.0.0.1:{port}/scim/v2",
        "port": port,
    }), flush=True)
    # The test owns the server: when its end of standard input closes, stop.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
