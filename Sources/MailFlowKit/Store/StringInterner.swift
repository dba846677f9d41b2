/// Hands out one shared copy of each repeated string a read brings back (file paths, server and
/// connector names, tenants): SQLite returns a fresh copy per row, and a million evidence entries
/// naming the same few files would otherwise hold a million copies of their paths.
final class StringInterner {
    private var strings: Set<String> = []

    func callAsFunction(_ value: String?) -> String? {
        guard let value else { return nil }
        if let shared = strings.firstIndex(of: value) { return strings[shared] }
        strings.insert(value)
        return value
    }
}
