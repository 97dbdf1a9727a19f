import EmployerAPI
import Foundation
import Testing

@testable import JobMatch

/// The reference page at `/api/v1/docs`, drawn by `api_reference.mustache` from the parsed contract.
@Suite("Employer API: the reference page")
struct APIReferenceTests {
    @Test("every operation and every schema of the contract has its section, with its parameters, limits and refused extra fields")
    func everyOperationAndSchema() async throws {
        // setup
        let yaml = try #require(EmployerAPIContract.document)
        let document = try OpenAPIDocument.parse(yaml)
        let renderer = try await WebRenderer.load(directory: TestCluster.repositoryRoot + "/web", strict: true)

        // act
        let html = try APIDocsRoutes(renderer: renderer).html

        // verify
        let operations = AuthorizationMatrixTests.contractOperations(yaml)
        #expect(operations.count >= 16)
        for operation in operations {
            #expect(html.contains("<section id=\"\(operation.id)\"><h2><code>\(operation.method) \(operation.path)</code></h2>"), "\(operation.id)")
        }
        let schemas = try #require(document.components?.schemas)
        #expect(schemas.count >= 20)
        for name in schemas.keys {
            #expect(html.contains("<section id=\"schema-\(name)\"><h3>\(name)</h3>"), "\(name)")
        }
        #expect(html.contains("<td><code>Idempotency-Key</code></td><td>header</td>"))
        #expect(html.contains("<a href=\"#schema-VacancyInput\">VacancyInput</a>"), "a body links to its schema")
        #expect(html.contains("Trường không có trong bảng sẽ bị từ chối."))
        #expect(html.contains("<small>≥ 1"), "limits are shown")
        #expect(html.contains("<code>open</code>, <code>closed</code>"), "an enumeration's values")
        #expect(!html.contains("{{") && !html.contains("<script"))
    }
}
