import JobMatchCore
import Testing

@Suite("Worker import parser")
struct WorkerImportParserTests {
    let parser = WorkerImportParser(today: LocalDate("2026-11-28")!)

    @Test("reads a Vietnamese header with dd/mm/yyyy dates and Vietnamese values")
    func vietnameseHeader() {
        let text = """
            Họ và tên,Số CCCD,Ngày sinh,Giới tính,Mã xã/phường,Mã hộ,Chủ hộ,Tình trạng hộ,Hiệu lực từ,Mã nghề
            Nguyễn Văn An,093090000001,01/05/1990,Nam,31321,HG-001,Nguyễn Văn An,Hộ nghèo,01/01/2026,7212;8121
            """
        let result = parser.parse(text)
        #expect(result.errors.isEmpty)
        #expect(result.rows.count == 1)
        let row = result.rows[0]
        #expect(row.birthDate == LocalDate("1990-05-01") && row.sex == .male && row.householdStatus == .poor)
        #expect(row.occupationCodes == ["7212", "8121"])
        #expect(row.line == 2)
    }

    @Test("an old CMND column is read as the secondary identifier and checked")
    func oldIdentityCard() {
        let text = """
            Họ và tên,Số CMND,Ngày sinh,Giới tính,Mã xã/phường
            Nguyễn Văn An,361234567,01/05/1990,Nam,31321
            Nguyễn Văn Ba,3612345,01/05/1991,Nam,31321
            """
        let result = parser.parse(text)
        #expect(result.rows.map(\.cmnd) == ["361234567"])
        #expect(result.errors.map { "\($0.line):\($0.column)" } == ["3:cmnd"])
    }

    @Test("every bad cell is named with its line and column; good rows are kept")
    func cellErrors() {
        let text = """
            full_name,cccd,birth_date,sex,ward_code,phone
            Trần Thị Bình,093190000002,1990-05-01,female,31321,0912345678
            ,093091000003,1990-05-01,x,3132,12
            Lê Văn C,093090000004,2020-01-01,male,31321,
            Trần Thị Bình,093190000002,1990-05-01,female,31321,
            """
        let result = parser.parse(text)
        #expect(result.rows.map(\.line) == [2])
        let found = Set(result.errors.map { "\($0.line):\($0.column)" })
        #expect(found == ["3:full_name", "3:sex", "3:ward_code", "3:phone", "4:birth_date", "4:cccd", "5:cccd"])
    }

    @Test("a missing required column or an unknown one is a file-level error")
    func headerErrors() {
        let result = parser.parse("full_name,birth_date,colour\nA,1990-01-01,red\n")
        #expect(result.rows.isEmpty)
        #expect(Set(result.errors.map(\.column)) == ["colour", "sex", "ward_code"])
        #expect(result.errors.allSatisfy { $0.line == 1 })
    }

    @Test("the error column of our own error file is ignored, and formula apostrophes are undone")
    func reimport() {
        let text = "full_name,birth_date,sex,ward_code,phone,Lỗi\nTrần Thị Bình,1990-05-01,Nữ,31321,'+84912345678,phone: sai\n"
        let result = parser.parse(text)
        #expect(result.errors.isEmpty)
        #expect(result.rows.first?.phone == "0912345678")
    }
}
