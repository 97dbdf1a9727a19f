import Foundation
import Testing

@testable import JobMatch

@Suite("HOME_PROVINCE: one or several legacy provinces, or a 2025 province")
struct HomeTerritoryTests {
    @Test("parses one code, a list, or a 2025 province; refuses anything else")
    func parsing() {
        #expect(HomeTerritory(parsing: "93") == HomeTerritory(legacyProvinces: ["93"]))
        #expect(HomeTerritory(parsing: "92, 93,94") == HomeTerritory(legacyProvinces: ["92", "93", "94"]))
        #expect(HomeTerritory(parsing: "2025:92") == HomeTerritory(legacyProvinces: [], provinces2025: ["92"]))
        for bad in ["", "9", "093", "Hậu Giang", "2025:", "93,,x", "2024:92"] { #expect(HomeTerritory(parsing: bad) == nil, "\(bad)") }
    }

    @Test("the merged Cần Thơ's forms offer the wards of old Cần Thơ, Hậu Giang and Sóc Trăng; Hậu Giang's alone only its own")
    func wards() async throws {
        let database = try await TestCluster.freshDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            let service = WorkerService(client: client)
            let merged = try await service.homeWards(try #require(HomeTerritory(parsing: "2025:92")), logger: TestCluster.logger)
            let listed = try await service.homeWards(try #require(HomeTerritory(parsing: "92,93,94")), logger: TestCluster.logger)
            let alone = try await service.homeWards(HomeTerritory(), logger: TestCluster.logger)
            let mergedWards = Set(merged.wards.map(\.0))
            #expect(mergedWards.isSuperset(of: ["31321", "31507"]))  // Vị Thanh (old Hậu Giang), Sóc Trăng
            #expect(Set(listed.wards.map(\.0)) == mergedWards)
            #expect(Set(listed.legacyWards.map(\.0)) == Set(merged.legacyWards.map(\.0)))
            #expect(Set(alone.wards.map(\.0)).contains("31321") && !Set(alone.wards.map(\.0)).contains("31507"))
            #expect(merged.legacyWards.count > alone.legacyWards.count)
            #expect(merged.legacyWards.allSatisfy { $0.1.contains(", Tỉnh") || $0.1.contains(", Thành phố") })
        }
    }
}
