import FuzzSupport

/// libFuzzer target: one input, parsed whole; a crash or sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.parse(UnsafeRawBufferPointer(start: data, count: size), formatIds: ["exo-message-trace-csv", "exo-trace-detail", "exo-historical-summary", "exo-historical-extended", "connector-export-csv"])
    return 0
}

runFuzzer(fuzzOneInput)
