import FuzzSupport

/// libFuzzer target: one input, parsed whole; a crash or sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.parse(UnsafeRawBufferPointer(start: data, count: size), formatIds: ["exchange-message-tracking", "exchange-smtp-protocol", "elastic-protocol-log-json"])
    return 0
}

runFuzzer(fuzzOneInput)
