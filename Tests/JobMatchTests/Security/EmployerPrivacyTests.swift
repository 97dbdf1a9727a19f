import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

/// What an employer can read about the people referred to it: never a CCCD (or the old CMND), a
/// birth date, a disability, an ethnicity or a household's poverty status, in any answer of the
/// employer API or in any webhook it receives.
@Suite("Employer API: no sensitive personal data leaves")
struct EmployerPrivacyTests {
    /// Values (and keys) that must never appear in anything an employer receives.
    static let forbidden = [
        "093187654321", "654321", "381234567", "093201357913", "357913", "381765432",  // CCCDs, their tails, CMNDs
        "1987-11-23", "23/11/1987", "2001-07-29", "29/07/2001",  // birth dates
        "Khơ-me", "Chăm", "visual", "hearing_speech", "particularly_severe", "mild",  // ethnicity, disability
        "near_poor", "\"poor\"", "Nghèo", "nghèo",  // household status
        "cccd", "cmnd", "birth", "disab", "ethnic", "household", "status_valid", "decision", "sex", "score",  // keys
    ]

    @Test("every employer GET and every webhook body, for workers with every sensitive field set, shows none of them")
    func nothingSensitive() async throws {
        try await WebhookReceiver.run { port, receiver in
            try await withTestApp(
                mode: .live,
                configure: { config in
                    config.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true)
                    config.webhookPollInterval = .milliseconds(200)
                }
            ) { client, tokens, _ async throws in
                let employer = try await TestEmployer.make(client, tokens)
                #expect(
                    try await client.json(.post, "/api/v1/webhooks", token: employer.key, ["url": "http://127.0.0.1:\(port)/hook"]).status == .created
                )
                var vacancyBody = Sample.vacancy(slots: 3)
                vacancyBody["reference"] = "PRIV-1"
                let vacancy = Int(
                    try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, vacancyBody).get().id
                )

                // Two people with every sensitive field filled: a poor and a near-poor household.
                let people:
                    [(
                        cccd: String, cmnd: String, birth: String, sex: String, ethnicity: String, disability: String, severity: String,
                        status: String, phone: String
                    )] = [
                        ("093187654321", "381234567", "1987-11-23", "female", "Khơ-me", "visual", "mild", "poor", "0987001122"),
                        (
                            "093201357913", "381765432", "2001-07-29", "male", "Chăm", "hearing_speech", "particularly_severe", "near_poor",
                            "0987003344"
                        ),
                    ]
                var referrals: [Int] = []
                for person in people {
                    let householdID = try await client.created(
                        "/api/staff/households",
                        token: tokens.officer,
                        Sample.household(status: person.status)
                    )
                    var body = Sample.worker(cccd: person.cccd, birth: person.birth, sex: person.sex, household: Int64(householdID))
                    body["cmnd"] = person.cmnd
                    body["ethnicity"] = person.ethnicity
                    body["disability_type"] = person.disability
                    body["disability_severity"] = person.severity
                    body["phone"] = person.phone
                    body["consents"] = ["referral", "share_contact_with_employer", "data_processing"]
                    let workerID = try await client.created("/api/staff/workers", token: tokens.officer, body)
                    referrals.append(
                        try await client.created("/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancy, "worker_id": workerID])
                    )
                }
                // Move the referrals through every stage the employer sees.
                #expect(
                    try await client.json(
                        .post,
                        "/api/v1/referrals/\(referrals[0])/interview",
                        token: employer.key,
                        ["interviewed_on": "2026-11-20", "outcome": "passed"]
                    ).status == .ok
                )
                #expect(
                    try await client.json(.post, "/api/v1/referrals/\(referrals[0])/hire", token: employer.key, ["start_date": "2026-12-01"]).status
                        == .ok
                )
                #expect(
                    try await client.json(.post, "/api/v1/referrals/\(referrals[1])/reject", token: employer.key, ["reason": "Chưa đủ kinh nghiệm"])
                        .status == .ok
                )

                // Every GET of the published contract, for each of the employer's objects.
                let yaml = String(buffer: try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).body)
                let reads = AuthorizationMatrixTests.contractOperations(yaml).filter { $0.method == "GET" }
                #expect(reads.count >= 6)
                var answers: [(String, String)] = []
                for operation in reads {
                    let choices: [String: [String]] = [
                        "vacancy_id": ["\(vacancy)"], "referral_id": referrals.map(String.init), "reference": ["PRIV-1"],
                    ]
                    let parameter = operation.path.split(separator: "{").dropFirst().first.map { String($0.prefix { $0 != "}" }) }
                    if let parameter { #expect(choices[parameter] != nil, "\(operation.id): which object does {\(parameter)} name?") }
                    let values = parameter.flatMap { choices[$0] } ?? [""]
                    for value in values {
                        let path = AuthorizationMatrixTests.concrete(operation.path) { _ in value }
                        for query in ["", "?vacancy_id=\(vacancy)", "?status=hired", "?status=rejected"] where parameter == nil || query.isEmpty {
                            let response = try await client.execute(
                                uri: path + query,
                                method: .get,
                                headers: [.authorization: "Bearer \(employer.key)"]
                            )
                            #expect(response.status == .ok || query != "", "\(path)\(query): \(response.status)")
                            answers.append((path + query, String(buffer: response.body)))
                        }
                    }
                }
                let referralsText = answers.filter { $0.0.hasPrefix("/api/v1/referrals") }.map(\.1).joined()
                #expect(referralsText.contains("Trần Thị Bình") && referralsText.contains("0987001122"), "the candidates are in the answers read")

                let hooks = try await receiver.calls(2).map(\.body)
                #expect(hooks.count == 2, "one webhook per referral")
                for (path, text) in answers + hooks.map({ ("webhook", $0) }) {
                    for value in Self.forbidden {
                        #expect(!text.lowercased().contains(value.lowercased()), "\(path) shows \(value)")
                    }
                }
            }
        }
    }
}

@Suite("Anonymisation leaves no identifier")
struct AnonymisationIdentifierTests {
    @Test("anonymising a record removes the old 9-digit identity card (CMND) as well as the CCCD and phone")
    func oldCardRemoved() async throws {
        try await withTestApp { client, tokens, url in
            var body = Sample.worker(cccd: "093190777888")
            body["cmnd"] = "381999000"
            body["phone"] = "0912000777"
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, body)
            #expect(try await rowCount("workers WHERE cmnd = '381999000'", url: url) == 1)
            #expect(
                try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, ["reason": "Yêu cầu xóa dữ liệu"]).status
                    == .ok
            )
            #expect(try await rowCount("workers WHERE id = \(worker) AND cmnd IS NULL AND cccd IS NULL AND phone IS NULL", url: url) == 1)
            let copy = try await client.execute(
                uri: "/api/staff/workers/\(worker)/personal-data",
                method: .get,
                headers: [.authorization: "Bearer \(tokens.admin)"]
            )
            #expect(copy.status == .ok)
            for value in ["381999000", "093190777888", "0912000777", "Trần Thị Bình"] {
                #expect(!String(buffer: copy.body).contains(value), "\(value) is still held")
            }
        }
    }
}
