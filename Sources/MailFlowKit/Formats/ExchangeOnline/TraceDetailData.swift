/// The `Data` column of a message trace detail: an XML fragment of named, typed values.
///
/// ```
/// <root><MEP Name="ConnectorId" String="Inbound from 1234"/><MEP Name="ClientIP" String="203.0.113.5"/></root>
/// ```
/// The attribute after `Name` is named for the value's type (`String`, `Integer`, `Long`,
/// `Blob`, `DateTime`); the set of names is open-ended, so the fragment is read generically.
enum TraceDetailData {
    /// Calls `body` with each MEP's name and value, entities decoded (`&quot;` → `"`).
    static func forEachValue(in data: UnsafeRawBufferPointer, _ body: (_ name: [UInt8], _ value: [UInt8]) -> Void) {
        var index = 0
        let count = data.count
        var name: [UInt8] = []
        var value: [UInt8] = []
        while index < count {
            guard let open = ByteText.index(of: UInt8(ascii: "<"), in: data, from: index) else { return }
            index = open + 1
            guard index + 3 <= count, ByteText.hasPrefix(UnsafeRawBufferPointer(rebasing: data[index...]), "MEP", ignoringCase: true) else { continue }
            index += 3
            name.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            var hasName = false
            var hasValue = false
            // Attributes up to `>` or `/>`.
            while index < count {
                while index < count, data[index] == 0x20 || data[index] == 0x09 || data[index] == 0x0A || data[index] == 0x0D { index += 1 }
                guard index < count, data[index] != UInt8(ascii: ">"), data[index] != UInt8(ascii: "/") else { break }
                let attributeStart = index
                while index < count, data[index] != UInt8(ascii: "="), data[index] != 0x20, data[index] != UInt8(ascii: ">") { index += 1 }
                let attribute = UnsafeRawBufferPointer(rebasing: data[attributeStart..<index])
                guard index < count, data[index] == UInt8(ascii: "=") else { break }
                index += 1
                guard index < count, data[index] == UInt8(ascii: "\"") || data[index] == UInt8(ascii: "'") else { break }
                let quote = data[index]
                index += 1
                let valueStart = index
                while index < count, data[index] != quote { index += 1 }
                let raw = UnsafeRawBufferPointer(rebasing: data[valueStart..<index])
                index += 1
                if ByteText.equals(attribute, "Name", ignoringCase: true) {
                    decodeEntities(raw, into: &name)
                    hasName = true
                } else if !hasValue {
                    decodeEntities(raw, into: &value)
                    hasValue = true
                }
            }
            if hasName { body(name, value) }
        }
    }

    /// Decodes the five XML entities and numeric character references.
    static func decodeEntities(_ raw: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "&"), let semicolon = ByteText.index(of: UInt8(ascii: ";"), in: raw, from: index + 1),
                semicolon - index <= 10
            else {
                output.append(byte)
                index += 1
                continue
            }
            let entity = UnsafeRawBufferPointer(rebasing: raw[(index + 1)..<semicolon])
            if ByteText.equals(entity, "quot") {
                output.append(UInt8(ascii: "\""))
            } else if ByteText.equals(entity, "amp") {
                output.append(UInt8(ascii: "&"))
            } else if ByteText.equals(entity, "lt") {
                output.append(UInt8(ascii: "<"))
            } else if ByteText.equals(entity, "gt") {
                output.append(UInt8(ascii: ">"))
            } else if ByteText.equals(entity, "apos") {
                output.append(UInt8(ascii: "'"))
            } else if entity.count >= 2, entity[0] == UInt8(ascii: "#"), let scalar = characterReference(UnsafeRawBufferPointer(rebasing: entity[1...])) {
                JSONStringLiteral.appendScalar(scalar, to: &output)
            } else {
                output.append(byte)
                index += 1
                continue
            }
            index = semicolon + 1
        }
    }

    private static func characterReference(_ digits: UnsafeRawBufferPointer) -> UInt32? {
        var value: UInt32 = 0
        if digits.count >= 2, digits[0] == UInt8(ascii: "x") || digits[0] == UInt8(ascii: "X") {
            for digit in digits.dropFirst() {
                guard ByteText.isHexDigit(digit), value < 0x10_0000 else { return nil }
                value = value << 4 | UInt32(digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10)
            }
            return value
        }
        guard digits.count > 0 else { return nil }
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39, value < 0x10_0000 else { return nil }
            value = value * 10 + UInt32(digit - 0x30)
        }
        return value
    }
}

