/// An IPv4 address range from a connector's `SenderIPAddresses`: one address, a CIDR block
/// (`198.51.100.16/28`) or a dash range (`198.51.100.1-198.51.100.9`).
///
/// Exchange Online connectors take IPv4 only, so IPv6 entries do not parse (the caller says so).
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    public let first: UInt32
    public let last: UInt32
    public let text: String

    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: " ")
        self.text = text
        if let slash = text.firstIndex(of: "/") {
            guard let base = Self.address(String(text[..<slash])), let bits = Int(text[text.index(after: slash)...]), (0...32).contains(bits)
            else { return nil }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            first = base & mask
            last = first | ~mask
        } else if let dash = text.firstIndex(of: "-") {
            guard let low = Self.address(String(text[..<dash])), let high = Self.address(String(text[text.index(after: dash)...])), low <= high
            else { return nil }
            first = low
            last = high
        } else {
            guard let single = Self.address(text) else { return nil }
            first = single
            last = single
        }
    }

    public static func address(_ text: String) -> UInt32? {
        let parts = text.trimmingCharacters(in: " ").split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt32(part), octet <= 255, !part.isEmpty, part.count <= 3 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    public func contains(_ address: String) -> Bool {
        guard let value = Self.address(address) else { return false }
        return value >= first && value <= last
    }

    public func overlaps(_ other: AddressRange) -> Bool {
        first <= other.last && other.first <= last
    }

    public var description: String { text }
}
