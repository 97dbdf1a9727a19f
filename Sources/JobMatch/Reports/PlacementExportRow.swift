import JobMatchCore
import PostgresNIO

/// One counted placement of an export's list as the rows query gives it (`PlacementExport.rowsSQL`),
/// read through PostgresNIO or from binary COPY; it writes itself as cells and counts itself in
/// the summary's breakdowns.
struct PlacementExportRow {
    let name: String
    let birthYear: Int64?
    let sex: String
    let ethnicity: String?
    let cccd: String?
    let disabled: Bool
    let status: String
    let wardCode: String
    let wardName: String
    let district: String?
    let occupation: String?
    let occupationTitle: String?
    let enterprise: String?
    let country: String?
    let channel: String
    let start: String
    let wage: Int64?
    let contract: String?
    let contractEnd: String?

    /// The rows query's column of the counting date (`YYYY-MM-DD`).
    static let countingDateColumn = 15

    /// The list's words for a row's codes (also written by `PlacementCSVRows`).
    static func sexLabel(_ code: String) -> String { (Sex(rawValue: code) ?? .male).vietnamese }
    static func statusLabel(_ code: String) -> String { (HouseholdStatus(rawValue: code) ?? .none).vietnamese }
    static func channelLabel(_ code: String) -> String { PlacementLedger.Channel(rawValue: code)?.vietnamese ?? code }

    /// Counts this row in the summary's breakdowns.
    func count(in breakdowns: inout Breakdowns) {
        breakdowns.count(
            district: self.district,
            ward: self.wardCode,
            wardName: self.wardName,
            status: self.status,
            sex: self.sex,
            channel: self.channel,
            market: self.country,
            disabled: self.disabled,
            ethnicity: self.ethnicity,
            contract: self.contract
        )
    }

    /// The row's cells, numbered `number`, CCCD whole or masked.
    func cells(number: Int64, fullCCCD: Bool) -> [TableCell] {
        let statusLabel = Self.statusLabel(self.status)
        let sexLabel = Self.sexLabel(self.sex)
        let channelLabel = Self.channelLabel(self.channel)
        return [
            .integer(number), .text(self.name), .integer(self.birthYear), .text(sexLabel),
            .text(self.ethnicity), .text(self.cccd.map { fullCCCD ? $0 : CitizenID.masked($0) }), .text(self.disabled ? "Có" : "Không"),
            .text(statusLabel), .text(self.wardCode), .text(self.wardName), .text(self.district),
            .text(self.occupation), .text(self.occupationTitle), .text(self.enterprise), .text(self.country),
            .text(channelLabel), LocalDate(self.start).map { .date($0) } ?? .text(self.start), .integer(self.wage),
            .text(ContractType.vietnamese(self.contract)), self.contractEnd.flatMap(LocalDate.init).map { .date($0) } ?? .empty,
        ]
    }
}

/// The decoding initialisers, apart so that the struct keeps its memberwise one.
extension PlacementExportRow {
    /// From a row of the rows query.
    init(_ row: PostgresRow) throws {
        let (
            name, birthYear, sex, ethnicity, cccd, disabled, status, wardCode, wardName, district, occupation, occupationTitle,
            enterprise, country, channel, start, wage, contract, contractEnd
        ) =
            try row.decode(
                (
                    String, Int?, String, String?, String?, Bool, String, String, String, String?, String?, String?,
                    String?, String?, String, String, Int64?, String?, String?
                ).self
            )
        self.init(
            name: name,
            birthYear: birthYear.map(Int64.init),
            sex: sex,
            ethnicity: ethnicity,
            cccd: cccd,
            disabled: disabled,
            status: status,
            wardCode: wardCode,
            wardName: wardName,
            district: district,
            occupation: occupation,
            occupationTitle: occupationTitle,
            enterprise: enterprise,
            country: country,
            channel: channel,
            start: start,
            wage: wage,
            contract: contract,
            contractEnd: contractEnd
        )
    }

    /// From a tuple of the rows query's binary COPY.
    init(_ row: BinaryCopyRow) throws {
        guard let name = row.text(0), let sex = row.text(2), let disabled = row.bool(5), let status = row.text(6), let wardCode = row.text(7),
            let wardName = row.text(8), let channel = row.text(14), let start = row.text(15)
        else { throw BinaryCopyReader.Malformed(description: "a required column of the placements is NULL") }
        self.init(
            name: name,
            birthYear: row.integer(1),
            sex: sex,
            ethnicity: row.text(3),
            cccd: row.text(4),
            disabled: disabled,
            status: status,
            wardCode: wardCode,
            wardName: wardName,
            district: row.text(9),
            occupation: row.text(10),
            occupationTitle: row.text(11),
            enterprise: row.text(12),
            country: row.text(13),
            channel: channel,
            start: start,
            wage: row.integer(16),
            contract: row.text(17),
            contractEnd: row.text(18)
        )
    }
}
