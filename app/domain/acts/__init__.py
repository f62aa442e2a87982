"""Acts of response: formal letters carrying recommendations to an authority."""

KINDS = ("submission", "request", "reminder", "initiative_letter")
STATES = ("draft", "sent", "overdue", "responded", "closed", "cancelled")
#: Documents of an act: none yet, being made by a job, made, or the job failed.
DOCUMENTS_STATUSES = ("none", "pending", "ready", "failed")
CHANNELS = ("email", "post")
