"""API: a council's meetings (sessions, committee meetings…), one meeting with its
sittings, participants and agenda; planning and correcting a meeting, starting, ending
or cancelling it; planning, opening, closing and removing sittings; inviting and
removing participants and handing over the chair; adding, correcting, removing and
reordering agenda items, taking one up and finishing it; checking in, saying one is
ready to vote, the office recording attendance, and the attendance of the open sitting
with the quorum. One module per topic: meetings, sittings, participants, agenda and
attendance, with what they share in common.

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings); one sitting, participant or agenda item under `sittings/`,
`participants/` and `agenda-items/`. Only people signed in call these endpoints: an API
token is refused. Access is exactly the pages' (hdnd/meetings/access.py): the office
prepares (sittings, participants, agenda, attendance records), the chair or the office
runs the room (opening and closing sittings, the order and the current item, the
attendance list), participants check in and say they are ready. Changes to a meeting's
details carry the `expected_version` the caller loaded; a stale one is refused with 409
stale_version. Errors have the one JSON shape of hdnd/core/api.py.
"""

from django.urls import URLPattern

from hdnd.meetings.api.meetings import agenda, attendance, meetings, participants, sittings

urlpatterns: list[URLPattern] = [
    *meetings.urlpatterns,
    *sittings.urlpatterns,
    *participants.urlpatterns,
    *agenda.urlpatterns,
    *attendance.urlpatterns,
]
