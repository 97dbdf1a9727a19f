import JobMatchCore
import Logging
import PostgresNIO

/// The summary's breakdowns of an export's rows, counted as the rows stream past, by codes
/// (ASCII hashes fast); `counts` gives them with the labels clerks read.
struct Breakdowns {
    private(set) var districts: [String: Int64] = [:]
    private(set) var wards: [String: Int64] = [:]
    private(set) var wardNames: [String: String] = [:]
    private(set) var statuses: [String: Int64] = [:]
    private(set) var sexes: [String: Int64] = [:]
    private(set) var channels: [String: Int64] = [:]
    private(set) var markets: [String: Int64] = [:]
    private(set) var disabilities: [Bool: Int64] = [:]
    /// By ethnicity as stored (one of the 54 names, or empty), told apart as minority or not when read.
    private(set) var ethnicities: [String: Int64] = [:]
    /// By stored contract type ("-" when not recorded), labelled when read.
    private(set) var contracts: [String: Int64] = [:]

    mutating func count(
        district: String?,
        ward: String,
        wardName: String,
        status: String,
        sex: String,
        channel: String,
        market: String?,
        disabled: Bool,
        ethnicity: String?,
        contract: String?
    ) {
        self.districts[district ?? "Không xác định", default: 0] += 1
        if self.wards[ward, default: 0] == 0 { self.wardNames[ward] = wardName }
        self.wards[ward, default: 0] += 1
        self.statuses[status, default: 0] += 1
        self.sexes[sex, default: 0] += 1
        self.channels[channel, default: 0] += 1
        if let market { self.markets[market, default: 0] += 1 }
        self.disabilities[disabled, default: 0] += 1
        self.ethnicities[ethnicity ?? "", default: 0] += 1
        self.contracts[contract ?? "-", default: 0] += 1
    }

    /// Counts by key, for a dimension of `PlacementExportSummary.dimensions`, ordered by key.
    func counts(_ dimension: String) -> [(key: String, count: Int64)] {
        let table: [String: Int64]
        switch dimension {
        case "district": table = self.districts
        case "ward": return self.wards.sorted { $0.key < $1.key }.map { ("\($0.key) - \(self.wardNames[$0.key] ?? "")", $0.value) }
        case "status": table = Self.relabelled(self.statuses) { (HouseholdStatus(rawValue: $0) ?? .none).vietnamese }
        case "sex": table = Self.relabelled(self.sexes) { (Sex(rawValue: $0) ?? .male).vietnamese }
        case "channel": table = Self.relabelled(self.channels) { PlacementLedger.Channel(rawValue: $0)?.vietnamese ?? $0 }
        case "disability": table = Self.relabelled(self.disabilities) { $0 ? "Người khuyết tật" : "Không khuyết tật" }
        case "ethnic":
            table = Self.relabelled(self.ethnicities) { name in
                name.isEmpty ? "Chưa ghi nhận" : MatchingRules.isEthnicMinority(name) ? "Dân tộc thiểu số" : "Kinh"
            }
        case "contract": table = Self.relabelled(self.contracts) { ContractType.vietnamese($0 == "-" ? nil : $0) }
        default: table = self.markets
        }
        return table.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func relabelled<Key>(_ counts: [Key: Int64], _ label: (Key) -> String) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for (code, count) in counts { result[label(code), default: 0] += count }
        return result
    }
}
