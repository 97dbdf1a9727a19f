import Foundation
import JobMatchCore
import Testing

@Suite("Citizen ID, tax code and phone validation")
struct ValidationTests {
    let born1990 = LocalDate(year: 1990, month: 5, day: 1)!
    let born2003 = LocalDate(year: 2003, month: 2, day: 1)!

    @Test("a CCCD consistent with birth year and sex is accepted")
    func validCCCD() throws {
        #expect(try CitizenID.validate("093090123456", birthDate: born1990, sex: .male) == "093090123456")
        #expect(try CitizenID.validate("093 190 123 456", birthDate: born1990, sex: .female) == "093190123456")
        #expect(try CitizenID.validate("001303000001", birthDate: born2003, sex: .female) == "001303000001")
    }

    @Test("a CCCD with the wrong length, province, year or sex is refused with a Vietnamese message")
    func invalidCCCD() {
        let cases: [(String, Sex, String)] = [
            ("09309012345", .male, "12 chữ số"),
            ("09309012345a", .male, "12 chữ số"),
            ("003090123456", .male, "mã tỉnh"),
            ("093091123456", .male, "năm sinh 1991"),
            ("093190123456", .male, "giới tính Nữ"),
            ("093290123456", .male, "năm sinh 2090"),
        ]
        for (cccd, sex, fragment) in cases {
            #expect {
                try CitizenID.validate(cccd, birthDate: born1990, sex: sex)
            } throws: { error in
                guard let error = error as? FieldError else { return false }
                return error.field == "cccd" && error.message.contains(fragment)
            }
        }
    }

    @Test("the old 9-digit CMND is accepted only in its own field; in the CCCD field it says where it belongs")
    func oldIdentityCard() throws {
        #expect(try CitizenID.validateOldID(" 361 234 567 ") == "361234567")
        #expect(throws: FieldError.self) { try CitizenID.validateOldID("36123456") }
        #expect(throws: FieldError.self) { try CitizenID.validateOldID("093190123456") }
        #expect {
            try CitizenID.validate("361234567", birthDate: born1990, sex: .male)
        } throws: { error in
            (error as? FieldError)?.message.contains("CMND") == true && (error as? FieldError)?.field == "cccd"
        }
    }

    @Test("the 63 CCCD province codes are exactly the legacy GSO provinces")
    func provinceCodes() {
        #expect(CitizenID.provinceCodes.count == 63)
        #expect(CitizenID.provinceCodes.contains("093"))
        #expect(CitizenID.masked("093090123456") == "0930******56")
    }

    @Test("tax codes need their check digit; branches add -NNN")
    func taxCodes() throws {
        #expect(try TaxCode.validate("0100109106") == "0100109106")
        #expect(try TaxCode.validate("0100109106-001") == "0100109106-001")
        #expect(throws: FieldError.self) { try TaxCode.validate("0100109107") }
        #expect(throws: FieldError.self) { try TaxCode.validate("010010910") }
        #expect(throws: FieldError.self) { try TaxCode.validate("0100109106-01") }
        #expect(throws: FieldError.self) { try TaxCode.validate("0100109106-001-002") }
    }

    @Test("mobile numbers normalise to 0XXXXXXXXX")
    func phones() throws {
        #expect(try PhoneNumber.normalize("+84 912 345 678") == "0912345678")
        #expect(try PhoneNumber.normalize("84912345678") == "0912345678")
        #expect(try PhoneNumber.normalize("0912.345.678") == "0912345678")
        #expect(throws: FieldError.self) { try PhoneNumber.normalize("0212345678") }
        #expect(throws: FieldError.self) { try PhoneNumber.normalize("091234567") }
    }

    @Test("names are NFC, trimmed and single-spaced")
    func names() throws {
        let decomposed = "Nguye\u{302}\u{303}n  Va\u{306}n   An "
        let clean = try CleanText.required(decomposed, field: "full_name", label: "Họ và tên")
        #expect(clean == "Nguyễn Văn An")
        #expect(Array(clean.unicodeScalars) == Array("Nguyễn Văn An".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(throws: FieldError.self) { try CleanText.required("   ", field: "full_name", label: "Họ và tên") }
        #expect(throws: FieldError.self) { try CleanText.required(String(repeating: "a", count: 151), field: "full_name", label: "Họ và tên") }
    }

    @Test("dates parse strictly and know real days")
    func dates() {
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2023-2-01") == nil)
        #expect(LocalDate("2023-13-01") == nil)
        #expect(LocalDate("1990-05-01")!.age(on: LocalDate("2008-04-30")!) == 17)
        #expect(LocalDate("1990-05-01")!.age(on: LocalDate("2008-05-01")!) == 18)
        #expect(Month("2026-12")!.endExclusive == LocalDate("2027-01-01"))
        #expect(CountryCode.isAssigned("JP") && CountryCode.isAssigned("TW") && !CountryCode.isAssigned("XX"))
    }
}
