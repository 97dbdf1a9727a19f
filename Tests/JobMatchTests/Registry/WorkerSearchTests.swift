import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Worker search")
struct WorkerSearchTests {
    /// Registers workers with these names (CCCDs and phones made up from the index).
    func register(_ names: [String], client: any TestClientProtocol, token: String) async throws -> [Int] {
        var ids: [Int] = []
        for (index, name) in names.enumerated() {
            var body = Sample.worker(cccd: String(format: "093190%06d", index + 1))
            body["full_name"] = name
            body["phone"] = String(format: "0912%06d", index + 1)
            ids.append(try await client.created("/api/staff/workers", token: token, body))
        }
        return ids
    }

    /// The names a search finds, in order; fails the test unless the search answered 200 with a page.
    func names(_ reply: RegistryAnswer.Reply<RegistryAnswer.Search>) throws -> [String] {
        guard reply.status == .ok else { throw TestFailure("the search answered \(reply.status.code)") }
        return try reply.value().workers.map(\.fullName)
    }

    /// `GET uri` read as a search page.
    func search(_ client: any TestClientProtocol, _ uri: String, token: String) async throws -> RegistryAnswer.Reply<RegistryAnswer.Search> {
        try await client.registry(.get, uri, token: token, as: RegistryAnswer.Search.self)
    }

