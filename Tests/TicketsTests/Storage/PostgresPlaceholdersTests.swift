import Testing
@testable import Tickets

@Suite("PostgreSQL placeholders")
struct PostgresPlaceholdersTests {
    @Test("each ? becomes $1, $2, ... in order")
    func numbersInOrder() {
        let (sql, count) = PostgresPlaceholders.rewrite("SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?")
        #expect(sql == "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4")
        #expect(count == 4)
    }

    @Test("a ? inside a string literal, also with doubled quotes, stays text")
    func stringLiterals() {
        let (sql, count) = PostgresPlaceholders.rewrite("SELECT 'why?', 'it''s ?', ? FROM t")
        #expect(sql == "SELECT 'why?', 'it''s ?', $1 FROM t")
        #expect(count == 1)
    }

    @Test("E'...' strings take backslash escapes; a plain string ending in a backslash does not")
    func escapeStrings() {
        #expect(PostgresPlaceholders.rewrite(#"SELECT E'a\'?', ?"#).sql == #"SELECT E'a\'?', $1"#)
        #expect(PostgresPlaceholders.rewrite(#"SELECT 'a\', ?"#).sql == #"SELECT 'a\', $1"#)
        #expect(PostgresPlaceholders.rewrite(#"SELECT name'x?', ?"#).sql == #"SELECT name'x?', $1"#)
    }

    @Test("quoted identifiers, line comments and nested block comments keep their ?")
    func identifiersAndComments() {
        let input = """
            SELECT "odd?name", ? -- what?
            FROM t /* outer ? /* inner ? */ still ? */ WHERE x = ?
            """
        let expected = """
            SELECT "odd?name", $1 -- what?
            FROM t /* outer ? /* inner ? */ still ? */ WHERE x = $2
            """
        #expect(PostgresPlaceholders.rewrite(input) == (expected, 2))
    }

    @Test("dollar-quoted strings keep their ?; $1 and a lone $ are not quotes")
    func dollarQuotes() {
        #expect(PostgresPlaceholders.rewrite("SELECT $$a?$$, $tag$ b ? $ $tag$, ?").sql == "SELECT $$a?$$, $tag$ b ? $ $tag$, $1")
        #expect(PostgresPlaceholders.rewrite("SELECT $1, ?").sql == "SELECT $1, $1")
        #expect(PostgresPlaceholders.rewrite("SELECT a$b, ?").sql == "SELECT a$b, $1")
    }

    @Test("an unterminated literal swallows the rest (the server reports the syntax error)")
    func unterminated() {
        #expect(PostgresPlaceholders.rewrite("SELECT 'abc ?") == ("SELECT 'abc ?", 0))
    }

    @Test("multi-byte text around placeholders is kept intact")
    func unicode() {
        #expect(PostgresPlaceholders.rewrite("SELECT 'é?ü', ? AS \"名?\"").sql == "SELECT 'é?ü', $1 AS \"名?\"")
    }
}

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("the password is masked in the user part and in a password= option")
    func masking() throws {
        #expect(try PostgresURL("postgres://ada:s3cret@db.example:5432/hd").masked == "postgres://ada:***@db.example:5432/hd")
        #expect(try PostgresURL("postgresql://ada@db/hd?password=s3cret&sslmode=require").masked
                == "postgresql://ada@db/hd?password=***&sslmode=require")
        #expect(try PostgresURL("postgres://ada@127.0.0.1:5432/hd").masked == "postgres://ada@127.0.0.1:5432/hd")
        #expect("\(try PostgresURL("postgres://ada:s3cret@db/hd"))" == "postgres://ada:***@db/hd")
    }

    @Test("a URL libpq cannot read is refused with its reason; other schemes are not PostgreSQL")
    func invalid() {
        #expect(throws: PostgresError.self) { try PostgresURL("postgres://ada@db:notaport/hd?sslmode") }
        #expect(throws: PostgresError.self) { try PostgresURL("mysql://ada@db/hd") }
        #expect(!PostgresURL.isPostgresURL("/var/lib/helpdesk/helpdesk.sqlite"))
    }

    @Test("replacing the database keeps the server, user and options")
    func replacingDatabase() throws {
        let url = try PostgresURL("postgres://ada:pw@db:5433/?sslmode=disable")
        #expect(try url.replacingDatabase(with: "hd_1").string == "postgres://ada:pw@db:5433/hd_1?sslmode=disable")
        #expect(try PostgresURL("postgres://db").replacingDatabase(with: "x").string == "postgres://db/x")
    }

    @Test("a connection that cannot be opened names the URL without its password")
    func connectFailureMasksPassword() {
        do {
            _ = try PostgresConnection(url: try PostgresURL("postgres://ada:s3cret@127.0.0.1:1/hd?connect_timeout=2"))
            Issue.record("expected a connection failure")
        } catch let error as PostgresError {
            #expect(error.kind == .connect)
            #expect(!"\(error)".contains("s3cret"))
            #expect("\(error)".contains("postgres://ada:***@127.0.0.1:1/hd"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
