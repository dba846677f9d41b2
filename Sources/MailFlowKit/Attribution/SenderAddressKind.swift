/// What kind of network a client IP in a tenant's record belongs to: Exchange Online's own
/// servers (mail handed on inside Microsoft's network, e.g. from another tenant), private
/// addresses, or the outside world (an on-premises server, a relay, a platform).
enum SenderAddressKind {
    case exchangeOnline
    case privateNetwork
    case external
    case unknown

    /// Exchange Online Protection's published outbound ranges.
    private static let exchangeOnlineRanges = ["40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "52.238.78.88/32", "104.47.0.0/17"].compactMap(AddressRange.init)
    private static let privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16"].compactMap(AddressRange.init)

    init(_ ip: String?) {
        guard let ip = ip?.trimmingCharacters(in: " "), !ip.isEmpty else { self = .unknown; return }
        if ip.contains(":") {
            let lower = ip.lowercased()
            if lower.hasPrefix("2a01:111:f4") { self = .exchangeOnline }
            else if lower.hasPrefix("fe80:") || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower == "::1" { self = .privateNetwork }
            else { self = .external }
            return
        }
        guard AddressRange.address(ip) != nil else { self = .unknown; return }
        if Self.exchangeOnlineRanges.contains(where: { $0.contains(ip) }) { self = .exchangeOnline }
        else if Self.privateRanges.contains(where: { $0.contains(ip) }) { self = .privateNetwork }
        else { self = .external }
    }
}