    @Test("finds names without diacritics, from NFC or NFD input, and with a typo")
    func diacriticsAndTypos() async throws {
        try await withTestApp { client, tokens, _ in
            _ = try await register(["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Anh"], client: client, token: tokens.officer)
            #expect(try names(await search(client, "/api/staff/workers?q=nguyen%20van%20an", token: tokens.viewer)) == ["Nguyễn Văn An"])
            let nfd = "Nguye\u{302}\u{303}n".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try names(await search(client, "/api/staff/workers?q=\(nfd)", token: tokens.viewer)) == ["Nguyễn Văn An"])
            #expect(try names(await search(client, "/api/staff/workers?q=duc%20anh", token: tokens.viewer)) == ["Lê Đức Anh"])
            #expect(try names(await search(client, "/api/staff/workers?q=tran%20thi%20binn", token: tokens.viewer)) == ["Trần Thị Bình"])
        }
    }

    @Test("typos are tolerated word by word through the vocabulary of names, which follows registrations and renames")
    func typosThroughTheVocabulary() async throws {
        try await withTestApp { client, tokens, url in
            let ids = try await register(["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Anh", "Trần Văn Bính"], client: client, token: tokens.officer)
            // verify: the vocabulary holds each word of the names once, without diacritics
            let words = try await rows("SELECT word FROM name_words ORDER BY word", url: url)
            #expect(words == ["an", "anh", "binh", "duc", "le", "nguyen", "thi", "tran", "van"])
            // a word with a typo is widened to the words like it; another word must still match
            #expect(try names(await search(client, "/api/staff/workers?q=tren%20thi%20binn", token: tokens.viewer)) == ["Trần Thị Bình"])
            #expect(
                try names(await search(client, "/api/staff/workers?q=binn", token: tokens.viewer)).sorted() == ["Trần Thị Bình", "Trần Văn Bính"]
            )
            // a typed word like no word of any name is left out, and the rest still finds the person
            #expect(try names(await search(client, "/api/staff/workers?q=le%20duc%20anh%20qqqq", token: tokens.viewer)) == ["Lê Đức Anh"])
            // the wrong middle name (Thị for Văn): the family and the given name still find him
            #expect(try names(await search(client, "/api/staff/workers?q=nguyen%20thi%20an", token: tokens.viewer)) == ["Nguyễn Văn An"])
            // and its pages go on with the same match (Đức is a word of a name, so only the ends match):
            // one person a page, then the next, then no cursor
            let first = try await search(client, "/api/staff/workers?limit=1&q=tran%20duc%20binh", token: tokens.viewer)
            #expect(try names(first) == ["Trần Thị Bình"])
            let after = try #require(try first.value().nextCursor)
            #expect(WorkerSearch.Cursor(token: after)?.match == .fuzzyEnds)
            let second = try await search(client, "/api/staff/workers?limit=1&q=tran%20duc%20binh&after=\(after)", token: tokens.viewer)
            #expect(try names(second) == ["Trần Văn Bính"])
            #expect(try second.value().nextCursor == nil)
            // nothing like any word: nobody, not everybody
            #expect(try names(await search(client, "/api/staff/workers?q=qqqq%20zzzz", token: tokens.viewer)) == [])

            // act: a name corrected through the API brings its new word into the vocabulary
            let renamed = try await client.json(.patch, "/api/staff/workers/\(ids[0])", token: tokens.officer, ["full_name": "Nguyễn Văn Khuê"])
            #expect(renamed.status == .ok)
            #expect(try await rows("SELECT word FROM name_words WHERE word = 'khue'", url: url) == ["khue"])
            #expect(try names(await search(client, "/api/staff/workers?q=nguyen%20khuee", token: tokens.viewer)) == ["Nguyễn Văn Khuê"])
        }
    }

    /// The text column of each row of `query`, run as the service's role on the test's database.
    func rows(_ query: String, url: String) async throws -> [String] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { database in
            try await database.query(PostgresQuery(unsafeSQL: query), logger: TestCluster.logger).decode(String.self).collect()
        }
    }

    @Test("finds by the last digits of a CCCD or phone, and shows both masked")
    func byDigits() async throws {
        try await withTestApp { client, tokens, _ in
            _ = try await register(["Nguyễn Văn An", "Trần Thị Bình"], client: client, token: tokens.officer)
            let rows = try await search(client, "/api/staff/workers?q=000002", token: tokens.officer).value().workers
            #expect(rows.map(\.fullName) == ["Trần Thị Bình"])
            #expect(rows.first?.cccd == "0931******02")
            #expect(rows.first?.phone == "0912****02")
        }
    }

    @Test("lists in Vietnamese order by given name, page by page, with nothing lost or repeated")
    func vietnameseOrderAndPages() async throws {
        try await withTestApp { client, tokens, _ in
            let all = ["Trần Văn Ân", "Nguyễn Thị Ánh", "Lê Văn Bình", "Phạm Thị An", "Võ Văn Đạt", "Đỗ Thị Dung", "Huỳnh Văn Ấn"]
            _ = try await register(all, client: client, token: tokens.officer)
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let uri = "/api/staff/workers?limit=3" + (cursor.map { "&after=\($0)" } ?? "")
                let response = try await search(client, uri, token: tokens.viewer)
                seen += try names(response)
                cursor = try response.value().nextCursor
            } while cursor != nil
            // Vietnamese alphabet: a < ă < â < b < c < d < đ, tone marks only break ties (Ánh < Ân < Ấn).
            #expect(seen == ["Phạm Thị An", "Nguyễn Thị Ánh", "Trần Văn Ân", "Huỳnh Văn Ấn", "Lê Văn Bình", "Đỗ Thị Dung", "Võ Văn Đạt"])
        }
    }

    @Test("filters by household status and ward; bad filters are refused with the field")
    func filters() async throws {
        try await withTestApp { client, tokens, _ in
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household(status: "near_poor"))
            var body = Sample.worker(cccd: "093190000099", household: Int64(household))
            body["full_name"] = "Cận Nghèo Một"
            #expect(try await client.json(.post, "/api/staff/workers", token: tokens.officer, body).status == .created)
            _ = try await register(["Không Diện Hai"], client: client, token: tokens.officer)
            #expect(try names(await search(client, "/api/staff/workers?household_status=near_poor", token: tokens.viewer)) == ["Cận Nghèo Một"])
            #expect(try names(await search(client, "/api/staff/workers?ward_code=31321&legacy_district_code=930", token: tokens.viewer)).count == 2)
            #expect(try names(await search(client, "/api/staff/workers?ward_code=31120", token: tokens.viewer)).isEmpty)
            for (query, field) in [
                ("household_status=rich", "household_status"), ("limit=0", "limit"), ("after=garbage", "after"),
                ("ward_code=1", "ward_code"), ("legacy_district_code=93", "legacy_district_code"),
            ] {
                let response = try await client.registry(.get, "/api/staff/workers?\(query)", token: tokens.viewer, as: RegistryAnswer.Problem.self)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(try response.value().field == field)
            }
        }
    }

    @Test("a name is found by its words, or by walking the Vietnamese order when many people share them: the same pages either way")
    func wordsOrOrder() async throws {
        try await withTestApp { client, tokens, url in
            let all = ["Trần Văn Ân", "Nguyễn Văn Bình", "Lê Vân Anh", "Phạm Văn An", "Võ Thị Vân", "Đỗ Văn Dung", "Huỳnh Thị Lan"]
            _ = try await register(all, client: client, token: tokens.officer)
            // act: "van" paged two at a time, sorted by the words' plan (cap 2000) and by the order's walk (cap 2)
            let pages = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { database in
                try await database.withConnection { connection in
                    var results: [[String]] = []
                    for cap in [2000, 2] {
                        let search = WorkerSearch(connection: connection, logger: TestCluster.logger, wordsCap: cap)
                        var seen: [String] = []
                        var criteria = WorkerSearch.Criteria(text: "van", limit: 2)
                        repeat {
                            let page = try await search.page(criteria)
                            seen += page.rows.map(\.fullName)
                            criteria.after = page.next
                        } while criteria.after != nil
                        results.append(seen)
                    }
                    return results
                }
            }
            // verify: every name with a word starting "van", in Vietnamese order (a < ă < â), whichever plan ran
            let expected = ["Phạm Văn An", "Lê Vân Anh", "Trần Văn Ân", "Nguyễn Văn Bình", "Đỗ Văn Dung", "Võ Thị Vân"]
            #expect(pages == [expected, expected])
            // a fragment inside a word is not a word's start: the typo-tolerant search still finds it
            #expect(try names(await search(client, "/api/staff/workers?q=guyen%20van", token: tokens.viewer)) == ["Nguyễn Văn Bình"])
        }
    }
}
