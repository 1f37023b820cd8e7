"""Checking the digital signature (chữ ký số) of a signed PDF with pyHanko (answer
documents of petitions, meeting documents).

Nothing is fetched from the network (no CRL, OCSP or certificate download): a signature is
trusted only when its chain ends at one of the CA certificates configured in
`PETITIONS_SIGNATURE_TRUST_ROOTS` (for example the Vietnamese government CA). The verdict:

- UNSIGNED: the PDF has no embedded signature;
- VALID: every signature is intact, trusted, and covers the whole file or is followed only
  by incremental updates the document's modification policy permits;
- UNTRUSTED: intact and covering the document, but the chain ends at no trusted CA;
- INVALID: a digest mismatch, or the document changed after signing;
- ERROR: the file is not a PDF pyHanko can read.

With several signatures the worst one decides.
"""

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# asn1crypto ships no type hints.
from asn1crypto import pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)


class SignatureStatus(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked")
    UNSIGNED = "unsigned", _("No digital signature")
    VALID = "valid", _("Valid signature, document unchanged")
    UNTRUSTED = "untrusted", _("Intact signature from an untrusted certificate")
    INVALID = "invalid", _("Invalid signature or document changed after signing")
    ERROR = "error", _("The file could not be checked")


# Worst first: the document's status is the worst of its signatures'.
_SEVERITY = [SignatureStatus.INVALID, SignatureStatus.UNTRUSTED, SignatureStatus.VALID]
# Vietnamese signing certificates carry digital signature, non-repudiation or both.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
_CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class SignatureResult:
    status: SignatureStatus
    # JSON-ready: what the document page shows (signer, serial, time, coverage, ...).
    details: dict[str, Any] = field(default_factory=dict)


def verify_pdf(file: IO[bytes] | Any) -> SignatureResult:
    """The signature status of an uploaded or stored PDF (anything with `read()`)."""
    data = _read_all(file)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # Any parse failure means "not a readable PDF".
        logger.info("Signature check: unreadable PDF (%s)", type(exc).__name__)
        return SignatureResult(
            SignatureStatus.ERROR, {"error": type(exc).__name__, "bottom_line": False}
        )
    if not signatures:
        return SignatureResult(SignatureStatus.UNSIGNED, {"signature_count": 0})
    roots = trust_roots()
    checked = [_check_one(signature, roots) for signature in signatures]
    worst = min(checked, key=lambda pair: _SEVERITY.index(pair[0]))
    details = {
        **worst[1],
        "signature_count": len(checked),
        "trust_root_count": len(roots),
        "signatures": [one for _status, one in checked],
    }
    return SignatureResult(worst[0], details)


def trust_roots() -> list[asn1_x509.Certificate]:
    """The CA certificates from `PETITIONS_SIGNATURE_TRUST_ROOTS`: a PEM/DER file, a
    directory of them, or a list of such paths. None configured: nothing is trusted."""
    configured = settings.PETITIONS_SIGNATURE_TRUST_ROOTS
    if not configured:
        return []
    paths = [configured] if isinstance(configured, str | Path) else list(configured)
    roots: list[asn1_x509.Certificate] = []
    for path in _certificate_files(Path(p) for p in paths):
        roots.extend(_load_certificates(path))
    return roots


def _certificate_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in _CERT_SUFFIXES)
        elif path.is_file():
            yield path
        else:
            logger.warning("PETITIONS_SIGNATURE_TRUST_ROOTS: no file at %s", path)


def _load_certificates(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    try:
        if pem.detect(data):
            return [
                asn1_x509.Certificate.load(der)
                for kind, _headers, der in pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"
            ]
        certificate = asn1_x509.Certificate.load(data)
        certificate.native  # noqa: B018 - parse now: asn1crypto parses lazily
        return [certificate]
    except (ValueError, TypeError):
        logger.warning("PETITIONS_SIGNATURE_TRUST_ROOTS: %s is not a certificate", path)
        return []


def _check_one(
    signature: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]
) -> tuple[SignatureStatus, dict[str, Any]]:
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context, key_usage_settings=_KEY_USAGE)
    except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
        # A signature whose structure does not hold together cannot vouch for anything.
        return SignatureStatus.INVALID, {
            "field": signature.field_name,
            "error": type(exc).__name__,
            "intact": False,
            "trusted": False,
            "bottom_line": False,
        }
    return _classify(status), _describe(signature, status)


def _classify(status: PdfSignatureStatus) -> SignatureStatus:
    if not (status.intact and status.valid):
        return SignatureStatus.INVALID
    if not _covers_document(status):
        return SignatureStatus.INVALID
    if not status.trusted:
        return SignatureStatus.UNTRUSTED
    return SignatureStatus.VALID


def _covers_document(status: PdfSignatureStatus) -> bool:
    """The whole file, or its signed revision followed only by permitted updates."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)


def _describe(signature: EmbeddedPdfSignature, status: PdfSignatureStatus) -> dict[str, Any]:
    certificate = status.signing_cert
    subject = certificate.subject.native
    issuer = certificate.issuer.native
    signing_time = status.signer_reported_dt
    if status.timestamp_validity is not None:
        signing_time = status.timestamp_validity.timestamp
    modification = status.modification_level
    return {
        "field": signature.field_name,
        "signer_common_name": subject.get("common_name", ""),
        "signer_organisation": subject.get("organization_name", ""),
        "issuer_common_name": issuer.get("common_name", ""),
        "serial": format(certificate.serial_number, "X"),
        "signing_time": signing_time.isoformat() if signing_time else None,
        "coverage": status.coverage.name if status.coverage else None,
        "modification_level": modification.name if modification else None,
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
        "revoked": bool(status.revoked),
        "bottom_line": bool(status.bottom_line),
        "summary": status.summary(),
    }


def _read_all(file: IO[bytes] | Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return bytes(data)
