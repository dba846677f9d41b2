import Foundation
import Testing

/// SQL lives in `Store/` only: every other folder of the library asks the store's typed read API.
@Suite("Where SQL lives")
struct SQLPlacementTests {
    @Test("no SQL statement text in the library outside Store/")
    func sqlOnlyInStore() throws {
        let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Sources/MailFlowKit").standardized
        let files = try #require(FileManager.default.enumerator(atPath: library.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        let outside = files.filter { !$0.hasPrefix("Store/") }
        #expect(outside.count > 50)
        // Statements in one-line and multi-line string literals alike.
        let statement = try Regex(#"\b(SELECT\s.*\bFROM\b|SELECT [a-z_]+\(|INSERT (OR [A-Z]+ )?INTO|DELETE FROM|UPDATE [a-z_]+ SET|CREATE (UNIQUE )?(TABLE|INDEX|VIEW)|DROP (TABLE|INDEX|VIEW)|PRAGMA [a-z_]+)"#)
        var offenders: [String] = []
        var inStore = 0
        for file in files {
            let text = try String(contentsOf: library.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).hasPrefix("///") && line.contains(statement) {
                if file.hasPrefix("Store/") { inStore += 1 } else { offenders.append("\(file):\(number + 1)") }
            }
        }
        #expect(inStore > 50, "the pattern finds the store's own statements")
        #expect(offenders.isEmpty, "SQL outside Store/: \(offenders.joined(separator: ", "))")
    }
}
