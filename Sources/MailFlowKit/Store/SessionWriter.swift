extension StoreWriter {
    /// Writes one SMTP session with its certificates, transactions and recipients.
    ///
    /// A session is identified by its connector, direction, session id and origin. Seen again (a
    /// session that was still open at the end of a growing log, replayed by the next run), it
    /// replaces the earlier, shorter copy with its children.
    ///
    /// - Returns: true when the session was not stored before, so `files.sessions` counts each
    ///   stored session once however often a resume or a grown file replays it.
    @discardableResult
    func write(_ session: SMTPSession, fileId: Int64, originId: Int64?) throws -> Bool {
        var hasher = ContentHasher()
        hasher.combine(session.direction.rawValue)
        hasher.combine(UInt64(0x1F))
        hasher.combine(session.connector)
        hasher.combine(UInt64(0x1F))
        hasher.combine(session.sessionId)
        hasher.combine(UInt64(bitPattern: originId ?? -1))
        let key = Int64(bitPattern: hasher.finalize())

        let existing = try database.scalar("SELECT id FROM smtp_sessions WHERE session_key = ?", [.integer(key)])
        if let existing {
            try cached("DELETE FROM smtp_recipients WHERE transaction_id IN (SELECT id FROM smtp_transactions WHERE session_id = ?)").bindAndRun([.integer(existing)])
            try cached("DELETE FROM smtp_transactions WHERE session_id = ?").bindAndRun([.integer(existing)])
            try cached("DELETE FROM session_certificates WHERE session_id = ?").bindAndRun([.integer(existing)])
            try cached("DELETE FROM smtp_sessions WHERE id = ?").bindAndRun([.integer(existing)])
        }
        try cached("""
            INSERT INTO smtp_sessions (session_key, file_id, line, byte_offset, origin_id, direction, connector, session_id,
                local_endpoint, remote_endpoint, remote_ip, start_ms, end_ms, start_text, helo, banner, tls_protocol, tls_status,
                end_reason, is_incomplete)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bindAndRun([
                .integer(key), .integer(fileId), .integer(Int64(session.line)), .integer(session.offset), SQLValue(originId),
                .text(session.direction.rawValue), .text(session.connector), .text(session.sessionId),
                SQLValue(session.localEndpoint), SQLValue(session.remoteEndpoint), SQLValue(session.remoteIP),
                .integer(session.startMs), .integer(session.endMs), .text(session.startText), SQLValue(session.helo),
                SQLValue(session.banner), SQLValue(session.tlsProtocol), SQLValue(session.tlsStatus), SQLValue(session.endReason),
                SQLValue(session.isIncomplete),
            ])
        let sessionRow = database.lastInsertRowID
        for presented in session.certificates {
            let certificateId = try certificateId(for: presented.certificate)
            try cached("INSERT OR IGNORE INTO session_certificates (session_id, certificate_id, role, line, byte_offset) VALUES (?, ?, ?, ?, ?)")
                .bindAndRun([.integer(sessionRow), .integer(certificateId), .text(presented.role.rawValue),
                             .integer(Int64(presented.line)), .integer(presented.offset)])
        }
        for (ordinal, transaction) in session.transactions.enumerated() {
            try cached("""
                INSERT INTO smtp_transactions (session_id, ordinal, line, byte_offset, time_ms, mail_from, mail_from_domain, xoorg,
                    mail_from_code, mail_from_reply, message_id, data_code, data_enhanced_code, data_reply)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bindAndRun([
                    .integer(sessionRow), .integer(Int64(ordinal)), .integer(Int64(transaction.line)), .integer(transaction.offset),
                    .integer(transaction.timeMs), .text(transaction.mailFrom), SQLValue(EmailAddress.domain(of: transaction.mailFrom)),
                    SQLValue(transaction.xoorg?.lowercased()), SQLValue(transaction.mailFromReply.map { Int64($0.code) }),
                    SQLValue(transaction.mailFromReply?.text), SQLValue(transaction.messageId),
                    SQLValue(transaction.dataReply.map { Int64($0.code) }), SQLValue(transaction.dataReply?.enhancedCode),
                    SQLValue(transaction.dataReply?.text),
                ])
            let transactionRow = database.lastInsertRowID
            for (index, recipient) in transaction.recipients.enumerated() {
                try cached("""
                    INSERT INTO smtp_recipients (transaction_id, ordinal, line, byte_offset, address, domain, reply_code, enhanced_code, reply)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).bindAndRun([
                        .integer(transactionRow), .integer(Int64(index)), .integer(Int64(recipient.line)), .integer(recipient.offset),
                        .text(recipient.address), SQLValue(EmailAddress.domain(of: recipient.address)),
                        SQLValue(recipient.reply.map { Int64($0.code) }), SQLValue(recipient.reply?.enhancedCode), SQLValue(recipient.reply?.text),
                    ])
            }
        }
        return existing == nil
    }

    func certificateId(for certificate: CertificateRecord) throws -> Int64 {
        var hasher = ContentHasher()
        if let thumbprint = certificate.thumbprint {
            hasher.combine(thumbprint.uppercased())
        } else {
            hasher.combine(certificate.subject ?? "")
            hasher.combine(UInt64(0x1F))
            hasher.combine(certificate.issuer ?? "")
            hasher.combine(UInt64(0x1F))
            hasher.combine(certificate.serialNumber ?? "")
            hasher.combine(UInt64(0x1F))
            hasher.combine(certificate.alternateNames.joined(separator: ";"))
        }
        let key = Int64(bitPattern: hasher.finalize())
        if let id = certificateIds[key] { return id }
        try cached("""
            INSERT INTO certificates (certificate_key, thumbprint, subject, subject_cn, issuer, serial_number, not_before, not_after, alternate_names)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(certificate_key) DO UPDATE SET
                subject = coalesce(certificates.subject, excluded.subject),
                subject_cn = coalesce(certificates.subject_cn, excluded.subject_cn),
                issuer = coalesce(certificates.issuer, excluded.issuer),
                serial_number = coalesce(certificates.serial_number, excluded.serial_number),
                not_before = coalesce(certificates.not_before, excluded.not_before),
                not_after = coalesce(certificates.not_after, excluded.not_after),
                alternate_names = coalesce(certificates.alternate_names, excluded.alternate_names)
            """).bindAndRun([
                .integer(key), SQLValue(certificate.thumbprint?.uppercased()), SQLValue(certificate.subject),
                SQLValue(certificate.subjectCommonName?.lowercased()), SQLValue(certificate.issuer), SQLValue(certificate.serialNumber),
                SQLValue(certificate.notBefore), SQLValue(certificate.notAfter),
                SQLValue(certificate.alternateNames.isEmpty ? nil : certificate.alternateNames.joined(separator: ";")),
            ])
        let id = try database.scalar("SELECT id FROM certificates WHERE certificate_key = ?", [.integer(key)])!
        certificateIds[key] = id
        return id
    }
}
