"""The demo's fixed data: seed, terms, seats, committees, agencies, names and occupations.

The places and agencies are real; the names and occupations go into made-up people.
"""

import datetime as dt
from dataclasses import dataclass

from hdnd.councils.models import AgencyKind, Gender

SEED = 2026
DEMO_EMAIL_DOMAIN = "hanoi.example"  # RFC 2606: never a real mailbox
CITY_UNIT_CODE = "01"
HOAN_KIEM_UNIT_CODE = "00070"
COMMUNES_PER_BATCH = 25


@dataclass(frozen=True)
class TermSpec:
    number: int | None
    name: str
    start: dt.date
    end: dt.date


CITY_TERM_XVI = TermSpec(16, "Khóa XVI", dt.date(2021, 6, 1), dt.date(2026, 3, 14))
CITY_TERM_XVII = TermSpec(17, "Khóa XVII", dt.date(2026, 3, 15), dt.date(2031, 3, 14))
COMMUNE_TERM = TermSpec(None, "Nhiệm kỳ 2026–2031", dt.date(2026, 3, 15), dt.date(2031, 3, 14))

# 31 constituencies electing 125 delegates: 10 × 5 + 12 × 4 + 9 × 3 seats.
CITY_SEATS = (5,) * 10 + (4,) * 12 + (3,) * 9
CITY_DELEGATES = 125
CITY_VICE_CHAIRS = 3
CITY_HISTORY_REELECTED = 12
CITY_HISTORY_RETIRED = 8

CITY_COMMITTEES = (
    ("Ban Kinh tế – Ngân sách", "Kinh tế, ngân sách, tài chính, đầu tư"),
    ("Ban Đô thị", "Quy hoạch, xây dựng, giao thông, tài nguyên và môi trường đô thị"),
    ("Ban Văn hóa – Xã hội", "Giáo dục, y tế, văn hóa, lao động và an sinh xã hội"),
    ("Ban Pháp chế", "Thi hành pháp luật, quốc phòng, an ninh, xây dựng chính quyền"),
)
CITY_COMMITTEE_DEPUTIES = 2
CITY_COMMITTEE_MEMBERS = 8
COMMUNE_COMMITTEES = (
    ("Ban Pháp chế", "Thi hành pháp luật, an ninh, trật tự, xây dựng chính quyền"),
    ("Ban Kinh tế – Xã hội", "Kinh tế, ngân sách, văn hóa, xã hội"),
)
COMMUNE_COMMITTEE_MEMBERS = 3
COMMUNE_DELEGATES = (15, 30)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: AgencyKind
    head_title: str
    deputy_title: str


DIRECTOR_TITLES = ("Giám đốc", "Phó Giám đốc")
CHAIR_TITLES = ("Chủ tịch", "Phó Chủ tịch")
CITY_PEOPLES_COMMITTEE = AgencySpec(
    "UBND", "Ủy ban nhân dân thành phố Hà Nội", AgencyKind.PEOPLES_COMMITTEE, *CHAIR_TITLES
)
CITY_DEPARTMENTS = (
    AgencySpec(
        "VP-UBND",
        "Văn phòng UBND thành phố",
        AgencyKind.DEPARTMENT,
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
    ),
    AgencySpec("SNV", "Sở Nội vụ", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("STP", "Sở Tư pháp", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("STC", "Sở Tài chính", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SCT", "Sở Công Thương", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SNNMT", "Sở Nông nghiệp và Môi trường", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SXD", "Sở Xây dựng", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SKHCN", "Sở Khoa học và Công nghệ", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SGDDT", "Sở Giáo dục và Đào tạo", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SYT", "Sở Y tế", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SVHTT", "Sở Văn hóa và Thể thao", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SDL", "Sở Du lịch", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SDTTG", "Sở Dân tộc và Tôn giáo", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec("SQHKT", "Sở Quy hoạch – Kiến trúc", AgencyKind.DEPARTMENT, *DIRECTOR_TITLES),
    AgencySpec(
        "TTTP",
        "Thanh tra thành phố",
        AgencyKind.DEPARTMENT,
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
    ),
    AgencySpec("CATP", "Công an thành phố Hà Nội", AgencyKind.OTHER, *DIRECTOR_TITLES),
    AgencySpec(
        "BCHQS",
        "Bộ Chỉ huy Quân sự thành phố Hà Nội",
        AgencyKind.OTHER,
        "Chỉ huy trưởng",
        "Phó Chỉ huy trưởng",
    ),
    AgencySpec(
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội",
        AgencyKind.OTHER,
        "Trưởng ban",
        "Phó Trưởng ban",
    ),
    AgencySpec(
        "DPTTH", "Đài Phát thanh và Truyền hình Hà Nội", AgencyKind.PUBLIC_SERVICE, *DIRECTOR_TITLES
    ),
    AgencySpec(
        "QDTPT",
        "Quỹ Đầu tư phát triển thành phố Hà Nội",
        AgencyKind.PUBLIC_SERVICE,
        *DIRECTOR_TITLES,
    ),
)
AGENCY_RESPONDER_AGENCY = "Sở Xây dựng"
COMMITTEE_MEMBER_COMMITTEE = "Ban Đô thị"


# Names for made-up people

FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Phan", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Đào", 1),
    ("Lương", 1),
    ("Tạ", 1),
    ("Chu", 1),
)
MIDDLE_NAMES = {
    Gender.MALE: (
        "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Mạnh", "Tiến", "Ngọc",
        "Thanh", "Duy", "Anh", "Trọng", "Việt", "Đình", "Hồng", "Kim",
    ),
    Gender.FEMALE: (
        "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thúy", "Hồng", "Phương",
        "Kim", "Bích", "Diệu", "Hải", "Lan", "Mai",
    ),
}  # fmt: skip
GIVEN_NAMES = {
    Gender.MALE: (
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Hưng", "Huy",
        "Khánh", "Kiên", "Lâm", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng",
        "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hoàng", "Tâm", "Thịnh", "Toàn",
        "Quyết", "Đông", "Hà", "Khôi", "Phúc", "Lộc", "Nghĩa",
    ),
    Gender.FEMALE: (
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền",
        "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
        "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hồng", "Thu", "Lệ",
    ),
}  # fmt: skip
# Faker's vi_VN streets are from all over the country; these are Hanoi's.
HANOI_STREETS = (
    "Đinh Tiên Hoàng", "Lê Thái Tổ", "Hàng Bài", "Tràng Thi", "Lý Thường Kiệt", "Quang Trung",
    "Bà Triệu", "Trần Hưng Đạo", "Điện Biên Phủ", "Kim Mã", "Đội Cấn", "Hoàng Hoa Thám",
    "Nguyễn Chí Thanh", "Láng Hạ", "Giảng Võ", "Xã Đàn", "Tây Sơn", "Giải Phóng",
    "Minh Khai", "Bạch Mai", "Lạc Long Quân", "Âu Cơ", "Nghi Tàm", "Cầu Giấy", "Xuân Thủy",
    "Trần Duy Hưng", "Phạm Hùng", "Lê Văn Lương", "Nguyễn Trãi", "Quang Trung (Hà Đông)",
    "Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Văn Linh", "Phạm Văn Đồng", "Hồ Tùng Mậu",
    "Lê Trọng Tấn", "Chùa Bộc", "Thái Hà", "Kim Liên", "Tam Trinh",
)  # fmt: skip
MINORITY_ETHNICITIES = ("Mường", "Tày", "Dao", "Thái", "Nùng")
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "086", "088", "035", "038")

