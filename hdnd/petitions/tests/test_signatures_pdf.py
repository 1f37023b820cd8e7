"""Checking the digital signature of answer PDFs with real signed files: a CA and a
signer certificate made with `cryptography`, a one-page PDF made with pyHanko's writer,
signed with pyHanko's SimpleSigner."""

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# asn1crypto ships no type hints.
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hdnd.lib.pdfsign import verify_pdf
from hdnd.petitions.models import SignatureStatus

PAGE_TEXT = b"Van ban tra loi kien nghi cu tri so 1234/UBND-DT"
VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
VALID_UNTIL = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Pki:
    ca: x509.Certificate
    signer_cert: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey

    @property
    def ca_pem(self) -> bytes:
        return self.ca.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(attributes)


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_pki(ca_name: str = "CA thử nghiệm Chính phủ") -> Pki:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Nguyễn Văn Ký", "UBND Thành phố Hà Nội"))
        .issuer_name(ca.subject)
        .public_key(signer_key.public_key())
        .serial_number(0x1234ABCD)
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return Pki(ca=ca, signer_cert=signer_cert, signer_key=signer_key)


def unsigned_pdf(text: bytes = PAGE_TEXT) -> bytes:
    """A one-page PDF built with pyHanko's writer (its content stream left uncompressed)."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): writer.add_object(font)})}
    )
    content = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")
    page = PageObject(
        contents=writer.add_object(content), media_box=[0, 0, 595, 842], resources=resources
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(pki: Pki, data: bytes | None = None) -> bytes:
    def der(cert: x509.Certificate) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key = asn1_keys.PrivateKeyInfo.load(
        pki.signer_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=der(pki.signer_cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([der(pki.ca)]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data or unsigned_pdf()))
    out = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer
    )
    return out.getvalue()


def tampered(data: bytes) -> bytes:
    """The signed file with one letter of the page text changed: inside the signed range."""
    position = data.index(b"Van ban")
    changed = bytearray(data)
    changed[position] = ord("X")
    return bytes(changed)


def changed_after_signing(data: bytes) -> bytes:
    """The signed file with an incremental update that rewrites the page's text."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    rewritten = generic.StreamObject(
        stream_data=b"BT /F1 12 Tf 72 720 Td (Noi dung da bi sua) Tj ET"
    )
    page[pdf_name("/Contents")] = writer.add_object(rewritten)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture
def trusted(settings: Any, tmp_path: Path, pki: Pki) -> Path:
    path = tmp_path / "trusted-ca.pem"
    path.write_bytes(pki.ca_pem)
    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = str(path)
    return path


@pytest.fixture
def nothing_trusted(settings: Any) -> None:
    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = None


def test_a_signature_from_a_trusted_ca_is_valid(pki: Pki, trusted: Path) -> None:
    result = verify_pdf(io.BytesIO(signed_pdf(pki)))
    assert result.status == SignatureStatus.VALID
    details = result.details
    assert details["signer_common_name"] == "Nguyễn Văn Ký"
    assert details["signer_organisation"] == "UBND Thành phố Hà Nội"
    assert details["serial"] == "1234ABCD"
    assert details["coverage"] == "ENTIRE_FILE"
    assert details["intact"] is True
    assert details["trusted"] is True
    assert details["bottom_line"] is True
    assert details["signing_time"]
    assert details["signature_count"] == 1


def test_the_same_signature_is_untrusted_without_the_ca(pki: Pki, nothing_trusted: None) -> None:
    result = verify_pdf(io.BytesIO(signed_pdf(pki)))
    assert result.status == SignatureStatus.UNTRUSTED
    assert result.details["intact"] is True
    assert result.details["trusted"] is False
    assert result.details["bottom_line"] is False


def test_a_signature_from_another_ca_is_untrusted(pki: Pki, trusted: Path) -> None:
    stranger = make_pki("CA không được tin cậy")
    assert verify_pdf(io.BytesIO(signed_pdf(stranger))).status == SignatureStatus.UNTRUSTED


def test_a_directory_of_trusted_cas_is_read(pki: Pki, settings: Any, tmp_path: Path) -> None:
    (tmp_path / "other.pem").write_bytes(make_pki("CA khác").ca_pem)
    (tmp_path / "gov.crt").write_bytes(pki.ca_pem)
    (tmp_path / "readme.txt").write_text("không phải chứng thư")
    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = str(tmp_path)
    result = verify_pdf(io.BytesIO(signed_pdf(pki)))
    assert result.status == SignatureStatus.VALID
    assert result.details["trust_root_count"] == 2


def test_a_byte_changed_inside_the_signed_range_makes_it_invalid(pki: Pki, trusted: Path) -> None:
    result = verify_pdf(io.BytesIO(tampered(signed_pdf(pki))))
    assert result.status == SignatureStatus.INVALID
    assert result.details["intact"] is False


def test_a_change_added_after_signing_makes_it_invalid(pki: Pki, trusted: Path) -> None:
    result = verify_pdf(io.BytesIO(changed_after_signing(signed_pdf(pki))))
    assert result.status == SignatureStatus.INVALID
    assert result.details["coverage"] == "ENTIRE_REVISION"
    assert result.details["bottom_line"] is False


def test_a_pdf_without_signature_is_unsigned(trusted: Path) -> None:
    result = verify_pdf(io.BytesIO(unsigned_pdf()))
    assert result.status == SignatureStatus.UNSIGNED
    assert result.details == {"signature_count": 0}


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 this is a zip, not a PDF",
        b"%PDF-1.7\n this header lies: nothing follows",
        b"",
    ],
    ids=["zip", "truncated-pdf", "empty"],
)
def test_a_file_that_is_not_a_readable_pdf_is_an_error(content: bytes, trusted: Path) -> None:
    result = verify_pdf(io.BytesIO(content))
    assert result.status == SignatureStatus.ERROR
    assert result.details["bottom_line"] is False


def test_the_file_can_be_read_again_after_the_check(pki: Pki, trusted: Path) -> None:
    upload = io.BytesIO(signed_pdf(pki))
    verify_pdf(upload)
    assert upload.read(5) == b"%PDF-"
