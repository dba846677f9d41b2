/// Log content made safe to print on a terminal.
///
/// Every field mailflow prints comes from logs an attacker can write to (a subject, a HELO name, an
/// SMTP reply). A terminal obeys escape sequences in what it prints: CSI (`ESC [ … final`) moves the
/// cursor or recolours, OSC (`ESC ] … BEL` or `ESC \`) sets the window title or writes hyperlinks and,
/// in some terminals, the clipboard. `sanitized` drops whole sequences (not just the ESC, which would
/// leave `[2J` behind), every other C0 and C1 control, and DEL; TAB, CR and LF become a space so one
/// field stays on one line. JSON output never goes through here: it stays byte-exact.
package enum TerminalText {
    /// `text` without escape sequences and control characters.
    package static func sanitized(_ text: String) -> String {
        // The common case (plain text) is returned as is, without building a new string.
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            switch scalar.value {
            case 0x1B:
                // ESC: skip the sequence it introduces.
                guard let next = scalars.next() else { break }
                switch next {
                case "[": skipCSI(&scalars)
                case "]", "P", "X", "^", "_": skipString(&scalars)
                default:
                    // A two-character escape (ESC c, ESC 7, …): dropped with its ESC, unless it is text of its own.
                    if next.value < 0x20 || next.value >= 0x7F { pending = next }
                }
            case 0x9B: skipCSI(&scalars)                   // C1 CSI
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: skipString(&scalars)  // C1 OSC, DCS, SOS, PM, APC
            case 0x09, 0x0A, 0x0D: output.append(" ")
            default:
                if !isControl(scalar) { output.append(scalar) }
            }
        }
        return String(output)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }

    /// CSI: parameter and intermediate bytes up to one final byte (0x40–0x7E).
    private static func skipCSI(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if scalar.value >= 0x40 && scalar.value <= 0x7E { return }
            if scalar.value < 0x20 || scalar.value > 0x7E { return }  // malformed: stop at the damage
        }
    }

    /// OSC, DCS, SOS, PM, APC: a string up to BEL, ST (`ESC \`) or C1 ST.
    private static func skipString(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x07, 0x9C: return
            case 0x1B:
                _ = scalars.next()  // the `\` of ST (or whatever follows: the string ends either way)
                return
            default: continue
            }
        }
    }
}
