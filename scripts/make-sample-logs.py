#!/usr/bin/env python3
"""Writes sample-logs/: one coherent mail-flow incident across two Exchange Online tenants.

Deterministic (no randomness, fixed times), so the files in git are exactly what this script
writes. The story and the expected findings are in sample-logs/README.md (written by hand).
Run from the repository root:  python3 scripts/make-sample-logs.py
"""
import gzip, json, os, zlib
from datetime import datetime, timedelta, timezone

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-logs")
DAY = datetime(2026, 11, 24, tzinfo=timezone.utc)

EX01_IP_PRIVATE = "10.20.0.15"
EX01_IP_PUBLIC = "203.0.113.10"
CRM_RELAY_IP = "198.51.100.25"
FAB_RELAY_IP = "203.0.113.40"
EOP_CONTOSO = "52.101.68.14"
EOP_FABRIKAM = "52.101.194.7"

CERT_SUBJECT = "CN=mail.contoso.com, O=Contoso Ltd, L=Reading, C=GB"
CERT_ISSUER = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
CERT_SANS = "mail.contoso.com;autodiscover.contoso.com"
# The renewal EX01 picked up at 11:00 for Contoso's own Send connector: a new subject and SANs.
NEW_CERT_SUBJECT = "CN=ex01.contoso.com, O=Contoso Ltd, L=Reading, C=GB"
NEW_CERT_SANS = "ex01.contoso.com;autodiscover.contoso.com"


