import Foundation
import Testing

@testable import MailFlowKit

@Suite("Hostile input: a large CliXml export")
struct LargeCliXmlTests {
    static func acceptedDomains(_ count: Int) -> [UInt8] {
        var text = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
        for index in 0..<count {
            text += "  <Obj RefId=\"\(index)\"><TN RefId=\"\(index)\"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain</T></TN>"
                + "<Props><S N=\"DomainName\">d\(index).contoso-customer-domain.example</S><S N=\"DomainType\">Authoritative</S><B N=\"Default\">false</B></Props></Obj>\r\n"
        }
        return Array((text + "</Objs>\r\n").utf8)
    }

    @Test("a 10 MB CliXml of 56,000 accepted domains is read as XML, not refused as not well-formed")
    func tenMegabyteCliXmlIsRead() throws {
        let document = Self.acceptedDomains(56_000)
        #expect(document.count > 10_000_000)
        let values = try CliXmlReader.read(document)
        #expect(values.count == 56_000)
    }
}
