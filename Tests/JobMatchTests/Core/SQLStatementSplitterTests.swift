import JobMatchCore
import Testing

@Suite("SQL statement splitter")
struct SQLStatementSplitterTests {
    @Test("splits on semicolons and drops empty statements")
    func plainStatements() {
        #expect(SQLStatementSplitter.split("SELECT 1; SELECT 2;;\n  ;") == ["SELECT 1", "SELECT 2"])
    }

    @Test("keeps semicolons inside single-quoted strings, with doubled quotes")
    func singleQuotes() {
        let sql = "INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT 2"
        #expect(SQLStatementSplitter.split(sql) == ["INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT 2"])
    }

    @Test("understands E'' strings with backslash escapes")
    func escapeStrings() {
        let sql = #"SELECT E'a\';b'; SELECT 'x\'; SELECT 3"#
        #expect(SQLStatementSplitter.split(sql) == [#"SELECT E'a\';b'"#, #"SELECT 'x\'"#, "SELECT 3"])
    }

    @Test("keeps dollar-quoted bodies whole, tagged or not")
    func dollarQuotes() {
        let sql = """
            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
            CREATE FUNCTION g() RETURNS text AS $body$ SELECT '$$;'; $body$ LANGUAGE sql;
            SELECT $1
            """
        let parts = SQLStatementSplitter.split(sql)
        #expect(parts.count == 3)
        #expect(parts[0] == "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql")
        #expect(parts[1] == "CREATE FUNCTION g() RETURNS text AS $body$ SELECT '$$;'; $body$ LANGUAGE sql")
        #expect(parts[2] == "SELECT $1")
    }

    @Test("ignores semicolons in line and nested block comments, and comment-only chunks")
    func comments() {
        let sql = """
            -- a comment; with a semicolon
            SELECT 1; /* block; /* nested; */ still comment; */ SELECT 2;
            -- trailing comment only;
            """
        let parts = SQLStatementSplitter.split(sql)
        #expect(parts.count == 2)
        #expect(parts[0].hasSuffix("SELECT 1"))
        #expect(parts[1].hasSuffix("SELECT 2"))
    }

    @Test("keeps semicolons in quoted identifiers")
    func quotedIdentifiers() {
        #expect(SQLStatementSplitter.split(#"SELECT 1 AS "a;""b"; SELECT 2"#) == [#"SELECT 1 AS "a;""b""#, "SELECT 2"])
    }

    @Test("never crashes on unterminated quotes or comments")
    func malformed() {
        for sql in ["SELECT 'abc", "SELECT $x$ abc", "/* open", "SELECT \"x", "$", "E'\\", "'", "--"] {
            _ = SQLStatementSplitter.split(sql)
        }
        #expect(SQLStatementSplitter.split("SELECT 'abc; def") == ["SELECT 'abc; def"])
    }
}
