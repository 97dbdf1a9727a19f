import EmployerAPI
import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

extension LiveServer {
    /// The browser tests' common setup on a live server at `base`: the employer "Công ty TNHH May
    /// Vị Thanh" registered by staff (`token`), its API key, and its open vacancy for three tailors
    /// ("Thợ may", ISCO 7531) in Phường Vị Thanh closing on `closing`, posted through the employer
    /// API as an employer would; returns the vacancy's id.
    static func tailoringVacancy(base: String, token: String, closing: LocalDate = LocalDate.today().adding(days: 30)) async throws -> Int64 {
        let employer = try await Self.http(
            "POST",
            base + "/api/staff/employers",
            token: token,
            json: #"{"name":"Công ty TNHH May Vị Thanh","tax_code":"0100109106","ward_code":"31321"}"#
        )
        let employerID = try #require(try? employer.body.decoded(CreatedRecord.self), "\(employer.body)").id
        let key = try await Self.http("POST", base + "/api/staff/employers/\(employerID)/keys", token: token, json: "{}")
        let apiKey = try #require(try? key.body.decoded(IssuedKey.self, snakeCase: true), "\(key.body)").apiKey
        let vacancy = try await Self.http(
            "POST",
            base + "/api/v1/vacancies",
            token: apiKey,
            json: """
                {"title":"Thợ may","occupation_code":"7531","ward_code":"31321","slots":3,"closing_date":"\(closing.description)"}
                """
        )
        return try #require(try? vacancy.body.decoded(Components.Schemas.Vacancy.self), "\(vacancy.body)").id
    }
}
