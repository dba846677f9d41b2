/// libFuzzer's driver, called from each target's top-level code.
///
/// SwiftPM links an executable target's `main` to the module's own entry point, so libFuzzer's
/// `main` is never pulled in; the targets hand control to `LLVMFuzzerRunDriver` instead (built
/// with `-sanitize=fuzzer`, without `-parse-as-library`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}

#if canImport(Glibc)
import Glibc
#endif
