import Foundation
import JobMatchCore
import Testing

@Suite("Message texts and their plain-ASCII form")
struct MessageTextTests {
    @Test("diacritics are stripped by decomposition, đ becomes d, punctuation gets its plain sign")
    func ascii() {
        #expect(AsciiText.fold("Nguyễn Thị Ánh Tuyết") == "Nguyen Thi Anh Tuyet")
        #expect(AsciiText.fold("Đường Trần Hưng Đạo, đồng") == "Duong Tran Hung Dao, dong")
        #expect(AsciiText.fold("Cần Thơ – Hậu Giang “mới” 6.500.000 ₫…") == "Can Tho - Hau Giang \"moi\" 6.500.000 d...")
        // The same text decomposed (as some keyboards send it) folds the same way.
        #expect(AsciiText.fold("Thợ hàn".decomposedStringWithCanonicalMapping) == "Tho han")
        for kind in self.everyKind(title: "Kỹ thuật viên điện lạnh", employer: "Công ty TNHH Thương mại Dịch vụ Đồng Tháp") {
            let plain = AsciiText.fold(kind)
            #expect(plain.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 }, "\(plain)")
        }
    }

    @Test("every kind fits one SMS, even with a long title and employer name, and keeps its date")
    func length() {
        let long = String(repeating: "Công ty Cổ phần Đầu tư Xây dựng ", count: 6)
        let texts = self.everyKind(title: long, employer: long)
        for text in texts {
            #expect(text.count <= MessageText.limit, "\(text.count): \(text)")
            #expect(text.hasPrefix(MessageText.sender + ":"))
        }
        #expect(texts[1].contains("05/03/2027") && texts[4].contains("20/04/2027"))
        #expect(MessageText.referral(title: "Thợ hàn", employer: "Công ty May Vị Thanh").contains("Thợ hàn tại Công ty May Vị Thanh"))
    }

    @Test("no text carries a CCCD-like number or a household status, whatever staff or employers typed")
    func nothingPersonal() {
        let cccd = "093190123456"
        let texts =
            self.everyKind(title: "Thợ may \(cccd) ưu tiên hộ nghèo", employer: "Công ty Hộ cận nghèo \(cccd)")
            + self.everyKind(title: "Lao động thu nhập thấp", employer: "CMND 123456789")
        for text in texts + texts.map(AsciiText.fold) {
            #expect(!text.contains(cccd) && !text.contains("123456789"), "\(text)")
            #expect(text.range(of: "[0-9]{9}", options: .regularExpression) == nil, "\(text)")
            let plain = AsciiText.fold(text).lowercased()
            #expect(!plain.contains("ngheo") && !plain.contains("thu nhap thap"), "\(text)")
        }
        #expect(texts[0].contains("vị trí việc làm tại doanh nghiệp"), "\(texts[0])")
    }

    /// One text of each kind (interview in its three outcomes).
    func everyKind(title: String, employer: String) -> [String] {
        let day = LocalDate("2027-03-05")!
        return [
            MessageText.referral(title: title, employer: employer),
            MessageText.interview(title: title, employer: employer, on: day, outcome: "passed"),
            MessageText.interview(title: title, employer: employer, on: day, outcome: "failed"),
            MessageText.interview(title: title, employer: employer, on: day, outcome: "no_show"),
            MessageText.jobFair(on: LocalDate("2027-04-20")!, place: employer, occupation: title),
            MessageText.followUp(months: 6, employer: employer),
        ]
    }
}
