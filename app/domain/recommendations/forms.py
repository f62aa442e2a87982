"""Recommendation forms: one recommendation, quick entry of several, a transition with comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, HiddenField, SelectField, TextAreaField
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core.forms import DateWithin, options
from app.core.once import OneTimeFormMixin
from app.domain.authorities.models import Authority
from app.domain.codes import PRIORITIES, THEMES, choices
from app.domain.forms import ModelForm, optional_int
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit
from app.extensions import db

TEXT_MAX = 10000
#: Empty rows offered by the quick entry form ("Add a row" asks for more).
QUICK_ROWS = 2


def _authority_options():
    from app.domain.authorities.queries import all_for_choices

    return options([(a.id, a.name) for a in all_for_choices()], "—")


class RecommendationForm(ModelForm):
    """For pages (the visit comes from the URL) and the API (``visit_id`` in the body)."""

    visit_id = SelectField(_l("Visit"), coerce=optional_int, validate_choice=False)
    text = TextAreaField(
        _l("Recommendation"),
        description=_l("Markdown: *emphasis*, lists, links."),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
    )
    theme = SelectField(_l("Theme"), choices=choices(THEMES), validators=[DataRequired()])
    priority = SelectField(
        _l("Priority"), choices=choices(PRIORITIES), default="medium", validators=[DataRequired()]
    )
    authority_id = SelectField(
        _l("Addressee"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Empty: the facility's supervising authority."),
    )
    previous_id = SelectField(
        _l("Repeats the earlier recommendation"), coerce=optional_int, validate_choice=False
    )
    due_on = DateField(_l("Due on"), validators=[Optional(), DateWithin(years_ahead=10)])

    def __init__(self, *args, obj=None, need_visit=False, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self._need_visit = need_visit
        self.authority_id.choices = _authority_options()
        visit = obj.visit if obj is not None else None
        self.previous_id.choices = options(_earlier(visit, obj), "—") if visit else options([], "—")

    def validate_visit_id(self, field):
        if self._need_visit and field.data is None:
            raise ValidationError(_l("This field is required."))
        if field.data is not None and db.session.get(Visit, field.data) is None:
            raise ValidationError(_l("No such visit."))

    def validate_authority_id(self, field):
        if field.data is not None and db.session.get(Authority, field.data) is None:
            raise ValidationError(_l("No such authority."))

    def validate_previous_id(self, field):
        if field.data is None:
            return
        previous = db.session.get(Recommendation, field.data)
        if previous is None:
            raise ValidationError(_l("No such recommendation."))
        visit = db.session.get(Visit, self.visit_id.data) if self.visit_id.data else None
        if visit is not None and (
            previous.facility_id != visit.facility_id
            or previous.visit.started_on >= visit.started_on
        ):
            raise ValidationError(
                _l(
                    "Only a recommendation of an earlier visit to the same facility can be repeated."
                )
            )


def _earlier(visit, current=None):
    """Recommendations of earlier visits to the same facility, for the 'repeats' choice."""
    import sqlalchemy as sa

    rows = db.session.execute(
        sa.select(Recommendation.id, Recommendation.text, Visit.started_on)
        .join(Visit, Recommendation.visit_id == Visit.id)
        .where(Recommendation.facility_id == visit.facility_id, Visit.started_on < visit.started_on)
        .order_by(Visit.started_on.desc(), Recommendation.id)
    ).all()
    return [(r.id, f"№{r.id} ({r.started_on:%d.%m.%Y}): {_shortened(r.text, 80)}") for r in rows]


def _shortened(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class QuickRow(BaseForm):
    """One line of quick entry; an empty text means the row is not used."""

    text = TextAreaField(_l("Recommendation"), validators=[Optional(), Length(max=TEXT_MAX)])
    theme = SelectField(_l("Theme"), choices=choices(THEMES, blank="—"), validate_choice=False)
    priority = SelectField(
        _l("Priority"), choices=choices(PRIORITIES), default="medium", validate_choice=False
    )

    def validate_theme(self, field):
        if (self.text.data or "").strip() and field.data not in THEMES:
            raise ValidationError(_l("Choose a theme."))

    def validate_priority(self, field):
        if (self.text.data or "").strip() and field.data not in PRIORITIES:
            raise ValidationError(_l("Not a valid choice."))


class QuickEntryForm(OneTimeFormMixin, FlaskForm):
    """Several recommendations at once, sharing the addressee."""

    authority_id = SelectField(
        _l("Addressee"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Empty: the facility's supervising authority."),
    )
    #: No min_entries: WTForms pads after renumbering posted rows and would read one twice.
    rows = FieldList(FormField(QuickRow), max_entries=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority_id.choices = _authority_options()
        while len(self.rows.entries) < QUICK_ROWS:
            self.rows.append_entry()

    def validate_authority_id(self, field):
        if field.data is not None and db.session.get(Authority, field.data) is None:
            raise ValidationError(_l("No such authority."))

    def filled_rows(self):
        return [row.data for row in self.rows if (row.text.data or "").strip()]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not self.filled_rows():
            self.rows[0].text.errors = [_l("Write at least one recommendation.")]
            return False
        return valid


class TransitionForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    visit_id = HiddenField()


class IssueSelectedForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