# Occupations: a few city posts held once each, then templates

CITY_OCCUPATIONS = (
    "Bí thư Thành đoàn Hà Nội",
    "Chủ tịch Liên đoàn Lao động thành phố Hà Nội",
    "Chủ tịch Hội Liên hiệp Phụ nữ thành phố Hà Nội",
    "Chủ tịch Hội Nông dân thành phố Hà Nội",
    "Chủ tịch Hội Cựu chiến binh thành phố Hà Nội",
    "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
    "Phó Chánh án Tòa án nhân dân thành phố Hà Nội",
    "Phó Viện trưởng Viện kiểm sát nhân dân thành phố Hà Nội",
    "Phó Giám đốc Công an thành phố Hà Nội",
    "Phó Chỉ huy trưởng Bộ Chỉ huy Quân sự thành phố Hà Nội",
    "Giám đốc Bệnh viện Đa khoa Xanh Pôn",
    "Phó Giám đốc Bệnh viện Bạch Mai",
    "Hiệu trưởng Trường Đại học Thủ đô Hà Nội",
    "Giảng viên Trường Đại học Bách khoa Hà Nội",
    "Giảng viên Trường Đại học Quốc gia Hà Nội",
    "Chủ tịch Hiệp hội Doanh nghiệp nhỏ và vừa thành phố Hà Nội",
    "Luật sư, Đoàn Luật sư thành phố Hà Nội",
    "Nghệ sĩ nhân dân, Nhà hát Chèo Hà Nội",
    "Tổng Biên tập Báo Hà Nội mới",
    "Chủ tịch Liên minh Hợp tác xã thành phố Hà Nội",
)
CITY_OCCUPATION_TEMPLATES = (
    "Giám đốc {department}",
    "Phó Giám đốc {department}",
    "Bí thư Đảng ủy {commune}",
    "Chủ tịch UBND {commune}",
    "Chủ tịch HĐND {commune}",
    "Hiệu trưởng Trường Trung học phổ thông {place}",
    "Bác sĩ, Trung tâm Y tế khu vực {place}",
    "Giám đốc Công ty cổ phần Đầu tư {place}",
    "Chủ nhiệm Hợp tác xã nông nghiệp {place}",
)

# Occupations of commune delegates

COMMUNE_OCCUPATIONS = (
    "Bí thư Chi bộ {hamlet}",
    "Trưởng {hamlet}",
    "Giáo viên Trường Tiểu học {place}",
    "Giáo viên Trường Trung học cơ sở {place}",
    "Hiệu trưởng Trường Mầm non {place}",
    "Trạm trưởng Trạm Y tế {commune}",
    "Chủ tịch Hội Nông dân {commune}",
    "Chủ tịch Hội Cựu chiến binh {commune}",
    "Chủ tịch Hội Liên hiệp Phụ nữ {commune}",
    "Bí thư Đoàn Thanh niên {commune}",
    "Trưởng Công an {commune}",
    "Chỉ huy trưởng Ban Chỉ huy quân sự {commune}",
    "Công chức Văn phòng HĐND và UBND {commune}",
    "Chủ nhiệm Hợp tác xã {place}",
    "Kinh doanh, {place}",
    "Bác sĩ, Trung tâm Y tế khu vực {place}",
)
