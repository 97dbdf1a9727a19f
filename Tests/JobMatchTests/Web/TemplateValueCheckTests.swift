import Foundation
import Hummingbird
import Testing

@testable import JobMatch

/// The strict check the tests render pages with: it must fail where swift-mustache would quietly
/// draw nothing, and pass where every value is given.
@Suite("Web kit: strict template values")
struct TemplateValueCheckTests {
    static func check(_ templates: [String: String]) throws -> TemplateValueCheck {
        TemplateValueCheck(templates: try templates.mapValues { try TemplateValueCheck.parse($0, name: "test") })
    }

    @Test("a variable given nowhere on the stack, or given as nil, is missing; one found in an outer value is not")
    func variables() throws {
        // setup
        let check = try Self.check([
            "page": "{{> top}}<h1>{{title}}</h1>{{#rows}}<td>{{id}} {{name}} {{title}}</td>{{/rows}}{{^rows}}{{empty}}{{/rows}}{{{chart}}}",
            "top": "<title>{{pageTitle}}</title>",
        ])
        let optional: String? = nil

        // act, verify
        #expect(check.missing(in: "page", values: ["pageTitle": "A", "title": "B", "rows": [["id": 1, "name": "x"]], "chart": "<svg/>"]).isEmpty)
        #expect(check.missing(in: "page", values: ["title": "B", "rows": [["id": 1]]]) == ["pageTitle", "name", "chart"])
        #expect(
            check.missing(in: "page", values: ["pageTitle": "A", "title": "", "rows": [[String: Any]](), "chart": ""]) == ["empty"],
            "an empty list shows the inverted section; an empty string is a value given"
        )
        #expect(
            check.missing(in: "page", values: ["pageTitle": "A", "title": optional as Any, "rows": [] as [Any], "empty": 0, "chart": 1]) == ["title"],
            "nil would be drawn as \"nil\""
        )
        #expect(check.missing(in: "nowhere", values: [:]) == ["template nowhere"])
    }

    @Test("sections that are absent, false or empty hide their variables; a nested value becomes the context; partials are followed")
    func sections() throws {
        // setup
        let check = try Self.check([
            "page": "{{#user}}{{name}} {{csrf}}{{/user}}{{#flag}}{{a}}{{/flag}}{{#message}}{{message}}{{/message}}{{> missing}}"
        ])

        // act, verify
        #expect(check.missing(in: "page", values: ["flag": false, "message": ""]) == ["partial missing"])
        #expect(check.missing(in: "page", values: ["user": ["name": "Hà"], "csrf": "t", "flag": true]) == ["a", "partial missing"])
        #expect(check.missing(in: "page", values: ["user": ["csrf": "t"]]) == ["name", "partial missing"])
    }

    @Test("templates that cannot be walked are refused when loaded")
    func parse() {
        #expect(throws: TemplateValueCheck.ParseError.self) { try TemplateValueCheck.parse("{{#a}}x", name: "t") }
        #expect(throws: TemplateValueCheck.ParseError.self) { try TemplateValueCheck.parse("{{#a}}x{{/b}}", name: "t") }
        #expect(throws: TemplateValueCheck.ParseError.self) { try TemplateValueCheck.parse("{{a", name: "t") }
        #expect(throws: TemplateValueCheck.ParseError.self) { try TemplateValueCheck.parse("{{=<% %>=}}", name: "t") }
    }

    @Test("every template of the web app parses, and the strict renderer refuses a page that lacks a value, naming it")
    func renderer() async throws {
        // setup
        let directory = TestCluster.repositoryRoot + "/web"
        let strict = try await WebRenderer.load(directory: directory, strict: true)
        let lenient = try await WebRenderer.load(directory: directory)
        let values: [String: Any] = ["pageTitle": "Lỗi", "title": "Lỗi", "detail": "Không tìm thấy."]

        // act
        let refused = strict.fragment("error", values: values)
        let drawn = strict.fragment("error", values: values.merging(["status": 404]) { $1 })
        let quiet = lenient.fragment("error", values: values)

        // verify
        #expect((strict.check?.templates.count ?? 0) >= 25)
        #expect(refused.status == .internalServerError && refused.headers[WebRenderer.missingValuesHeader] == "error: status")
        #expect(drawn.status == .ok && drawn.headers[WebRenderer.missingValuesHeader] == nil)
        #expect(quiet.status == .ok, "outside the tests a page is drawn as before")
    }
}
