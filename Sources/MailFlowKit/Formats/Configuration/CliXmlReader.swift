import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a PowerShell CliXml document (`Export-Clixml`) into ``ExportedValue``s.
///
/// ```xml
/// <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
///   <Obj RefId="0">
///     <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig</T>…</TN>
///     <ToString>My company to Office 365</ToString>
///     <Props>
///       <B N="RequireTLS">true</B>
///       <Obj N="TlsAuthLevel" RefId="1"><TN RefId="1">…</TN><ToString>CertificateValidation</ToString><I32>2</I32></Obj>
///       <Obj N="SmartHosts" RefId="3"><TN RefId="3">…</TN><LST><Obj RefId="4"><TNRef RefId="4" /><ToString>host</ToString>…</Obj></LST></Obj>
///       <Ref N="SourceIPAddress" RefId="5" />
/// ```
///
/// The XML is parsed into a small tree with Foundation's `XMLParser`, then converted: `<Ref>`
/// and `<TNRef>` are resolved to the earlier `<Obj RefId>` and `<TN RefId>`, lists (`<LST>`,
/// `<IE>`, `<QUE>`, `<STK>`) become ``ExportedValue/list(_:)``, dictionaries (`<DCT>`) objects,
/// primitives their values, and strings lose CliXml's `_xHHHH_` escapes.
enum CliXmlReader {
    /// Why a document is not CliXml.
    struct Failure: Error, CustomStringConvertible {
        /// 1-based line of the document where the XML parser stopped (0 when unknown).
        var line: Int
        var message: String

        var description: String { message }
    }

    /// The top-level values (one per exported object) of a document.
    static func read(_ document: [UInt8]) throws(Failure) -> [ExportedValue] {
        let builder = XMLTreeBuilder()
        // Through a stream, not `XMLParser(data:)`: given the whole document in one piece, libxml2
        // refuses anything over its 10,000,000-byte single-chunk limit as "not well-formed" (a
        // 10 MB export of 56,000 accepted domains was), while a stream is fed in small chunks.
        let parser = XMLParser(stream: InputStream(data: Data(document)))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "the XML is not well formed"
            throw Failure(line: builder.errorLine ?? parser.lineNumber, message: "the CliXml is not well-formed XML (\(reason))")
        }
        guard localName(root.name) == "Objs" else {
            throw Failure(line: 1, message: "the XML document is not CliXml: its root element is <\(root.name)>, not <Objs>")
        }
        var converter = Converter()
        return root.children.map { converter.value(of: $0) }
    }

    /// An element name without a namespace prefix.
    static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    /// Decodes CliXml's escapes of characters XML cannot carry: `_x000D__x000A_` → CR LF,
    /// `_x005F_` → `_`.
    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), index + 7 <= bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
                bytes[index + 6] == UInt8(ascii: "_"), (2..<6).allSatisfy({ ByteText.isHexDigit(bytes[index + $0]) })
            {
                var scalar: UInt32 = 0
                for offset in 2..<6 {
                    let digit = bytes[index + offset]
                    scalar = scalar << 4 | UInt32(digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10)
                }
                JSONStringLiteral.appendScalar(scalar, to: &output)
                index += 7
                continue
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// An element of the document.
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        var kind: Substring { CliXmlReader.localName(name) }
        /// The `N` attribute: the property name.
        var propertyName: String? { attributes["N"] }
        var refId: String? { attributes["RefId"] }

        func child(_ kind: String) -> Node? { children.first { $0.kind == kind } }
    }

    /// Collects `XMLParser` events into a tree of ``Node``s.
    final class XMLTreeBuilder: NSObject, XMLParserDelegate {
        private var stack: [Node] = []
        private(set) var root: Node?
        /// The line of the first error, as the parser reports it when the error happens.
        private(set) var errorLine: Int?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if errorLine == nil { errorLine = parser.lineNumber }
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            stack.append(Node(name: elementName, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let node = stack.popLast() else { return }
            if let parent = stack.last { parent.children.append(node) } else { root = node }
        }
    }

    /// Turns nodes into values, remembering objects and type-name lists by `RefId` in document order.
    struct Converter {
        private var objects: [String: ExportedValue] = [:]
        private var typeNameLists: [String: [String]] = [:]

        private static let listKinds: Set<Substring> = ["LST", "IE", "QUE", "STK"]
        private static let structuralKinds: Set<Substring> = ["TN", "TNRef", "ToString", "Props", "MS", "LST", "IE", "QUE", "STK", "DCT"]

        mutating func value(of node: Node) -> ExportedValue {
            switch node.kind {
            case "Obj":
                let value = object(node)
                if let refId = node.refId { objects[refId] = value }
                return value
            case "Ref":
                return node.refId.flatMap { objects[$0] } ?? .null
            case "Nil":
                return .null
            case "B":
                return .bool(ExportedValue.trimmed(node.text).lowercased() == "true")
            case "DT":
                let text = ExportedValue.trimmed(node.text)
                return Timestamp.parseISO8601(text).map(ExportedValue.date) ?? .string(text)
            case "By", "SB", "I16", "I32", "I64", "U16", "U32", "U64":
                let text = ExportedValue.trimmed(node.text)
                return Int64(text).map(ExportedValue.integer) ?? .string(text)
            case "Db", "Sg", "D":
                let text = ExportedValue.trimmed(node.text)
                return Double(text).map(ExportedValue.double) ?? .string(text)
            case "C":
                // A character, written as its UTF-16 code.
                if let code = UInt32(ExportedValue.trimmed(node.text)), let scalar = Unicode.Scalar(code) {
                    return .string(String(Character(scalar)))
                }
                return .string(node.text)
            case "SS":
                // A SecureString: encrypted for the exporting user, of no use here.
                return .null
            default:
                // S, G, URI, Version, XD, SBK, TS, BA and anything newer: text.
                return .string(CliXmlReader.unescape(node.text))
            }
        }

        private mutating func object(_ node: Node) -> ExportedValue {
            var typeNames: [String] = []
            if let names = node.child("TN") {
                typeNames = names.children.filter { $0.kind == "T" }.map { ExportedValue.trimmed($0.text) }
                if let refId = names.refId { typeNameLists[refId] = typeNames }
            } else if let reference = node.child("TNRef"), let refId = reference.refId {
                typeNames = typeNameLists[refId] ?? []
            }
            if let list = node.children.first(where: { Self.listKinds.contains($0.kind) }) {
                return .list(list.children.map { value(of: $0) })
            }
            var object = ExportedObject(typeNames: typeNames, text: node.child("ToString").map { CliXmlReader.unescape($0.text) })
            if let dictionary = node.child("DCT") {
                for entry in dictionary.children where entry.kind == "En" {
                    guard let keyNode = entry.children.first(where: { $0.propertyName == "Key" }) else { continue }
                    let key = value(of: keyNode).text ?? ""
                    let entryValue = entry.children.first(where: { $0.propertyName == "Value" }).map { value(of: $0) } ?? .null
                    object.append(key, entryValue)
                }
            }
            for child in node.children where !Self.structuralKinds.contains(child.kind) {
                // The primitive an enum or a wrapped value holds (`<I32>2</I32>`).
                if child.propertyName == nil, object.primitive == nil { object.primitive = value(of: child) }
            }
            for section in node.children where section.kind == "Props" || section.kind == "MS" {
                for property in section.children {
                    let propertyValue = value(of: property)
                    if let name = property.propertyName { object.append(name, propertyValue) }
                }
            }
            return .object(object)
        }
    }
}
