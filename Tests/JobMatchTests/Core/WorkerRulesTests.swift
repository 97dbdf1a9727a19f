import JobMatchCore
import Testing

@Suite("Worker rules and value ranges")
struct WorkerRulesTests {
    let today = LocalDate("2026-11-28")!

    @Test("working age is 15 to 100 on the day, both ends included; outside it the age found is named")
    func workingAge() throws {
        try WorkerRules.checkBirth(LocalDate("2011-11-28")!, today: today)
        try WorkerRules.checkBirth(LocalDate("1926-11-29")!, today: today)
        #expect(throws: FieldError(field: "birth_date", message: "Người lao động phải từ 15 đến 100 tuổi (tuổi theo ngày sinh: 14).")) {
            try WorkerRules.checkBirth(LocalDate("2011-11-29")!, today: today)
        }
        #expect(throws: FieldError(field: "birth_date", message: "Người lao động phải từ 15 đến 100 tuổi (tuổi theo ngày sinh: 101).")) {
            try WorkerRules.checkBirth(LocalDate("1925-11-28")!, today: today)
        }
        #expect(throws: FieldError(field: "birth_date", message: "Ngày sinh phải là một ngày trong quá khứ.")) {
            try WorkerRules.checkBirth(today, today: today)
        }
    }

    @Test("ward codes are five digits, occupation codes one to four, legacy districts three")
    func codeFormats() throws {
        #expect(try WorkerRules.wardCode("31321", field: "ward_code") == "31321")
        #expect(try WorkerRules.occupationCode("7", field: "o") == "7")
        #expect(try WorkerRules.occupationCode("7212", field: "o") == "7212")
        #expect(try WorkerRules.legacyDistrictCode("930", field: "d") == "930")
        for bad in ["3132", "313210", "3132a", "３１３２１"] {
            #expect(throws: FieldError(field: "legacy_ward_code", message: "Mã xã/phường phải gồm đúng 5 chữ số (ví dụ 31321).")) {
                try WorkerRules.wardCode(bad, field: "legacy_ward_code")
            }
        }
        for bad in ["", "72121", "7a"] {
            #expect(throws: FieldError(field: "occupation_codes[1]", message: "Mã nghề phải gồm 1 đến 4 chữ số theo ISCO-08/VSCO 2020.")) {
                try WorkerRules.occupationCode(bad, field: "occupation_codes[1]")
            }
        }
        #expect(throws: FieldError(field: "d", message: "Mã huyện cũ phải gồm đúng 3 chữ số (ví dụ 930).")) {
            try WorkerRules.legacyDistrictCode("93", field: "d")
        }
    }

    @Test("a record needs a 2025 ward or a legacy ward; either alone is enough")
    func wardOrLegacyWard() throws {
        let wardOnly = try WorkerRules.place(ward: "31321", legacyWard: nil)
        #expect(wardOnly.ward == "31321" && wardOnly.legacyWard == nil)
        let legacyOnly = try WorkerRules.place(ward: nil, legacyWard: "31150")
        #expect(legacyOnly.ward == nil && legacyOnly.legacyWard == "31150")
        #expect(throws: FieldError(field: "ward_code", message: "Cần mã xã/phường (2025) hoặc mã xã cũ.")) {
            try WorkerRules.place(ward: nil, legacyWard: nil)
        }
        #expect(throws: FieldError(field: "legacy_ward_code", message: "Mã xã/phường phải gồm đúng 5 chữ số (ví dụ 31321).")) {
            try WorkerRules.place(ward: "31321", legacyWard: "311")
        }
    }

    @Test("a value range names the field; a band also refuses an upper limit below the lower")
    func valueRange() throws {
        let wage = ValueRange<Int64>.monthlyWage
        #expect(try wage.check(0, field: "wage_min") == 0)
        #expect(try wage.check(ifPresent: nil, field: "wage_min") == nil)
        #expect(throws: FieldError(field: "wage_vnd", message: "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")) {
            try wage.check(1_000_000_001, field: "wage_vnd")
        }
        let age = ValueRange<Int>.workingAge
        try age.checkBand(low: 15, lowField: "min_age", high: 100, highField: "max_age", orderMessage: "x")
        #expect(throws: FieldError(field: "min_age", message: "Độ tuổi phải từ 15 đến 100 (tuổi lao động theo Bộ luật Lao động).")) {
            try age.checkBand(low: 14, lowField: "min_age", high: 30, highField: "max_age", orderMessage: "x")
        }
        #expect(throws: FieldError(field: "max_age", message: "Tuổi tối đa phải không nhỏ hơn tuổi tối thiểu.")) {
            try age.checkBand(
                low: 40,
                lowField: "min_age",
                high: 30,
                highField: "max_age",
                orderMessage: "Tuổi tối đa phải không nhỏ hơn tuổi tối thiểu."
            )
        }
        #expect(WorkerRules.workingAge == age.bounds)
    }
}
