"""What the demo's voters ask, by field: templates filled with Hanoi's streets and wards.
Made up, in the style of the city's published syntheses of voters' petitions."""

# field code → (title template, text template). {street}, {ward}, {n} are filled in.
ISSUES: dict[str, list[tuple[str, str]]] = {
    "giao-thong": [
        (
            "Cải tạo, nâng cấp mặt đường phố {street}",
            "Cử tri {ward} phản ánh mặt đường phố {street} xuống cấp, nhiều ổ gà, "
            "mưa to thường xuyên ngập úng; đề nghị Thành phố sớm cải tạo, nâng cấp.",
        ),
        (
            "Lắp đặt đèn tín hiệu giao thông tại nút giao {street}",
            "Nút giao {street} thường xuyên ùn tắc giờ cao điểm, đã xảy ra nhiều va chạm; "
            "cử tri đề nghị lắp đặt đèn tín hiệu và tổ chức lại giao thông.",
        ),
        (
            "Xử lý tình trạng lấn chiếm vỉa hè phố {street}",
            "Vỉa hè phố {street} bị lấn chiếm làm nơi kinh doanh, để xe, người đi bộ phải đi "
            "xuống lòng đường; đề nghị chính quyền xử lý dứt điểm.",
        ),
        (
            "Bổ sung tuyến xe buýt kết nối {ward}",
            "Cử tri {ward} đề nghị bổ sung tuyến xe buýt kết nối với các tuyến đường sắt "
            "đô thị, tăng tần suất chuyến vào giờ cao điểm.",
        ),
    ],
    "quy-hoach-xay-dung": [
        (
            "Công khai quy hoạch chi tiết khu vực {ward}",
            "Cử tri đề nghị công khai quy hoạch chi tiết tỷ lệ 1/500 khu vực {ward}, "
            "làm rõ lộ giới tuyến đường {street} để người dân yên tâm xây dựng, sửa chữa nhà.",
        ),
        (
            "Đẩy nhanh tiến độ cải tạo chung cư cũ trên phố {street}",
            "Khu chung cư cũ trên phố {street} xuống cấp nghiêm trọng, nguy hiểm; cử tri đề nghị "
            "Thành phố đẩy nhanh tiến độ cải tạo, xây dựng lại.",
        ),
        (
            "Xử lý công trình xây dựng sai phép tại phố {street}",
            "Cử tri phản ánh công trình xây dựng vượt số tầng được cấp phép tại phố {street}; "
            "đề nghị kiểm tra, xử lý nghiêm theo quy định.",
        ),
    ],
    "dat-dai": [
        (
            "Cấp giấy chứng nhận quyền sử dụng đất cho các hộ tại {ward}",
            "Nhiều hộ gia đình tại {ward} sử dụng đất ổn định từ trước năm 1993 nhưng "
            "chưa được cấp giấy chứng nhận; đề nghị tháo gỡ vướng mắc, sớm cấp giấy.",
        ),
        (
            "Giải quyết bồi thường giải phóng mặt bằng dự án mở rộng đường {street}",
            "Cử tri có đất bị thu hồi để mở rộng đường {street} đề nghị công khai phương án "
            "bồi thường, hỗ trợ, tái định cư và chi trả dứt điểm.",
        ),
    ],
    "moi-truong": [
        (
            "Xử lý ô nhiễm mùi từ hệ thống thoát nước trên phố {street}",
            "Hệ thống thoát nước trên phố {street} bốc mùi hôi thối, ảnh hưởng sức khỏe người "
            "dân; cử tri đề nghị nạo vét, cải tạo.",
        ),
        (
            "Thu gom rác thải đúng giờ tại {ward}",
            "Rác thải sinh hoạt tại các ngõ {ward} chậm được thu gom, tồn đọng qua đêm; "
            "đề nghị điều chỉnh giờ thu gom và xử lý điểm tập kết rác.",
        ),
        (
            "Trồng bổ sung cây xanh trên tuyến phố {street}",
            "Cử tri đề nghị trồng bổ sung cây xanh tại các vị trí cây bị gãy đổ sau bão trên "
            "tuyến phố {street}.",
        ),
    ],
    "dien-nuoc": [
        (
            "Bảo đảm cấp nước sạch ổn định cho {ward}",
            "Mùa hè nhiều hộ dân {ward} bị mất nước kéo dài, áp lực nước yếu; cử tri "
            "đề nghị bảo đảm cấp nước sạch ổn định.",
        ),
        (
            "Sửa chữa hệ thống chiếu sáng ngõ phố {street}",
            "Hệ thống đèn chiếu sáng các ngõ trên phố {street} hư hỏng nhiều tháng, mất an "
            "toàn khi đi lại ban đêm; đề nghị sửa chữa.",
        ),
    ],
    "giao-duc": [
        (
            "Xây dựng thêm trường mầm non công lập tại {ward}",
            "Số trẻ trong độ tuổi mầm non tại {ward} tăng nhanh, trường công lập quá tải; "
            "cử tri đề nghị Thành phố đầu tư xây dựng thêm trường.",
        ),
        (
            "Công khai các khoản thu đầu năm học tại {ward}",
            "Cử tri đề nghị các trường trên địa bàn {ward} công khai, minh bạch các khoản "
            "thu đầu năm học, chấm dứt tình trạng lạm thu.",
        ),
    ],
    "y-te": [
        (
            "Nâng cấp trạm y tế {ward}",
            "Trạm y tế {ward} xuống cấp, thiếu trang thiết bị; cử tri đề nghị nâng cấp "
            "để người dân được khám chữa bệnh ban đầu thuận lợi.",
        ),
        (
            "Kiểm tra an toàn thực phẩm tại chợ {street}",
            "Cử tri đề nghị tăng cường kiểm tra an toàn thực phẩm tại khu chợ {street}, xử lý "
            "hàng hóa không rõ nguồn gốc.",
        ),
    ],
    "lao-dong-xa-hoi": [
        (
            "Giải quyết chế độ cho người có công tại {ward}",
            "Một số người có công với cách mạng tại {ward} chưa được giải quyết chế độ "
            "do thất lạc hồ sơ; đề nghị xem xét, giải quyết.",
        ),
        (
            "Hỗ trợ người lao động mất việc làm tại {ward}",
            "Cử tri đề nghị có chính sách hỗ trợ đào tạo nghề, giới thiệu việc làm cho người "
            "lao động mất việc tại {ward}.",
        ),
    ],
    "van-hoa-the-thao": [
        (
            "Bố trí quỹ đất xây dựng nhà văn hóa tổ dân phố tại {ward}",
            "Nhiều tổ dân phố của {ward} chưa có nhà văn hóa; đề nghị bố trí quỹ đất "
            "để xây dựng nơi sinh hoạt cộng đồng.",
        ),
    ],
    "an-ninh-trat-tu": [
        (
            "Xử lý tình trạng đua xe trái phép trên đường {street}",
            "Ban đêm thường có nhóm thanh niên đua xe, lạng lách trên đường {street}; cử tri "
            "đề nghị lực lượng công an tăng cường tuần tra, xử lý.",
        ),
        (
            "Bảo đảm phòng cháy chữa cháy trong các ngõ nhỏ phố {street}",
            "Các ngõ nhỏ trên phố {street} xe chữa cháy không vào được; cử tri đề nghị lắp "
            "đặt trụ nước, bình chữa cháy và phương án phòng cháy.",
        ),
    ],
    "noi-vu": [
        (
            "Ổn định tổ chức bộ máy sau sắp xếp đơn vị hành chính tại {ward}",
            "Sau sắp xếp đơn vị hành chính, cử tri {ward} đề nghị sớm ổn định trụ sở, "
            "bố trí bộ phận một cửa thuận tiện cho người dân.",
        ),
    ],
    "tu-phap": [
        (
            "Rút ngắn thời gian giải quyết thủ tục hành chính tại {ward}",
            "Cử tri phản ánh một số thủ tục đất đai, hộ tịch tại {ward} còn chậm; đề "
            "nghị rút ngắn thời gian giải quyết, tăng cường dịch vụ công trực tuyến.",
        ),
    ],
    "kinh-te-ngan-sach": [
        (
            "Bố trí vốn cho dự án cải tạo chợ {street}",
            "Dự án cải tạo chợ {street} đã được phê duyệt nhưng chưa bố trí vốn; cử tri đề nghị "
            "Thành phố ưu tiên bố trí vốn đầu tư công.",
        ),
    ],
    "khoa-hoc-cong-nghe": [
        (
            "Nâng cao chất lượng dịch vụ công trực tuyến",
            "Cử tri đề nghị khắc phục tình trạng hệ thống dịch vụ công trực tuyến hay bị lỗi, "
            "hướng dẫn người cao tuổi sử dụng ứng dụng iHanoi.",
        ),
    ],
}