/// The structured tail of a trace detail's `Detail` text for failures and deferrals.
///
/// ```
/// Reason: [{LED=550 5.7.64 TenantAttribution; Relay Access Denied [X.eop-nam02.prod.protection.outlook.com]};{MSG=};{FQDN=};{IP=};{LRT=}]
/// ```
/// `LED` (last error detail) holds the SMTP reply; `MSG`, `FQDN`, `IP` and `LRT` (last retry
/// time) are kept as they are. In the bare form `LED=550 5.7.64 …` (no braces) a value runs to
/// the end of the text, to the next `;{`, or to a `; KEY=` (the LED text itself may hold `;`).
struct TraceDetailFailure {
    /// The LED text, e.g. `550 5.7.64 TenantAttribution; Relay Access Denied [...]`.
    var lastError: Range<Int>?
    /// Other `KEY=value` items with a value, in order.
    var items: [(key: Range<Int>, value: Range<Int>)] = []

    init(parsing detail: UnsafeRawBufferPointer) {
        let count = detail.count
        var index = 0
        while index + 4 <= count {
            // A key: upper-case letters followed by `=`, after `{`, `;`, a space or the start.
            let byte = detail[index]
            guard byte >= 0x41, byte <= 0x5A, index == 0 || Self.isBoundary(detail[index - 1]) else {
                index += 1
                continue
            }
            var keyEnd = index
            while keyEnd < count, detail[keyEnd] >= 0x41, detail[keyEnd] <= 0x5A { keyEnd += 1 }
            guard keyEnd < count, detail[keyEnd] == UInt8(ascii: "="), keyEnd - index <= 8 else {
                index = keyEnd + 1
                continue
            }
            let key = index..<keyEnd
            let braced = index > 0 && detail[index - 1] == UInt8(ascii: "{")
            let valueStart = keyEnd + 1
            var valueEnd = valueStart
            if braced {
                while valueEnd < count, detail[valueEnd] != UInt8(ascii: "}") { valueEnd += 1 }
            } else {
                // Bare form: up to `;{`, `};` or the end (the LED text itself may contain `;`).
                while valueEnd < count {
                    if detail[valueEnd] == UInt8(ascii: "}") { break }
                    if detail[valueEnd] == UInt8(ascii: ";"), valueEnd + 1 < count, detail[valueEnd + 1] == UInt8(ascii: "{") { break }
                    if valueEnd > valueStart, detail[valueEnd] == UInt8(ascii: ";"), Self.isBareKey(at: valueEnd + 1, in: detail) { break }
                    valueEnd += 1
                }
            }
            var trimmedEnd = valueEnd
            while trimmedEnd > valueStart, detail[trimmedEnd - 1] == 0x20 { trimmedEnd -= 1 }
            if ByteText.equals(UnsafeRawBufferPointer(rebasing: detail[key]), "LED") {
                if lastError == nil, trimmedEnd > valueStart { lastError = valueStart..<trimmedEnd }
            } else if trimmedEnd > valueStart {
                items.append((key, valueStart..<trimmedEnd))
            }
            index = valueEnd + 1
        }
    }

    private static func isBoundary(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "{") || byte == UInt8(ascii: ";") || byte == 0x20 || byte == UInt8(ascii: "[")
    }

    /// ` KEY=` after a `;` in the bare form.
    private static func isBareKey(at start: Int, in detail: UnsafeRawBufferPointer) -> Bool {
        var index = start
        while index < detail.count, detail[index] == 0x20 { index += 1 }
        let keyStart = index
        while index < detail.count, detail[index] >= 0x41, detail[index] <= 0x5A { index += 1 }
        return index > keyStart && index - keyStart <= 8 && index < detail.count && detail[index] == UInt8(ascii: "=")
    }

    /// Where an SMTP reply (`550 5.7.64 …`) starts in a detail text without an `LED=`.
    static func statusStart(in detail: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index + 9 <= detail.count {
            if index == 0 || !(detail[index - 1] >= 0x30 && detail[index - 1] <= 0x39),
                detail[index] == UInt8(ascii: "4") || detail[index] == UInt8(ascii: "5"),
                let status = SMTPStatus.parse(UnsafeRawBufferPointer(rebasing: detail[index...])), status.enhanced != nil {
                return index
            }
            index += 1
        }
        return nil
    }
}
