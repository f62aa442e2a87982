"""Response forms: the answer (page and API), the authority's positions, the assessment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.core.forms import DateWithin, options
from app.core.once import OneTimeFormMixin
from app.domain.forms import ModelForm
from app.domain.responses import ASSESSMENTS, POSITION_LABELS

TEXT_MAX = 50000
COMMENT_MAX = 2000
NUMBER_MAX = 60

KIND_LABELS = {
    "substantive": _l("Substantive"),
    "interim": _l("Interim"),
    "formal": _l("Formal (no substance)"),
}
ASSESSMENT_LABELS = {code: POSITION_LABELS[code] for code in ASSESSMENTS}


class ResponseForm(ModelForm):
    """The answer's own fields; the API sends ``positions`` besides, as a list of objects."""

    #: InputRequired, not DataRequired: a wrong date keeps its own message ("Not a valid date").
    received_on = DateField(
        _l("Received on"),
        validators=[
            InputRequired(),
            DateWithin(future=_l("The date of receipt cannot be in the future.")),
        ],
    )
    #: The postmark or dispatch date: an answer posted by the due date is in time.
    sent_on = DateField(
        _l("Sent by the authority on"),
        validators=[Optional(), DateWithin()],
        description=_l(
            "The postmark or the date of the authority's letter or e-mail: an answer sent by "
            "the last day of the term is in time, whenever it arrives (Civil Code Art. 255)."
        ),
    )
    incoming_number = StringField(
        _l("Incoming number"), validators=[DataRequired(), Length(max=NUMBER_MAX)]
    )
    kind = SelectField(
        _l("Kind of answer"),
        choices=options(KIND_LABELS.items()),
        default="substantive",
        validators=[DataRequired()],
        description=_l(
            "Only a substantive answer moves the act and its recommendations to “answered”."
        ),
    )
    text = TextAreaField(_l("Text or summary"), validators=[Optional(), Length(max=TEXT_MAX)])

    def values(self):
        """The fields as ``record_response`` takes them."""
        return {
            "received_on": self.received_on.data,
            "sent_on": self.sent_on.data,
            "incoming_number": self.incoming_number.data,
            "kind": self.kind.data,
            "text": self.text.data or "",
        }


class PositionRow(BaseForm):
    """The authority's position on one recommendation; an empty position means none stated."""

    recommendation_id = HiddenField()
    position = SelectField(
        _l("Position of the authority"), choices=options(POSITION_LABELS.items(), "—"), default=""
    )
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_MAX)])

    def validate_comment(self, field):
        if (field.data or "").strip() and not self.position.data:
            raise ValidationError(_l("Choose the position this comment explains."))


class ResponsePageForm(OneTimeFormMixin, ResponseForm):
    """The page's form: the answer, its files, a position row per recommendation of the act."""

    files = MultipleFileField(
        _l("Files"), description=_l("PDF, DOCX, PNG, JPEG or TIFF; the content is checked.")
    )
    #: No min_entries: the rows are the act's recommendations (GET) or what was posted.
    positions = FieldList(FormField(PositionRow), max_entries=500)

    @classmethod
    def for_act(cls, act):
        """A blank form with a row for each recommendation the act carries."""
        form = cls(formdata=None)
        for rec in act.recommendations:
            form.positions.append_entry({"recommendation_id": rec.id})
        return form

    def position_values(self):
        return [
            {
                "recommendation_id": row.recommendation_id.data,
                "position": row.position.data,
                "comment": (row.comment.data or "").strip(),
            }
            for row in self.positions
            if row.position.data
        ]

    def uploads(self):
        """The chosen files (an empty file input sends one without a name)."""
        return [f for f in self.files.data or [] if getattr(f, "filename", None)]


class AssessmentRow(BaseForm):
    """The lawyer's assessment of one answered recommendation; empty means not now."""

    recommendation_id = HiddenField()
    decision = SelectField(
        _l("Assessment"),
        choices=options(ASSESSMENT_LABELS.items(), _l("— not now —")),
        default="",
    )
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_MAX)])


class AssessmentForm(FlaskForm):
    rows = FieldList(FormField(AssessmentRow), max_entries=500)

    @classmethod
    def for_recommendations(cls, recs, suggested):
        """Rows for ``recs``, pre-selected from the authority's position where it maps."""
        form = cls(formdata=None)
        for rec in recs:
            decision = suggested.get(rec.id)
            form.rows.append_entry(
                {
                    "recommendation_id": rec.id,
                    "decision": decision if decision in ASSESSMENTS else "",
                }
            )
        return form

    def chosen(self):
        """(recommendation id, assessment, comment) of the rows with an assessment."""
        out = []
        for row in self.rows:
            if row.decision.data:
                try:
                    rec_id = int(row.recommendation_id.data)
                except (TypeError, ValueError):
                    rec_id = None
                out.append((rec_id, row.decision.data, (row.comment.data or "").strip()))
        return out
