"""The standard fields of work (lĩnh vực) used in Hanoi's petition reports. Reference data:
a council may add more in the admin; codes are stable because Open311 clients use them."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FIELDS = [
    ("dat-dai", "Đất đai", "Giao đất, cấp giấy chứng nhận, bồi thường, giải phóng mặt bằng"),
    ("quy-hoach-xay-dung", "Quy hoạch, xây dựng", "Quy hoạch, cấp phép, trật tự xây dựng, nhà ở"),
    ("giao-thong", "Giao thông", "Đường, cầu, hè phố, tín hiệu, vận tải công cộng"),
    ("moi-truong", "Tài nguyên và môi trường", "Rác thải, ô nhiễm, thoát nước, cây xanh"),
    ("dien-nuoc", "Điện, nước sạch", "Cấp điện, chiếu sáng, cấp nước sạch"),
    ("nong-nghiep", "Nông nghiệp và nông thôn", "Thủy lợi, đê điều, nông thôn mới"),
    ("kinh-te-ngan-sach", "Kinh tế, tài chính, ngân sách", "Đầu tư công, thuế, phí, doanh nghiệp"),
    ("giao-duc", "Giáo dục và đào tạo", "Trường lớp, giáo viên, tuyển sinh"),
    ("y-te", "Y tế", "Khám chữa bệnh, bảo hiểm y tế, an toàn thực phẩm"),
    ("lao-dong-xa-hoi", "Lao động, chính sách xã hội", "Việc làm, người có công, bảo trợ xã hội"),
    ("van-hoa-the-thao", "Văn hóa, thể thao, du lịch", "Di tích, thiết chế văn hóa, lễ hội"),
    ("an-ninh-trat-tu", "An ninh, trật tự", "Trật tự công cộng, phòng cháy chữa cháy"),
    ("noi-vu", "Nội vụ, tổ chức bộ máy", "Sắp xếp đơn vị hành chính, cán bộ, chế độ"),
    ("tu-phap", "Tư pháp, hành chính công", "Thủ tục hành chính, hộ tịch, chứng thực"),
    ("khoa-hoc-cong-nghe", "Khoa học, công nghệ, chuyển đổi số", "Dịch vụ công trực tuyến, viễn thông"),
    ("khac", "Lĩnh vực khác", ""),
]


def add_fields(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    field_model = apps.get_model("petitions", "Field")
    for order, (code, name, description) in enumerate(FIELDS, start=1):
        field_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(add_fields, migrations.RunPython.noop)]
