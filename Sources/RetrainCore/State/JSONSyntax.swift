/// Finds where JSON text stops being JSON, for error messages: Foundation's decoder says only that
/// the data "was not valid JSON". Used after a decode fails, never on the hot path.
enum JSONSyntax {
    /// The 1-based line and column of the first syntax error and what was expected there, or nil.
    static func firstError(in b: [UInt8]) -> (line: Int, column: Int, problem: String)? {
        var i = 0
        func position(_ at: Int) -> (Int, Int) {
            var line = 1
            var column = 1
            for j in 0..<min(at, b.count) {
                if b[j] == UInt8(ascii: "\n") { line += 1; column = 1 } else if b[j] & 0xC0 != 0x80 { column += 1 }
            }
            return (line, column)
        }
        struct Failure: Error { let at: Int; let problem: String }
        func space() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
        func expect(_ c: UInt8, _ what: String) throws {
            space()
            guard i < b.count else { throw Failure(at: i, problem: "the file ends where \(what) was expected (was it cut short?)") }
            guard b[i] == c else { throw Failure(at: i, problem: "expected \(what)") }
            i += 1
        }
        func value(_ depth: Int) throws {
            space()
            guard depth < 512 else { throw Failure(at: i, problem: "nesting too deep") }
            guard i < b.count else { throw Failure(at: i, problem: "the file ends where a value was expected (was it cut short?)") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                space()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
                while true {
                    space()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else {
                        throw Failure(at: i, problem: i < b.count ? "expected a quoted key" : "the file ends inside an object (was it cut short?)")
                    }
                    try string()
                    try expect(UInt8(ascii: ":"), "':'")
                    try value(depth + 1)
                    space()
                    guard i < b.count else { throw Failure(at: i, problem: "the file ends inside an object (was it cut short?)") }
                    if b[i] == UInt8(ascii: "}") { i += 1; return }
                    guard b[i] == UInt8(ascii: ",") else { throw Failure(at: i, problem: "expected ',' or '}'") }
                    i += 1
                }
            case UInt8(ascii: "["):
                i += 1
                space()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
                while true {
                    try value(depth + 1)
                    space()
                    guard i < b.count else { throw Failure(at: i, problem: "the file ends inside a list (was it cut short?)") }
                    if b[i] == UInt8(ascii: "]") { i += 1; return }
                    guard b[i] == UInt8(ascii: ",") else { throw Failure(at: i, problem: "expected ',' or ']'") }
                    i += 1
                }
            case UInt8(ascii: "\""):
                try string()
            default:
                let start = i
                while i < b.count, !" \t\r\n,]}".utf8.contains(b[i]) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                guard word == "true" || word == "false" || word == "null" || Double(word) != nil else {
                    throw Failure(at: start, problem: "'\(word.prefix(20))' is not a JSON value")
                }
            }
        }
        func string() throws {
            let start = i
            i += 1
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") { i += 1 }
                i += 1
            }
            guard i < b.count else { throw Failure(at: start, problem: "a string that never ends (was the file cut short?)") }
            i += 1
        }
        do {
            try value(0)
            space()
            if i < b.count { throw Failure(at: i, problem: "unexpected text after the JSON value") }
            return nil
        } catch let failure as Failure {
            let (line, column) = position(failure.at)
            return (line, column, failure.problem)
        } catch {
            return nil
        }
    }
}
