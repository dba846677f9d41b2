/// A table inside a CSV export: recognises its header and turns each row into records.
protocol ExportedCSVTable: AnyObject {
    /// Takes `names` (each ``ExportedCSVReader/normalizedName(_:)``) as the header; `false`, with
    /// nothing changed, when they are not this table's columns.
    /// `titles` are the same names as the file writes them, for messages.
    func adoptHeader(_ names: [String], titles: [String]) -> Bool
    /// What the header should name, for the message when it is missing (`Received, RecipientAddress and Status`).
    var expectedColumns: String { get }
    /// One data row, with as many fields as the header has names.
    func readRow(_ fields: [UnsafeRawBufferPointer], record: Line, into batch: inout RecordBatch)
}

/// Reads CSV files written by PowerShell's `Export-Csv` (or the Exchange admin center) down to
/// rows of fields, for a table that knows what the columns mean.
///
/// Handles what Windows PowerShell 5.1 and PowerShell 7 put into such files: a `#TYPE` line
/// before the header, every field quoted or none, `,` or (with `-UseCulture`) `;` as delimiter,
/// detected from the header line, line breaks inside quoted fields, blank lines, and a second
/// header where two exports were concatenated. Columns are found by name, never by position.
final class ExportedCSVReader {
    private var assembler = CSVRecordAssembler()
    private var scanner: CSVScanner?
    private var headerNames: [String] = []
    private var headerLine = 0
    private var expectingHeader = true
    /// The header's delimiter, handed to the assembler once it has delivered the header.
    private var delimiter: UInt8?

    init(maxRecordLines: Int = 64) {
        assembler = CSVRecordAssembler(maxLines: maxRecordLines)
    }

    deinit { scanner?.deallocate() }

    /// The first line of a record that spans lines and is not complete yet.
    var heldBack: Checkpoint? { assembler.pendingStart }

    func read(_ line: Line, table: some ExportedCSVTable, into batch: inout RecordBatch) {
        if !assembler.isPending {
            let trimmed = ByteText.trimmed(line.bytes)
            if trimmed.count == 0 { return }
            if ByteText.hasPrefix(trimmed, "#TYPE", ignoringCase: true) {
                expectingHeader = true
                return
            }
        }
        assembler.feed(line) { piece in
            deliver(piece, table: table, into: &batch)
        }
        // Set only now: the assembler cannot be changed while it hands out a record.
        assembler.delimiter = delimiter
    }

    func finish(table: some ExportedCSVTable, into batch: inout RecordBatch) {
        assembler.finish { piece in
            deliver(piece, table: table, into: &batch)
        }
    }

    private func deliver(_ piece: CSVRecordAssembler.Piece, table: some ExportedCSVTable, into batch: inout RecordBatch) {
        switch piece {
        case .record(let record):
            handle(record, table: table, into: &batch)
        case .unterminated(let line, let reason):
            batch.quarantine(line, .unterminatedQuote, reason)
        }
    }

    private func handle(_ record: Line, table: some ExportedCSVTable, into batch: inout RecordBatch) {
        if expectingHeader || scanner == nil {
            if ByteText.trimmed(record.bytes).count == 0 { return }
            let delimiter = Self.detectDelimiter(record.bytes)
            if scanner?.delimiter != delimiter {
                scanner?.deallocate()
                scanner = CSVScanner(delimiter: delimiter)
            }
            self.delimiter = delimiter
            scanner!.scan(record.bytes)
            let names = scanner!.fields.map(Self.normalizedName)
            if table.adoptHeader(names, titles: scanner!.fields.map(Self.title)) {
                headerNames = names
                headerLine = record.number
                expectingHeader = false
                return
            }
            if headerNames.isEmpty {
                batch.quarantine(record, .missingHeader,
                                 "line \(record.number) should be the header line naming the columns (\(table.expectedColumns)) but names none of them")
                return
            }
            // A `#TYPE` line mid-file without a header after it: keep the header we had.
            expectingHeader = false
        }
        guard scanner!.scan(record.bytes) == .complete else {
            batch.quarantine(record, .unterminatedQuote, "line \(record.number) ends inside a quoted field")
            return
        }
        let fields = scanner!.fields
        if fields.count != headerNames.count || isRepeatedHeader(fields) {
            let names = fields.map(Self.normalizedName)
            if names == headerNames { return }  // the same header again (concatenated exports)
            if table.adoptHeader(names, titles: fields.map(Self.title)) {
                headerNames = names
                headerLine = record.number
                return
            }
            batch.quarantine(record, .fieldCountMismatch,
                             "line \(record.number) has \(fields.count) fields where the header on line \(headerLine) names \(headerNames.count)")
            return
        }
        table.readRow(fields, record: record, into: &batch)
    }

    private func isRepeatedHeader(_ fields: [UnsafeRawBufferPointer]) -> Bool {
        guard let first = fields.first, let name = headerNames.first, first.count >= name.count, first.count <= name.count + 4 else { return false }
        return Self.normalizedName(first) == name && fields.map(Self.normalizedName) == headerNames
    }

    /// A header name reduced to lower-case ASCII letters and digits: `Message ID`, `MessageId`
    /// and `message_id` all become `messageid`.
    static func normalizedName(_ bytes: UnsafeRawBufferPointer) -> String {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        for byte in bytes {
            let lower = ByteText.lowercased(byte)
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) { kept.append(lower) }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    static func title(_ bytes: UnsafeRawBufferPointer) -> String {
        String(ByteText.string(ByteText.trimmed(bytes)).prefix(60))
    }

    static func normalizedName(_ text: String) -> String {
        var text = text
        return text.withUTF8 { normalizedName(UnsafeRawBufferPointer($0)) }
    }

    /// The delimiter of a header line: whichever of `,`, `;` and tab occurs most outside quotes.
    static func detectDelimiter(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var tabs = 0
        var inQuotes = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ",") where !inQuotes: commas += 1
            case UInt8(ascii: ";") where !inQuotes: semicolons += 1
            case 0x09 where !inQuotes: tabs += 1
            default: break
            }
        }
        if semicolons > commas, semicolons >= tabs { return UInt8(ascii: ";") }
        if tabs > commas { return 0x09 }
        return UInt8(ascii: ",")
    }

    /// The normalised column names of a header line given as text (for sniffers), skipping a
    /// `#TYPE` line and blank lines; `nil` when there is no such line.
    static func headerNames(in lines: [String]) -> (names: [String], typeLine: String?)? {
        var typeLine: String?
        for line in lines {
            let trimmed = line.trimmingSpacesAndTabs()
            if trimmed.isEmpty { continue }
            if trimmed.lowercased().hasPrefix("#type") {
                typeLine = trimmed
                continue
            }
            var text = trimmed
            return text.withUTF8 { raw in
                let bytes = UnsafeRawBufferPointer(raw)
                var scanner = CSVScanner(delimiter: detectDelimiter(bytes))
                defer { scanner.deallocate() }
                scanner.scan(bytes)
                return (scanner.fields.map(normalizedName), typeLine)
            }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingSpacesAndTabs() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
