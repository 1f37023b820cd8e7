"""Open311 GeoReport v2 documents: the public rows as plain dicts, and those dicts as JSON
or as the spec's schemaless XML (https://wiki.open311.org/GeoReport_v2).

Only public data goes in: a field is a service; a petition with a published answer is a
service request whose description is the title staff wrote. No voter identity, no voter
words, no location finer than the administrative unit.
"""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.lib.vietnamese import fold
from hdnd.petitions.models import Answer, Field, Petition, PetitionStatus, ResultCategory
from hdnd.petitions.queries.public import is_closed

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's interface last changed (the discovery document's changeset).
CHANGESET = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
MAX_DESCRIPTION = 4000

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element each list's items are wrapped in, in XML.
_XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
}

Document = Mapping[str, Any] | Sequence[Any]

# Characters XML 1.0 cannot carry (stray control characters from pasted or imported text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(value: dt.datetime | dt.date | None) -> str | None:
    """A W3C datetime with its offset, in Vietnam time; a date is its midnight."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_default_timezone())
    return timezone.localtime(value).isoformat(timespec="seconds")


def service(field: Field) -> dict[str, Any]:
    keywords = [fold(field.name)]
    keywords += [part.strip() for part in field.description.split(",") if part.strip()]
    return {
        "service_code": field.code,
        "service_name": field.name,
        "description": field.description or field.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": _("Voter petitions"),
    }


def service_definition(field: Field) -> dict[str, Any]:
    return {"service_code": field.code, "attributes": []}


def service_request(petition: Petition, *, merged_into: Mapping[int, str]) -> dict[str, Any]:
    answers: list[Answer] = getattr(petition, "published_answers", [])
    answer = answers[0] if answers else None
    return {
        "service_request_id": petition.code,
        "status": "closed" if is_closed(petition) else "open",
        "status_notes": _status_notes(petition, answer, merged_into),
        "service_name": petition.field.name if petition.field else None,
        "service_code": petition.field.code if petition.field else None,
        "description": petition.title[:MAX_DESCRIPTION],
        "agency_responsible": _agency(petition, answer),
        "service_notice": None,
        "requested_datetime": w3c(getattr(petition, "requested_on", None) or petition.created_at),
        "updated_datetime": w3c(petition.updated_at),
        "expected_datetime": w3c(petition.due_on),
        "address": _address(petition),
    }


def _status_notes(
    petition: Petition, answer: Answer | None, merged_into: Mapping[int, str]
) -> str | None:
    target = merged_into.get(petition.merged_into_id) if petition.merged_into_id else None
    if petition.status == PetitionStatus.MERGED and target:
        return _("Merged into petition %(code)s.") % {"code": target}
    if petition.status == PetitionStatus.TRANSFERRED:
        return str(PetitionStatus.TRANSFERRED.label)
    if answer is not None and answer.result:
        return str(ResultCategory(answer.result).label)
    return None


def _agency(petition: Petition, answer: Answer | None) -> str | None:
    if petition.lead_agency is not None:
        return petition.lead_agency.name
    if answer is not None and answer.agency is not None:
        return answer.agency.name
    if petition.status == PetitionStatus.FORWARDED:
        return str(settings.PETITIONS_CENTRAL_RECIPIENT)
    return None


def _address(petition: Petition) -> str | None:
    """From the most specific unit to the most general: "Phường Hoàn Kiếm, Thành phố Hà Nội"."""
    unit = petition.unit
    if unit is None:
        return None
    parts = [unit.name]
    if unit.parent is not None:
        parts.append(unit.parent.name)
    return ", ".join(parts)


def discovery(*, endpoint_url: str, directory_url: str) -> dict[str, Any]:
    return {
        "changeset": w3c(CHANGESET),
        "contact": _(
            "The office of each People's Council; addresses are in the council directory: %(url)s"
        )
        % {"url": directory_url},
        "key_service": _("No API key is needed: this endpoint is read-only."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": w3c(CHANGESET),
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def errors(status: int, description: str) -> list[dict[str, Any]]:
    return [{"code": status, "description": description}]


# ---------------------------------------------------------------------------------------
# Rendering


def render(document: Document, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """The document as JSON, or as XML under the element `root`."""
    if fmt == "xml":
        body = to_xml(root, document)
    else:
        body = json.dumps(document, ensure_ascii=False).encode()
    response = HttpResponse(body, content_type=FORMATS.get(fmt, FORMATS["json"]), status=status)
    # Public, read-only data: any web page may read it, and shared caches may keep it briefly.
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response["Cache-Control"] = "public, max-age=300"
    return response


def to_xml(root: str, document: Document) -> bytes:
    element = ET.Element(root)
    _fill(element, root, document)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def _fill(element: ET.Element, tag: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child_value in value.items():
            _fill(ET.SubElement(element, key), key, child_value)
    elif isinstance(value, list | tuple):
        item_tag = _XML_ITEMS.get(tag, "item")
        for item in value:
            _fill(ET.SubElement(element, item_tag), item_tag, item)
    elif value is None:
        element.text = ""
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))
