"""Imports every model so the metadata (and Alembic) sees the whole schema."""

from app.auth.models import ApiToken, LoginSession, RecoveryCode, User  # noqa: F401
from app.core.audit import AuditEvent  # noqa: F401
from app.core.idempotency import IdempotencyKey  # noqa: F401
from app.core.storage.database import StorageSetting, StoredFile, StoredFileChunk  # noqa: F401
from app.domain.acts.models import Act, Document, OutgoingCounter, act_recommendations  # noqa: F401
from app.domain.authorities.models import Authority  # noqa: F401
from app.domain.deadlines.models import CalendarDay, CalendarPeriod, Deadline, DeadlineEvent  # noqa: F401
from app.domain.facilities.models import Facility  # noqa: F401
from app.domain.followup.models import Finding, FindingPhoto  # noqa: F401
from app.domain.inbox.models import InboxMessage, ScannedText  # noqa: F401
from app.domain.lists.models import SavedFilter  # noqa: F401
from app.domain.notifications import Notification  # noqa: F401
from app.domain.portal.models import PortalLink  # noqa: F401
from app.domain.recommendations.models import Recommendation  # noqa: F401
from app.domain.responses.models import Response, ResponseFile, ResponsePosition  # noqa: F401
from app.domain.search.models import RecommendationTiming  # noqa: F401
from app.domain.visits.models import Visit, visit_monitors  # noqa: F401
from app.mail.models import OutboxEmail  # noqa: F401
from app.workflow.models import WorkflowDefinitionSnapshot, WorkflowHistory  # noqa: F401
