import JobMatchCore

/// Writes the list's rows straight from their binary COPY bytes into CSV: byte for byte what
/// `PlacementExportRow.cells` gives `CSVTableWriter` (a test compares the two paths), without a
/// string for each cell; counts each row in the summary's breakdowns.
struct PlacementCSVRows {
    let fullCCCD: Bool
    /// Labels by code, escaped, as met: sex, household status, channel, contract type.
    private var sexes: [(code: [UInt8], label: [UInt8])] = []
    private var statuses: [(code: [UInt8], label: [UInt8])] = []
    private var channels: [(code: [UInt8], label: [UInt8])] = []
    private var contracts: [(code: [UInt8], label: [UInt8])] = []
    /// The label of a contract type not recorded, escaped.
    private let contractNotRecorded: [UInt8]

    init(fullCCCD: Bool) {
        self.fullCCCD = fullCCCD
        var escaped: [UInt8] = []
        CSVWriter.appendEscaped(ContractType.vietnamese(nil), to: &escaped)
        self.contractNotRecorded = escaped
    }

    /// Appends row `number` (`PlacementExport.rowsSQL`'s columns), without its line end.
    mutating func append(_ row: BinaryCopyRow, number: Int64, to out: inout [UInt8], breakdowns: inout Breakdowns) throws {
        guard let sex = row.field(2), let disabled = row.bool(5), let status = row.field(6), let channel = row.field(14), let start = row.field(15),
            let wardCode = row.text(7), let wardName = row.text(8)
        else { throw BinaryCopyReader.Malformed(description: "a required column of the placements is NULL") }
        let comma = UInt8(ascii: ",")
        out.append(contentsOf: String(number).utf8)
        out.append(comma)
        Self.text(row.field(0), to: &out)
        out.append(comma)
        if let year = row.integer(1) { out.append(contentsOf: String(year).utf8) }
        out.append(comma)
        out.append(contentsOf: Self.label(sex, in: &self.sexes, PlacementExportRow.sexLabel))
        out.append(comma)
        Self.text(row.field(3), to: &out)
        out.append(comma)
        if let cccd = row.text(4) { CSVWriter.appendEscaped(self.fullCCCD ? cccd : CitizenID.masked(cccd), to: &out) }
        out.append(comma)
        out.append(contentsOf: (disabled ? "Có" : "Không").utf8)
        out.append(comma)
        out.append(contentsOf: Self.label(status, in: &self.statuses, PlacementExportRow.statusLabel))
        for index in 7...13 {
            out.append(comma)
            Self.text(row.field(index), to: &out)
        }
        out.append(comma)
        out.append(contentsOf: Self.label(channel, in: &self.channels, PlacementExportRow.channelLabel))
        out.append(comma)
        Self.date(start, to: &out)
        out.append(comma)
        if let wage = row.integer(16) { out.append(contentsOf: String(wage).utf8) }
        out.append(comma)
        let contract = row.field(17)
        if let contract {
            out.append(contentsOf: Self.label(contract, in: &self.contracts) { ContractType.vietnamese($0) })
        } else {
            out.append(contentsOf: self.contractNotRecorded)
        }
        out.append(comma)
        if let end = row.text(18).flatMap(LocalDate.init) { CSVTableWriter.appendDate(end, to: &out) }
        breakdowns.count(
            district: row.text(9),
            ward: wardCode,
            wardName: wardName,
            status: String(decoding: status, as: UTF8.self),
            sex: String(decoding: sex, as: UTF8.self),
            channel: String(decoding: channel, as: UTF8.self),
            market: row.text(13),
            disabled: disabled,
            ethnicity: row.text(3),
            contract: contract.map { String(decoding: $0, as: UTF8.self) }
        )
    }

    /// YYYY-MM-DD (a date's text) as dd/mm/yyyy, as `CSVTableWriter` writes a date; other text as it is.
    private static func date(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            let date = LocalDate(String(decoding: text, as: UTF8.self))
        {
            CSVTableWriter.appendDate(date, to: &out)
        } else {
            CSVWriter.appendEscaped(text, to: &out)
        }
    }

    private static func text(_ bytes: UnsafeRawBufferPointer?, to out: inout [UInt8]) {
        if let bytes { CSVWriter.appendEscaped(bytes, to: &out) }
    }

    /// The escaped label of `code`, worked out by `label` the first time the code is met.
    private static func label(
        _ code: UnsafeRawBufferPointer,
        in known: inout [(code: [UInt8], label: [UInt8])],
        _ label: (String) -> String
    ) -> [UInt8] {
        if let found = known.first(where: { $0.code.elementsEqual(code) }) { return found.label }
        var escaped: [UInt8] = []
        CSVWriter.appendEscaped(label(String(decoding: code, as: UTF8.self)), to: &escaped)
        known.append((Array(code), escaped))
        return escaped
    }
}