def make_certificate(subject_cn, sans, serial, not_before, not_after):
    """A real DER certificate, the same bytes every run (fixed Ed25519 keys; Ed25519 signs deterministically)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    issuer_key = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    subject_key = Ed25519PrivateKey.from_private_bytes(bytes(range(33, 65)))
    # DER order, least specific first (Windows prints it reversed: CN=…, O=…, C=…).
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"), x509.NameAttribute(NameOID.LOCALITY_NAME, "Reading"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso Ltd"), x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    issuer = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DigiCert Inc"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "DigiCert Global G2 TLS RSA SHA256 2020 CA1")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer).public_key(subject_key.public_key())
                   .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans.split(";")]), critical=False)
                   .sign(issuer_key, None))
    der = certificate.public_bytes(serialization.Encoding.DER)
    return der, certificate.fingerprint(hashes.SHA1()).hex().upper(), "%032X" % serial

OLD_DER, CERT_THUMB, CERT_SERIAL = make_certificate("mail.contoso.com", CERT_SANS, 0x0C4F2B7A91D3E5F60718293A4B5C6D7E,
                                                    datetime(2026, 6, 1, tzinfo=timezone.utc), datetime(2027, 6, 1, 23, 59, 59, tzinfo=timezone.utc))
NEW_DER, NEW_CERT_THUMB, NEW_CERT_SERIAL = make_certificate("ex01.contoso.com", NEW_CERT_SANS, 0x3A9D0E44C1B25F6071829304A5B6C7D8,
                                                            datetime(2026, 11, 24, 10, 50, tzinfo=timezone.utc), datetime(2027, 11, 24, 23, 59, 59, tzinfo=timezone.utc))

CONTOSO_CONNECTOR = "Outbound to Office 365 - 6f1d4c2a-8b3e-4f5a-9c7d-2e1b0a9f8c7d"
FABRIKAM_CONNECTOR = "Outbound to Fabrikam"


def t(hh, mm, ss=0, ms=0):
    return DAY + timedelta(hours=hh, minutes=mm, seconds=ss, milliseconds=ms)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def write(path, data, mode="w", newline=None):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if isinstance(data, bytes):
        with open(full, "wb") as f:
            f.write(data)
    else:
        with open(full, "w", encoding="utf-8", newline=newline) as f:
            f.write(data)


def csv_field(value):
    value = "" if value is None else str(value)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


# ---------------------------------------------------------------------------------------------
# The messages. Each: id, time, path, sender, recipients, subject, outcome per recipient.
# ---------------------------------------------------------------------------------------------
ex01_messages = []   # sent by EX01 (hybrid Exchange Server of Contoso, also hosting Fabrikam mailboxes)
n = 0
def ex01(time, path, sender, recipients, subject, replies=None, null_sender=False):
    global n
    n += 1
    ex01_messages.append(dict(
        id="<%08X%04d@EX01.contoso.local>" % (0xC0FFEE00 + n, n), time=time, path=path, sender=sender,
        mail_from="" if null_sender else sender, recipients=recipients, subject=subject,
        replies=replies or ["250 2.1.5 Recipient OK"] * len(recipients), internal=70912345566400 + n, seq=n))

# Contoso's own mail to the internet: certificate mail.contoso.com decides Contoso. Healthy.
ex01(t(8, 5, 12, 345), "contoso", "alice@contoso.com", ["orders@northwind.example"], "PO 4471, revised")
ex01(t(8, 41, 3, 110), "contoso", "bob@contoso.com", ["j.smith@adatum.example", "k.lee@adatum.example"], 'Minutes: "Q4 plan", draft')
ex01(t(9, 12, 44, 20), "contoso", "alice@contoso.com", ["ghost@contoso.com"], "Hello?",
     replies=["550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ghost@contoso.com not found by SMTP address lookup"])
ex01(t(9, 58, 0, 500), "contoso", "carol@contoso.com", ["support@litware.example"], "Réunion de suivi — ticket 8812")
ex01(t(10, 33, 17, 0), "contoso", "alice@contoso.com", ["orders@northwind.example"], "PO 4472")
REFUSED = "550 5.7.64 TenantAttribution; Relay Access Denied [AM7EUR03FT052.eop-EUR03.prod.protection.outlook.com]"
ex01(t(11, 20, 5, 250), "contoso", "dave@contoso.com", ["press@fourthcoffee.example"], "Statement, embargoed until 12:00", replies=[REFUSED])
ex01(t(11, 38, 41, 0), "contoso", "alice@contoso.com", ["orders@northwind.example"], "PO 4473", replies=[REFUSED])
# Fabrikam's mail, sent by the same server through its own Send connector but with Contoso's certificate.
ex01(t(8, 22, 30, 0), "fabrikam", "erin@fabrikam.com", ["buyer@wingtip.example"], "Quote FAB-2231")
ex01(t(9, 3, 9, 900), "fabrikam", "frank@fabrikam.com", ["ap@tailspin.example", "ar@tailspin.example"], "Invoice 99812, 30 days")
ex01(t(9, 47, 51, 0), "fabrikam", "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@fabrikam.com", ["noreply@wingtip.example"],
     "Undeliverable: Quote FAB-2231", null_sender=True)
ex01(t(10, 15, 42, 0), "fabrikam", "erin@fabrikam.com", ["buyer@wingtip.example"], "Re: Quote FAB-2231")
ex01(t(11, 2, 0, 0), "fabrikam", "grace@fabrikam.com", ["events@proseware.example"], "Booth, hall 4")
ex01(t(11, 44, 19, 0), "fabrikam", "frank@fabrikam.com", ["ap@tailspin.example"], "Invoice 99813")

crm_messages = []    # Tailspin CRM's relay, sending Fabrikam's newsletters with its own MAIL FROM
for i, (hh, mm) in enumerate([(8, 10), (8, 46), (9, 19), (9, 41), (9, 55), (10, 2), (10, 17), (10, 31), (10, 48), (11, 5), (11, 26), (11, 50)]):
    crm_messages.append(dict(
        id="<%s.%05d.%s@crm.tailspin-mail.com>" % ("20261124%02d%02d00" % (hh, mm), 31000 + i, "FABNEWS"),
        queue="%X" % (0x4A1B2C3D0 + i * 7919), time=t(hh, mm, 7 + i, 120 * i % 1000),
        mail_from="bounces+fab.%d@crm.tailspin-mail.com" % (5000 + i),
        recipient=["pat@contoso-customer.example", "lin@adatum.example", "sam@wingtip.example", "kim@proseware.example"][i % 4],
        delivered=(hh, mm) < (10, 0)))

fab_messages = []    # Fabrikam's own Postfix relay for line-of-business alerts
for i, (hh, mm, rcpt) in enumerate([(8, 30, "ops@litware.example"), (9, 0, "oncall@fabrikam.com"), (9, 30, "vendor@wingtip.example"),
                                    (10, 0, "ops@litware.example"), (10, 45, "nobody@fabrikam.com"), (11, 30, "vendor@wingtip.example")]):
    fab_messages.append(dict(
        id="<20261124%02d%02d30.%X@fab-smtp01.fabrikam.com>" % (hh, mm, 0x9F00 + i), queue="%X" % (0x7C3D2E1F0 + i * 104729),
        time=t(hh, mm, 30), mail_from="alerts@fabrikam.com", recipient=rcpt,
        unknown_recipient=rcpt.startswith("nobody@")))

# ---------------------------------------------------------------------------------------------
# EX01: message tracking logs (UTF-8 BOM, CRLF; the second hour gzipped) and SMTP Send protocol logs.
# ---------------------------------------------------------------------------------------------
TRK_FIELDS = ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,"
              "internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,"
              "related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,"
              "original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version")

def trk_header(hour):
    return ("#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: Message Tracking Log\r\n"
            "#Date: %s\r\n#Fields: %s\r\n" % (iso(t(hour, 0, 0, 7)), TRK_FIELDS))

def trk_row(values):
    return ",".join(csv_field(v) for v in values) + "\r\n"

def tracking_rows(m):
    rows = []
    netid = "%08x-1c2d-4e5f-8a9b-08de2c%06x" % (0x9d1c0000 + m["seq"], m["seq"])
    submit = m["time"] - timedelta(milliseconds=830)
    recipients = ";".join(m["recipients"])
    size = 18230 + m["seq"] * 517
    rows.append(trk_row([iso(submit), "fe80::9c41:2b1a:7d3e:15c2%4", "EX01.contoso.local", "fe80::9c41:2b1a:7d3e:15c2%4", "EX01",
        "MDB:6f2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, Mailbox:%08x-aaaa-4bbb-8ccc-0123456789ab, Event:%d, MessageClass:IPM.Note, "
        "CreationTime:%s, ClientType:MOMT, SubmissionAssistant:MailboxTransportSubmissionEmailAssistant" % (0x51000 + m["seq"], 190620000 + m["seq"], iso(submit)),
        "", "STOREDRIVER", "RECEIVE", m["internal"], m["id"], netid, recipients, ";".join(["To"] * len(m["recipients"])), size, len(m["recipients"]),
        "", "", m["subject"], m["sender"], m["mail_from"] or "<>", "04I: ", "Originating", "", "10.20.0.31", "", "S:DeliveryPriority=Normal;S:AccountForest=contoso.local",
        "Email", "%08x-5c5b-4d9e-b1a2-08de2c000000" % (0x1000 + m["seq"]), "15.02.1544.004"]))
    host = "contoso-com.mail.protection.outlook.com" if m["path"] == "contoso" else "fabrikam-com.mail.protection.outlook.com"
    eop = EOP_CONTOSO if m["path"] == "contoso" else EOP_FABRIKAM
    connector = CONTOSO_CONNECTOR if m["path"] == "contoso" else FABRIKAM_CONNECTOR
    ok = [r for r, reply in zip(m["recipients"], m["replies"]) if reply.startswith("250")]
    failed = [(r, reply) for r, reply in zip(m["recipients"], m["replies"]) if not reply.startswith("250")]
    if ok:
        rows.append(trk_row([iso(m["time"]), EX01_IP_PRIVATE, "EX01", eop, host,
            ";250 2.6.0 %s [InternalId=%d, Hostname=AM9PR02MB%04d.eurprd02.prod.outlook.com] %d bytes in 0.104, 171.2 KB/sec Queued mail for delivery;ClientSubmitTime:" % (m["id"], 5450313518243 + m["seq"], 7700 + m["seq"], size),
            connector, "SMTP", "SENDEXTERNAL", m["internal"], m["id"], netid, ";".join(ok), ";".join(["250 2.1.5 Recipient OK"] * len(ok)), size, len(ok),
            "", "", m["subject"], m["sender"], m["mail_from"] or "<>", "%s;SRV=EX01.contoso.local:TOTAL-SUB=0.012|SA=0.011|MTSS-PEN=0.000" % iso(submit),
            "Originating", "", "10.20.0.31", "", "S:E2ELatency=0.912;S:ExternalSendLatency=0.104;S:ToEntity=Internet;S:FromEntity=Hosted", "Email",
            "%08x-5c5b-4d9e-b1a2-08de2c000001" % (0x1000 + m["seq"]), "15.02.1544.004"]))
    for rcpt, reply in failed:
        rows.append(trk_row([iso(m["time"] + timedelta(milliseconds=40)), EX01_IP_PRIVATE, "EX01", eop, host, "", connector, "SMTP", "FAIL",
            m["internal"], m["id"], netid, rcpt, reply, size, 1, "", "", m["subject"], m["sender"], m["mail_from"] or "<>", "", "Originating", "",
            "10.20.0.31", "", "S:IsSmtpResponseFromExternalServer=True", "Email", "%08x-5c5b-4d9e-b1a2-08de2c000002" % (0x1000 + m["seq"]), "15.02.1544.004"]))
    return rows

early = [m for m in ex01_messages if m["time"].hour < 10]
late = [m for m in ex01_messages if m["time"].hour >= 10]
trk9 = trk_header(8) + "".join(r for m in sorted(early, key=lambda m: m["time"]) for r in tracking_rows(m))
# Two damaged lines, as a disk-full or copy accident leaves them: both must be quarantined, nothing else lost.
lines = trk9.split("\r\n")
lines.insert(9, "2026-11-24T08:30:00.000Z,10.20.0.15,EX01,52.101.68.14")
lines.insert(14, '2026-11-24T08:50:02.000Z,10.20.0.15,EX01,,,"MDB:6f2b1c3d, Mailbox:truncated')
trk9 = "\r\n".join(lines)
write("EX01/MessageTracking/MSGTRK2026112408-1.LOG", b"\xef\xbb\xbf" + trk9.encode("utf-8"))
trk10 = trk_header(10) + "".join(r for m in sorted(late, key=lambda m: m["time"]) for r in tracking_rows(m))
# Written by a log shipper that appends one gzip member per flush: two members.
half = len(trk10) // 2
cut = trk10.index("\r\n", half) + 2
write("EX01/MessageTracking/MSGTRK2026112410-1.LOG.gz",
      gzip.compress(b"\xef\xbb\xbf" + trk10[:cut].encode("utf-8"), mtime=0) + gzip.compress(trk10[cut:].encode("utf-8"), mtime=0))

SEND_HEADER = ("#Software: Microsoft Exchange Server\r\n#Version: 15.2.1544.4\r\n#Log-type: SMTP Send Protocol Log\r\n"
               "#Date: %s\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n")

def send_session(m):
    connector = CONTOSO_CONNECTOR if m["path"] == "contoso" else FABRIKAM_CONNECTOR
    eop = EOP_CONTOSO if m["path"] == "contoso" else EOP_FABRIKAM
    sid = "08DE2C%010X" % (0x4D5E6F0000 + m["seq"] * 37)
    local, remote = "%s:%d" % (EX01_IP_PRIVATE, 50100 + m["seq"]), "%s:25" % eop
    start = m["time"] - timedelta(milliseconds=600)
    out, seq = [], 0
    def line(offset_ms, event, data="", context=""):
        nonlocal seq
        out.append(",".join([iso(start + timedelta(milliseconds=offset_ms)), csv_field(connector), sid, str(seq), local if seq or event != "*" else "", remote,
                             event, csv_field(data), csv_field(context)]) + "\r\n")
        seq += 1
    front = "AM9PR02MB%04d" % (7700 + m["seq"])
    line(0, "*", "", "attempting to connect")
    line(12, "+")
    line(60, "<", "220 %s.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at %s" % (front, m["time"].strftime("%a, %d %b %Y %H:%M:%S +0000")))
    line(61, ">", "EHLO mail.contoso.com")
    line(70, "<", "250-%s.mail.protection.outlook.com Hello [%s]" % (front, EX01_IP_PUBLIC))
    line(70, "<", "250-SIZE 157286400")
    line(70, "<", "250-STARTTLS")
    line(70, "<", "250 XOORG")
    line(71, ">", "STARTTLS")
    line(80, "<", "220 2.0.0 SMTP server ready")
    renewed = m["path"] == "contoso" and m["time"] >= t(11, 0)
    if renewed:
        line(95, "*", " %s %s %s %s 2026-11-24T10:50:00.000Z 2027-11-24T23:59:59.000Z %s" % (NEW_CERT_SUBJECT, CERT_ISSUER, NEW_CERT_SERIAL, NEW_CERT_THUMB, NEW_CERT_SANS),
             "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names")
    else:
        line(95, "*", " %s %s %s %s 2026-06-01T00:00:00.000Z 2027-06-01T23:59:59.000Z %s" % (CERT_SUBJECT, CERT_ISSUER, CERT_SERIAL, CERT_THUMB, CERT_SANS),
             "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names")
    line(96, "*", "", "TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits")
    line(110, ">", "EHLO mail.contoso.com")
    line(120, "<", "250 %s.mail.protection.outlook.com Hello [%s] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES AUTH LOGIN XOORG CHUNKING BINARYMIME SMTPUTF8" % (front, EX01_IP_PUBLIC))
    line(130, "*", "", "sending message with RecordId %d and InternetMessageId %s" % (51539607553 + m["seq"], m["id"]))
    xoorg = "contoso.com" if m["path"] == "contoso" else "fabrikam.com"
    line(131, ">", "MAIL FROM:<%s> SIZE=%d XOORG=%s" % (m["mail_from"], 18230 + m["seq"] * 517, xoorg))
    for r in m["recipients"]:
        line(132, ">", "RCPT TO:<%s>" % r)
    line(200, "<", "250 2.1.0 Sender OK")
    for reply in m["replies"]:
        line(210, "<", reply)
    if any(r.startswith("250") for r in m["replies"]):
        line(220, ">", "BDAT %d LAST" % (18230 + m["seq"] * 517))
        line(590, "<", "250 2.6.0 %s [InternalId=%d, Hostname=%s.eurprd02.prod.outlook.com] %d bytes in 0.104, 171.2 KB/sec Queued mail for delivery"
             % (m["id"], 5450313518243 + m["seq"], front, 18230 + m["seq"] * 517))
    else:
        line(220, ">", "RSET")
        line(230, "<", "250 2.0.0 Resetting")
    line(600, ">", "QUIT")
    line(610, "<", "221 2.0.0 Service closing transmission channel")
    line(611, "-", "", "Local")
    return out

for hour, messages in [(8, early), (10, late)]:
    body = "".join(l for m in sorted(messages, key=lambda m: m["time"]) for l in send_session(m))
    write("EX01/ProtocolLog/SmtpSend/SEND202611240%d-1.LOG" % hour if hour < 10 else "EX01/ProtocolLog/SmtpSend/SEND2026112410-1.LOG",
          b"\xef\xbb\xbf" + ((SEND_HEADER % iso(t(hour, 0, 0, 3))) + body).encode("utf-8"))

# EX01's Send connectors, as Exchange Management Shell exports them for support cases.
send_connectors = [
    {"Name": CONTOSO_CONNECTOR, "Identity": CONTOSO_CONNECTOR, "Enabled": True, "AddressSpaces": ["smtp:*;1"],
     "SmartHosts": ["contoso-com.mail.protection.outlook.com"], "SmartHostsString": "contoso-com.mail.protection.outlook.com",
     "DNSRoutingEnabled": False, "Port": 25, "RequireTLS": True, "TlsAuthLevel": "DomainValidation", "TlsDomain": "mail.protection.outlook.com",
     "TlsCertificateName": "<I>%s<S>%s" % (CERT_ISSUER, CERT_SUBJECT), "CloudServicesMailEnabled": True, "Fqdn": "mail.contoso.com",
     "SourceTransportServers": ["EX01"], "WhenChangedUTC": "2025-03-02T10:14:00.0000000Z"},
    {"Name": FABRIKAM_CONNECTOR, "Identity": FABRIKAM_CONNECTOR, "Enabled": True, "AddressSpaces": ["smtp:fabrikam.mail.onmicrosoft.com;1"],
     "SmartHosts": ["fabrikam-com.mail.protection.outlook.com"], "SmartHostsString": "fabrikam-com.mail.protection.outlook.com",
     "DNSRoutingEnabled": False, "Port": 25, "RequireTLS": True, "TlsAuthLevel": "DomainValidation", "TlsDomain": "mail.protection.outlook.com",
     "TlsCertificateName": "<I>%s<S>%s" % (CERT_ISSUER, CERT_SUBJECT), "CloudServicesMailEnabled": True, "Fqdn": "mail.contoso.com",
     "SourceTransportServers": ["EX01"], "WhenChangedUTC": "2025-06-10T08:40:00.0000000Z"},
]
write("EX01/config/send-connectors.json", json.dumps(send_connectors, indent=2, ensure_ascii=False) + "\n")

def clixml_certificate(ref, der, subject):
    import base64
    return ('  <Obj RefId="%d">\r\n    <TN RefId="%d">\r\n      <T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2</T>\r\n'
            '      <T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate</T>\r\n      <T>Deserialized.System.Object</T>\r\n    </TN>\r\n'
            '    <ToString>[Subject]\r\n  %s\r\n</ToString>\r\n    <Props>\r\n      <BA N="RawData">%s</BA>\r\n'
            '      <S N="SerializationData">AAEAAAD/////AQAAAAAAAAAMAgAAAA==</S>\r\n      <S N="PSComputerName">ex01.contoso.local</S>\r\n    </Props>\r\n  </Obj>\r\n'
            % (ref, ref, subject, base64.b64encode(der).decode("ascii")))
write("EX01/config/exchange-certificates.xml", ("\ufeff<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
      + clixml_certificate(0, OLD_DER, CERT_SUBJECT) + clixml_certificate(1, NEW_DER, NEW_CERT_SUBJECT) + "</Objs>\r\n").encode("utf-8"))

# ---------------------------------------------------------------------------------------------
# Relays: Postfix logs (RFC 3339 timestamps, as rsyslog writes them by default).
# ---------------------------------------------------------------------------------------------
def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00" % dt.microsecond

crm_lines = []
for i, m in enumerate(crm_messages):
    q, at = m["queue"], m["time"]
    crm_lines.append("%s mta1 postfix/smtpd[%d]: %s: client=crm-app07.tailspin-mail.com[10.44.0.17]" % (rfc3339(at - timedelta(milliseconds=900)), 22100 + i, q))
    crm_lines.append("%s mta1 postfix/cleanup[%d]: %s: message-id=%s" % (rfc3339(at - timedelta(milliseconds=850)), 22300 + i, q, m["id"]))
    crm_lines.append("%s mta1 postfix/cleanup[%d]: %s: info: header From: Fabrikam News <news@fabrikam.com> from crm-app07.tailspin-mail.com[10.44.0.17]; from=<%s> to=<%s> proto=ESMTP helo=<crm-app07.tailspin-mail.com>"
                     % (rfc3339(at - timedelta(milliseconds=840)), 22300 + i, q, m["mail_from"], m["recipient"]))
    crm_lines.append("%s mta1 postfix/qmgr[1187]: %s: from=<%s>, size=%d, nrcpt=1 (queue active)" % (rfc3339(at - timedelta(milliseconds=800)), q, m["mail_from"], 41230 + i * 11))
    relay = "relay=fabrikam-com.mail.protection.outlook.com[%s]:25" % EOP_FABRIKAM
    if m["delivered"]:
        crm_lines.append("%s mta1 postfix/smtp[%d]: %s: to=<%s>, %s, delay=0.9, delays=0.1/0/0.31/0.49, dsn=2.6.0, status=sent (250 2.6.0 %s [InternalId=%d, Hostname=SA1PR12MB%04d.namprd12.prod.outlook.com] %d bytes in 0.212, 190.1 KB/sec Queued mail for delivery)"
                         % (rfc3339(at), 22500 + i, q, m["recipient"], relay, m["id"], 38521561683110 + i, 6100 + i, 41230 + i * 11))
    else:
        crm_lines.append("%s mta1 postfix/smtp[%d]: %s: to=<%s>, %s, delay=0.6, delays=0.1/0/0.3/0.2, dsn=5.7.64, status=bounced (host fabrikam-com.mail.protection.outlook.com[%s] said: 550 5.7.64 TenantAttribution; Relay Access Denied [SN1PEPF000252A1.namprd05.prod.outlook.com] (in reply to RCPT TO command))"
                         % (rfc3339(at), 22500 + i, q, m["recipient"], relay, EOP_FABRIKAM))
        crm_lines.append("%s mta1 postfix/bounce[%d]: %s: sender non-delivery notification: %s" % (rfc3339(at + timedelta(milliseconds=20)), 22700 + i, q, "%X" % (0x5E0000 + i)))
    crm_lines.append("%s mta1 postfix/qmgr[1187]: %s: removed" % (rfc3339(at + timedelta(milliseconds=30)), q))
write("tailspin-crm-relay/maillog", "\n".join(crm_lines) + "\n")

fab_lines = []
for i, m in enumerate(fab_messages):
    q, at = m["queue"], m["time"]
    fab_lines.append("%s fab-smtp01 postfix/pickup[%d]: %s: uid=998 from=<alerts>" % (rfc3339(at - timedelta(seconds=1)), 801 + i, q))
    fab_lines.append("%s fab-smtp01 postfix/cleanup[%d]: %s: message-id=%s" % (rfc3339(at - timedelta(milliseconds=950)), 811 + i, q, m["id"]))
    fab_lines.append("%s fab-smtp01 postfix/qmgr[640]: %s: from=<%s>, size=%d, nrcpt=1 (queue active)" % (rfc3339(at - timedelta(milliseconds=900)), q, m["mail_from"], 2048 + i))
    relay = "relay=fabrikam-com.mail.protection.outlook.com[%s]:25" % EOP_FABRIKAM
    if m["unknown_recipient"]:
        fab_lines.append("%s fab-smtp01 postfix/smtp[%d]: %s: to=<%s>, %s, delay=0.5, delays=0.02/0/0.3/0.18, dsn=5.4.1, status=bounced (host fabrikam-com.mail.protection.outlook.com[%s] said: 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BL02EPF0001A0F3.namprd09.prod.outlook.com] (in reply to RCPT TO command))"
                         % (rfc3339(at), 821 + i, q, m["recipient"], relay, EOP_FABRIKAM))
    else:
        fab_lines.append("%s fab-smtp01 postfix/smtp[%d]: %s: to=<%s>, %s, delay=0.7, delays=0.02/0/0.33/0.35, dsn=2.6.0, status=sent (250 2.6.0 %s [InternalId=%d, Hostname=BL1PR12MB%04d.namprd12.prod.outlook.com] %d bytes in 0.080, 25.0 KB/sec Queued mail for delivery)"
                         % (rfc3339(at), 821 + i, q, m["recipient"], relay, m["id"], 38521561690000 + i, 5100 + i, 2048 + i))
    fab_lines.append("%s fab-smtp01 postfix/qmgr[640]: %s: removed" % (rfc3339(at + timedelta(milliseconds=40)), q))
write("fab-smtp01/maillog", "\n".join(fab_lines) + "\n")

# ---------------------------------------------------------------------------------------------
# Tenant contoso.onmicrosoft.com: PowerShell 7 JSON exports and a Windows PowerShell 5.1 trace CSV.
# ---------------------------------------------------------------------------------------------
write("contoso.onmicrosoft.com/accepted-domains.json", json.dumps([
    {"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative", "Default": True, "InitialDomain": False, "MatchSubDomains": False,
     "WhenChangedUTC": "2024-02-11T09:00:00.0000000Z"},
    {"Name": "contoso.onmicrosoft.com", "DomainName": "contoso.onmicrosoft.com", "DomainType": "Authoritative", "Default": False, "InitialDomain": True,
     "MatchSubDomains": False, "WhenChangedUTC": "2019-05-03T12:00:00.0000000Z"},
    {"Name": "contoso.mail.onmicrosoft.com", "DomainName": "contoso.mail.onmicrosoft.com", "DomainType": "Authoritative", "Default": False,
     "InitialDomain": False, "MatchSubDomains": False, "WhenChangedUTC": "2019-05-03T12:00:00.0000000Z"},
], indent=2) + "\n")

def inbound(name, ctype, cert=None, ips=(), domains=("smtp:*;1",), created="2025-01-01T00:00:00.0000000Z", **extra):
    record = {"Enabled": True, "ConnectorType": ctype, "ConnectorSource": extra.pop("source", "AdminUI"), "Comment": extra.pop("comment", ""),
              "SenderIPAddresses": list(ips), "SenderDomains": list(domains), "TrustedOrganizations": [], "AssociatedAcceptedDomains": [],
              "RequireTls": extra.pop("require_tls", cert is not None), "RestrictDomainsToIPAddresses": False, "RestrictDomainsToCertificate": False,
              "CloudServicesMailEnabled": extra.pop("cloud", False), "TreatMessagesAsInternal": False, "TlsSenderCertificateName": cert,
              "EFSkipLastIP": False, "EFSkipIPs": [], "Name": name, "Identity": name, "WhenCreatedUTC": created, "WhenChangedUTC": created,
              "Guid": "00000000-0000-4000-8000-%012x" % zlib.crc32(name.encode()), "IsValid": True}
    record.update(extra)
    return record

write("contoso.onmicrosoft.com/inbound-connectors.json", json.dumps([
    inbound("Inbound from Contoso on-premises", "OnPremises", cert="mail.contoso.com", created="2025-03-02T10:20:00.0000000Z", source="HybridWizard", cloud=True),
    inbound("Inbound from Tailspin CRM", "OnPremises", ips=["198.51.100.0/26"], created="2026-11-24T09:30:00.0000000Z",
            comment="Tailspin CRM newsletters for Contoso (project Nova)"),
    inbound("Inbound from Northwind Mailer", "OnPremises", ips=["192.0.2.64/26"], created="2026-10-01T09:00:00.0000000Z",
            comment="Northwind Mailer (marketing platform) for Contoso campaigns"),
    inbound("Partner: Litware", "Partner", cert="mail.litware.example", domains=["smtp:litware.example;1"], created="2023-08-14T15:00:00.0000000Z",
            require_tls=True),
], indent=2) + "\n")

def us_date(dt):
    return dt.strftime("%-m/%-d/%Y %-I:%M:%S %p")

trace_rows = []
for m in sorted(ex01_messages, key=lambda m: m["time"]):
    for rcpt, reply in zip(m["recipients"], m["replies"]):
        if not reply.startswith("250"):
            continue  # refused at RCPT: never entered the tenant
        trace_rows.append(["outlook.office365.com", "a1b2c3d4-0000-4000-8000-000000000001", "False", "contoso.onmicrosoft.com", m["id"],
                           us_date(m["time"] + timedelta(seconds=1)), m["sender"] if m["mail_from"] else "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@fabrikam.com",
                           rcpt, m["subject"].encode("ascii", "replace").decode("ascii"), "Delivered", "", EX01_IP_PUBLIC, 18230 + m["seq"] * 517,
                           "%08x-4f3e-4d2c-b1a0-08de2c%06x" % (0x7a000000 + m["seq"], m["seq"]), "11/24/2026 12:00:00 AM", "11/25/2026 12:00:00 AM", len(trace_rows)])
header = ["PSComputerName", "RunspaceId", "PSShowComputerName", "Organization", "MessageId", "Received", "SenderAddress", "RecipientAddress", "Subject",
          "Status", "ToIP", "FromIP", "Size", "MessageTraceId", "StartDate", "EndDate", "Index"]
csv_text = "#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace\r\n" + ",".join('"%s"' % h for h in header) + "\r\n"
csv_text += "".join(",".join('"%s"' % str(v).replace('"', '""') for v in row) + "\r\n" for row in trace_rows)
write("contoso.onmicrosoft.com/messagetrace-2026-11-24.csv", csv_text.encode("ascii"))

# ---------------------------------------------------------------------------------------------
# Tenant fabrikam.onmicrosoft.com: Windows PowerShell 5.1 JSON (enums as integers, /Date()/),
# a Get-MessageTraceV2 JSON export (PowerShell 7) and a trace-detail CSV.
# ---------------------------------------------------------------------------------------------
def ps51_date(iso_text):
    dt = datetime.strptime(iso_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return "\\/Date(%d)\\/" % int(dt.timestamp() * 1000)

def ps51_json(value, indent=0):
    # Windows PowerShell 5.1 ConvertTo-Json layout: 4-space indent, two spaces after the colon.
    pad = "    " * indent
    if isinstance(value, dict):
        items = ['%s    "%s":  %s' % (pad, k, ps51_json(v, indent + 1)) for k, v in value.items()]
        return "{\r\n" + ",\r\n".join(items) + "\r\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[\r\n\r\n" + pad + "]"
        return "[\r\n" + ",\r\n".join(pad + "    " + ps51_json(v, indent + 1) for v in value) + "\r\n" + pad + "]"
    if isinstance(value, str) and value.startswith("\\/Date("):
        return '"%s"' % value
    return json.dumps(value, ensure_ascii=False)

write("fabrikam.onmicrosoft.com/accepted-domains.json", ps51_json([
    {"DomainName": "fabrikam.com", "DomainType": 0, "Default": True, "InitialDomain": False, "MatchSubDomains": False,
     "Name": "fabrikam.com", "WhenChangedUTC": ps51_date("2025-06-09T16:00:00")},
    {"DomainName": "fabrikam.onmicrosoft.com", "DomainType": 0, "Default": False, "InitialDomain": True, "MatchSubDomains": False,
     "Name": "fabrikam.onmicrosoft.com", "WhenChangedUTC": ps51_date("2018-10-01T08:00:00")},
]) + "\r\n", newline="")

fab_connectors = [
    inbound("Inbound from Contoso EX01", "OnPremises", cert="mail.contoso.com", created=ps51_date("2025-06-10T08:45:00"), cloud=True,
            comment="Fabrikam mailboxes still on Contoso's EX01 after the acquisition"),
    inbound("Inbound from CRM relay", "OnPremises", ips=["198.51.100.16/28"], created=ps51_date("2025-01-15T11:00:00"),
            comment="Tailspin CRM (newsletters)"),
    inbound("Inbound from Fabrikam SMTP relay", "OnPremises", ips=["203.0.113.40"], created=ps51_date("2024-09-01T07:30:00")),
    inbound("Inbound from ESP", "OnPremises", ips=["192.0.2.77"], created=ps51_date("2026-03-12T14:00:00"),
            comment="Northwind Mailer (newsletters)"),
]
for c in fab_connectors:
    c["WhenChangedUTC"] = c["WhenCreatedUTC"]
write("fabrikam.onmicrosoft.com/inbound-connectors.json", ps51_json(fab_connectors) + "\r\n", newline="")

v2 = []
for m in crm_messages:
    if m["delivered"]:
        v2.append({"MessageTraceId": "%08x-2b3c-4d5e-9f80-08de2c1a%04x" % (0x3c000000 + int(m["queue"], 16) % 65536, int(m["queue"], 16) % 65536),
                   "MessageId": m["id"], "Received": iso(m["time"] + timedelta(milliseconds=400)).replace("Z", "0000Z"),
                   "SenderAddress": m["mail_from"], "RecipientAddress": m["recipient"], "FromIP": CRM_RELAY_IP, "ToIP": "",
                   "Subject": "Fabrikam news — November", "Status": "Delivered", "Size": 41230})
for m in fab_messages:
    if not m["unknown_recipient"]:
        v2.append({"MessageTraceId": "%08x-2b3c-4d5e-9f80-08de2c1b%04x" % (0x3d000000 + int(m["queue"], 16) % 65536, int(m["queue"], 16) % 65536),
                   "MessageId": m["id"], "Received": iso(m["time"] + timedelta(milliseconds=300)).replace("Z", "0000Z"),
                   "SenderAddress": m["mail_from"], "RecipientAddress": m["recipient"], "FromIP": FAB_RELAY_IP, "ToIP": "",
                   "Subject": "ALERT disk usage", "Status": "Delivered", "Size": 2048})
v2.sort(key=lambda r: r["Received"], reverse=True)
write("fabrikam.onmicrosoft.com/messagetrace-v2-2026-11-24.json", json.dumps(v2, indent=2, ensure_ascii=False) + "\n")

detail_rows = []
for m in [x for x in crm_messages if x["delivered"]][:2] + fab_messages[:1]:
    ip = CRM_RELAY_IP if "tailspin" in m["id"] else FAB_RELAY_IP
    connector = "Inbound from CRM relay" if ip == CRM_RELAY_IP else "Inbound from Fabrikam SMTP relay"
    trace_id = [r for r in v2 if r["MessageId"] == m["id"]][0]["MessageTraceId"]
    data = ('<root><MEP Name="ConnectorId" String="%s" /><MEP Name="ClientIP" String="%s" /><MEP Name="ClientHostname" String="%s" />'
            '<MEP Name="ServerHostname" String="SA1PR12MB6100" /><MEP Name="ReturnPath" String="%s" /><MEP Name="Directionality" String="Originating" />'
            '<MEP Name="CustomData" Blob="S:tlsversion=TLS1_2;S:InboundConnectorData=Name=%s;S:ProxyHop1=%s" /></root>'
            % (connector, ip, "mta1.tailspin-mail.com" if ip == CRM_RELAY_IP else "fab-smtp01.fabrikam.com", m["mail_from"], connector, ip))
    detail_rows.append([m["id"], trace_id, us_date(m["time"] + timedelta(milliseconds=400)), "Receive", "",
                        "Message received by: SA1PR12MB6100.namprd12.prod.outlook.com", data])
    detail_rows.append([m["id"], trace_id, us_date(m["time"] + timedelta(seconds=2)), "Send external", "",
                        "Message sent to %s at 104.47.0.1 using TLS1.2 with AES256" % m["recipient"].split("@")[1], '<root><MEP Name="ServerIP" String="104.47.0.1" /></root>'])
header = ["MessageId", "MessageTraceId", "Date", "Event", "Action", "Detail", "Data"]
csv_text = ",".join('"%s"' % h for h in header) + "\n" + "".join(",".join('"%s"' % str(v).replace('"', '""') for v in row) + "\n" for row in detail_rows)
write("fabrikam.onmicrosoft.com/trace-details-2026-11-24.csv", csv_text)

# ---------------------------------------------------------------------------------------------
# Northwind Mailer, a marketing platform at 192.0.2.77, sending for both tenants with its own
# bounce domain. Nothing from the platform itself: only each tenant's Extended report (UTF-16LE).
# ---------------------------------------------------------------------------------------------
ESP_IP = "192.0.2.77"
EXT_FIELDS = ["date_time_utc", "client_ip", "client_hostname", "server_ip", "server_hostname", "source_context", "connector_id", "source",
              "event_id", "internal_message_id", "message_id", "network_message_id", "recipient_address", "recipient_status", "total_bytes",
              "recipient_count", "related_recipient_address", "reference", "message_subject", "sender_address", "return_path", "message_info",
              "directionality", "tenant_id", "original_client_ip", "original_server_ip", "custom_data", "transport_traffic_type", "log_id",
              "schema_version"]
esp = []  # (tenant report, time, owner, recipient, outcome)
for i, (hh, mm) in enumerate([(8, 20), (9, 20), (10, 20), (11, 20)]):
    esp.append(dict(report="contoso", time=t(hh, mm, 11), owner="contoso", recipient=["ana@fourthcoffee.example", "raj@adatum.example", "lee@wingtip.example", "mo@proseware.example"][i], outcome="delivered", n=i))
for i, (hh, mm) in enumerate([(8, 15), (8, 45), (9, 15), (9, 45)]):
    esp.append(dict(report="contoso", time=t(hh, mm, 3), owner="fabrikam", recipient=["pat@contoso-customer.example", "lin@adatum.example", "sam@wingtip.example", "kim@proseware.example"][i], outcome="delivered", n=10 + i))
esp.append(dict(report="fabrikam", time=t(10, 36, 0), owner="fabrikam", recipient="jo@litware.example", outcome="deferred-then-delivered", n=20))
for i, (hh, mm) in enumerate([(10, 42), (11, 12), (11, 42)]):
    esp.append(dict(report="fabrikam", time=t(hh, mm, 5), owner="fabrikam", recipient=["pat@contoso-customer.example", "lin@adatum.example", "sam@wingtip.example"][i], outcome="refused", n=30 + i))

def ext_row(m, time, event, status, connector="", server="", client=True):
    values = dict(date_time_utc=iso(time), client_ip=ESP_IP if client else "", client_hostname="out.nwmailer.example" if client else "",
                  server_ip=server, server_hostname="AM0PR02MB%04d" % (4100 + m["n"]), source_context="", connector_id=connector, source="SMTP",
                  event_id=event, internal_message_id=str(4398046511104 + m["n"]), message_id=m["id"],
                  network_message_id="7e1d%04x-51c2-4b0a-9e3d-08de2c77%04x" % (m["n"], m["n"]), recipient_address=m["recipient"], recipient_status=status,
                  total_bytes="52811", recipient_count="1", related_recipient_address="", reference="", message_subject=m["subject"],
                  sender_address=m["from"], return_path=m["mail_from"], message_info="", directionality="Originating", tenant_id="",
                  original_client_ip=ESP_IP, original_server_ip="", custom_data="", transport_traffic_type="Email", log_id="", schema_version="15.20.8205.021")
    return ",".join('"%s"' % values[f].replace('"', '""') for f in EXT_FIELDS) + "\r\n"

reports = {"contoso": [], "fabrikam": []}
for m in esp:
    m["id"] = "<%s.%04d.campaign@mailer.nwmailer.example>" % (m["time"].strftime("%Y%m%d%H%M%S"), 7100 + m["n"])
    m["mail_from"] = "bounce-%s-%d@bounce.nwmailer.example" % (m["owner"][:3], 900 + m["n"])
    m["from"] = "news@%s.com" % m["owner"]
    m["subject"] = "%s — winter offers" % ("Contoso" if m["owner"] == "contoso" else "Fabrikam")
    rows = reports[m["report"]]
    connector = "Inbound from Northwind Mailer" if m["report"] == "contoso" else "Inbound from ESP"
    at = m["time"]
    if m["outcome"] == "deferred-then-delivered":
        rows.append((at, ext_row(m, at, "DEFER", "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35. For more information go to https://go.microsoft.com/fwlink/p/?linkid=865268")))
        at = at + timedelta(seconds=70)
    if m["outcome"] == "refused":
        rows.append((at, ext_row(m, at, "FAIL", "550 5.7.64 TenantAttribution; Relay Access Denied [DB8EUR05FT011.eop-EUR05.prod.protection.outlook.com]")))
        continue
    rows.append((at, ext_row(m, at, "RECEIVE", "", connector=connector)))
    rows.append((at + timedelta(seconds=2), ext_row(m, at + timedelta(seconds=2), "SENDEXTERNAL", "250 2.6.0 Queued mail for delivery", server="104.47.0.%d" % (10 + m["n"]), client=False)))
for tenant, rows in reports.items():
    text = ",".join('"%s"' % f for f in EXT_FIELDS) + "\r\n" + "".join(r for _, r in sorted(rows, key=lambda r: r[0]))
    write("%s.onmicrosoft.com/extended-report-2026-11-24.csv" % tenant, b"\xff\xfe" + text.encode("utf-16-le"))

print("wrote", ROOT)
