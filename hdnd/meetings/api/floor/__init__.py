"""API: the floor and questioning of a council meeting — the list of speakers and the log,
asking to speak, withdrawing, reordering, a speaker's time limit, the chair granting and
ending the floor; questioning topics (listed with their respondents and linked voter
petitions, added, edited); questions registered, listed, reordered, called, answered and
withdrawn.

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings). Only people signed in call these endpoints: an API token is
refused (the floor is a person's act). Access is exactly the pages' (hdnd/meetings/
access.py): readers of the meeting read; participants ask; the chair or the office run.
Errors have the one JSON shape of hdnd/core/api.py. One module per topic: speaking and
questioning, with what they share in common.
"""

from django.urls import URLPattern

from hdnd.meetings.api.floor import questioning, speaking

urlpatterns: list[URLPattern] = [
    *speaking.urlpatterns,
    *questioning.urlpatterns,
]
