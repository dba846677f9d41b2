import Foundation
import Testing

@testable import MailFlowKit

/// The sample's report opened in a real browser (headless Chromium): what a manager or Microsoft
/// support sees. Skipped, with the reason, where no Chromium is installed (`.ci/run` installs it).
@Suite("HTML report in a browser", .serialized)
struct ReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("Chromium renders the sample's report: every finding, a timeline per path, a <script> subject shown as text; a screenshot is kept",
          .enabled(if: chromium != nil, "no chromium binary on this machine (apt-get install chromium); .ci/run installs it"))
    func rendersInChromium() throws {
        try withTemporaryDirectory { directory in
            let (result, messages, html) = try HTMLReportTests.sampleReport(in: directory, subject: "<script>document.title='pwned'</script>")
            let page = directory.appendingPathComponent("report.html")
            try html.write(to: page, atomically: true, encoding: .utf8)

            // The DOM after the page's own script ran, as the browser built it.
            let dom = try Self.run(["--dump-dom", page.absoluteString])
            #expect(dom.contains("<span id=\"finding-count\">\(result.findings.count)</span>"))
            #expect(dom.components(separatedBy: "<article class=\"finding ").count - 1 == result.findings.count)
            #expect(dom.components(separatedBy: "<svg class=\"chart\"").count - 1 == Set(messages.map(\.path)).count)
            #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
            #expect(!dom.contains("<title>pwned</title>"))

            let screenshot = Package.root.appendingPathComponent(".build/report-screenshot.png")
            try? FileManager.default.removeItem(at: screenshot)
            _ = try Self.run(["--screenshot=\(screenshot.path)", "--window-size=1280,2400", page.absoluteString])
            let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
            #expect(size > 20_000, "the screenshot at \(screenshot.path) is missing or blank")
        }
    }
}
