import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

@Suite("Bulk import of workers")
struct ImportTests {
    static let header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Mã xã/phường,Mã xã cũ,Mã hộ,Chủ hộ,Tình trạng hộ,Hiệu lực từ,Mã nghề"
    static let good = [
        "Nguyễn Văn An,093090000001,01/05/1990,Nam,31321,31318,HG-001,Nguyễn Văn An,Hộ nghèo,01/01/2026,7212",
        "Nguyễn Thị Hoa,093195000002,02/03/1995,Nữ,31321,,HG-001,Nguyễn Văn An,Hộ nghèo,01/01/2026,5120",
        "Lê Văn Cường,093088000003,15/07/1988,Nam,,31324,HG-002,Lê Văn Cường,Hộ cận nghèo,01/01/2026,",
    ]
    static let bad = "Phạm Văn Dũng,093092000004,10/10/1992,Nam,31321,,HG-003,Phạm Văn Dũng,Hộ nghèo,01/01/2026,9999"

    func post(
        _ client: any TestClientProtocol,
        _ token: String,
        _ lines: [String],
        partial: Bool = false
    ) async throws -> (status: HTTPResponse.Status, body: ImportRoutes.ImportView) {
        let text = ([Self.header] + lines).joined(separator: "\r\n") + "\r\n"
        let response = try await client.execute(
            uri: "/api/staff/imports/workers" + (partial ? "?partial=true" : ""),
            method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
            body: ByteBuffer(string: text)
        )
        guard let body = try? response.decoded(ImportRoutes.ImportView.self, snakeCase: true) else {
            throw TestFailure("import answered \(response.status.code): \(String(buffer: response.body))")
        }
        return (response.status, body)
    }

    @Test("one bad row stops the whole file by default and nothing is written")
    func allOrNothing() async throws {
        try await withTestApp { client, tokens, url in
            let (status, body) = try await post(client, tokens.officer, Self.good + [Self.bad])
            #expect(status == .unprocessableContent)
            #expect(body.rolledBack, "\(body)")
            let errors = body.errors
            #expect(errors.count == 1)
            #expect(errors.first?.line == 5 && errors.first?.column == "occupation_codes")
            #expect(try await rowCount("workers", url: url) == 0)
            #expect(try await rowCount("households", url: url) == 0)
        }
    }

    @Test("partial import takes the good rows; the error file, once fixed, imports; the same file twice changes nothing")
    func partialAndRoundTrip() async throws {
        try await withTestApp { client, tokens, url in
            // act: partial import
            let first = try await post(client, tokens.officer, Self.good + [Self.bad], partial: true)
            #expect(first.status == .ok, "\(first.body)")
            #expect(first.body.imported == 3)
            #expect(try await rowCount("workers", url: url) == 3)
            #expect(try await rowCount("households", url: url) == 2)
            #expect(try await rowCount("workers WHERE ward_code = '31333' AND legacy_ward_code = '31324'", url: url) == 1)
            #expect(try await rowCount("household_statuses WHERE status = 'poor'", url: url) == 1)
            #expect(try await rowCount("worker_occupations", url: url) == 2)

            // the error file names the problem; fixed, it imports as it is
            let errorCSV = try #require(first.body.errorCsv)
            let rows = try CSVReader.parse(errorCSV)
            #expect(rows.count == 2)
            #expect(rows[0].last == "Lỗi")
            #expect(rows[1].last?.contains("9999") == true)
            let fixed = errorCSV.replacingOccurrences(of: ",9999,", with: ",7212,")
            let retry = try await client.execute(
                uri: "/api/staff/imports/workers",
                method: .post,
                headers: [.authorization: "Bearer \(tokens.officer)"],
                body: ByteBuffer(string: fixed)
            )
            #expect(retry.status == .ok)
            #expect(try await rowCount("workers", url: url) == 4)
            #expect(try await rowCount("worker_occupations", url: url) == 3)

            // the same file again: nothing changes
            let again = try await post(client, tokens.officer, Self.good)
            #expect(again.status == .ok)
            #expect(again.body.imported == 0)
            #expect(again.body.unchanged == 3)
            #expect(try await rowCount("workers", url: url) == 4)
            #expect(try await rowCount("household_statuses", url: url) == 3)
        }
    }

    @Test("next year's review closes the old status and opens the new one")
    func annualReview() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await post(client, tokens.officer, [Self.good[0]])
            let review = Self.good[0].replacingOccurrences(of: "Hộ nghèo,01/01/2026", with: "Hộ cận nghèo,01/01/2027")
            let result = try await post(client, tokens.officer, [review])
            #expect(result.status == .ok)
            #expect(try await rowCount("household_statuses WHERE status = 'poor' AND valid_to = DATE '2026-12-31'", url: url) == 1)
            #expect(
                try await rowCount("household_statuses WHERE status = 'near_poor' AND valid_to IS NULL AND standard = 'decree_351_2025'", url: url)
                    == 1
            )
            #expect(try await rowCount("workers", url: url) == 1)
        }
    }
}
