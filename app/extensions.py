"""Flask extensions, created unbound and initialised in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

#: Constraint names that Alembic can rely on across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class AppLimiter(Limiter):
    """Flask-Limiter keeps one storage per Limiter object, so the last application initialised
    would count every application's limits (tests and tools build several). Each application
    keeps its own storage and counter; requests use their application's."""

    def init_app(self, app):
        self._storage = self._limiter = None
        super().init_app(app)
        app.extensions["vidhuk_rate_limits"] = (self._storage, self._limiter)

    def _own(self, index):
        from flask import current_app, has_app_context

        if has_app_context() and "vidhuk_rate_limits" in current_app.extensions:
            return current_app.extensions["vidhuk_rate_limits"][index]
        return None

    @property
    def storage(self):
        return self._own(0) or super().storage

    @property
    def limiter(self):
        if self._storage_dead and self._in_memory_fallback_enabled:
            return super().limiter
        return self._own(1) or super().limiter


#: Rate limits (per IP, per account, per token), counted in Redis so every web process shares
#: them. No default limit: routes declare theirs.
limiter = AppLimiter(key_func=get_remote_address, strategy="moving-window")