# How the office words it when several voters raised the same issue.
COMPLAINT_TEXTS = [
    "Tôi khiếu nại quyết định thu hồi đất số 1234/QĐ-UBND của phường vì áp giá bồi thường "
    "không đúng, đề nghị xem xét lại.",
    "Tố cáo cán bộ địa chính phường nhận tiền của người dân để làm nhanh hồ sơ.",
]
FIELD_REPORT_TEXTS = [
    "Cột điện trước số nhà 45 phố {street} bị nghiêng, nguy cơ đổ, đề nghị xử lý ngay.",
]

ANSWER_TEXTS = {
    "resolved": "Đơn vị đã kiểm tra, triển khai thực hiện và hoàn thành trong tháng {month}/2026. "
    "Kết quả đã được thông báo tới Ủy ban nhân dân phường và cử tri.",
    "in_progress": "Nội dung kiến nghị đã được đưa vào kế hoạch năm 2026–2027; đơn vị đang "
    "hoàn thiện hồ sơ, thủ tục đầu tư và tổ chức thực hiện theo lộ trình.",
    "will_resolve": "Nội dung kiến nghị là chính đáng; đơn vị sẽ đề xuất bố trí nguồn lực "
    "trong kế hoạch đầu tư công trung hạn giai đoạn 2026–2030.",
    "explained": "Nội dung cử tri phản ánh đã được giải quyết theo đúng quy định pháp luật; "
    "đơn vị cung cấp thông tin để cử tri được biết.",
}
ROADMAP = (
    "Quý I/2027 hoàn thành hồ sơ, thủ tục; quý III/2027 thi công; nguồn vốn ngân sách thành phố."
)
UNSATISFACTORY_COMMENTS = [
    "Trả lời chung chung, chưa nêu rõ thời hạn hoàn thành và nguồn lực thực hiện.",
    "Cơ quan trả lời chưa đúng nội dung cử tri kiến nghị về tiến độ bồi thường.",
    "Nội dung thuộc thẩm quyền của Sở khác, đề nghị chuyển đúng cơ quan chủ trì.",
]
