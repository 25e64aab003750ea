// libFuzzer's driver for `make fuzz` (built only with RETRAIN_FUZZ set: Package.swift). The
// target is chosen by RETRAIN_FUZZ_TARGET: each feeds the bytes to one reader of untrusted input,
// which must give a value or an error for anything, never crash, hang or read out of bounds.
//   schedule  a schedule file: libyaml, the node tree, the strict decoder (RetrainYAML, RetrainCore)
//   state     a state file: the JSON reader, a whole read and a partial one, version 1 or 2
//   cron      a cron expression, the quick reader and the explaining one, which must agree
//   csv       a data file, read in small blocks so records cross block ends
import Foundation
import RetrainML

@testable import RetrainBase  // debug builds: the readers' internal entry points
@testable import RetrainCore

let target = ProcessInfo.processInfo.environment["RETRAIN_FUZZ_TARGET"] ?? "schedule"
let scratch = "/dev/shm/retrain-fuzz-\(getpid()).csv"

/// libFuzzer's driver, given the function to call with each input (SwiftPM gives an executable a
/// `main` of its own, so libFuzzer's is not the one that runs).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    switch target {
    case "schedule":
        _ = ScheduleLoader.decode(bytes: bytes, path: "schedules/fuzz.yaml", id: "fuzz", context: ValidationContext())
    case "state":
        // Whole, and in part (a command about one schedule): either reads or says why.
        _ = try? JSONReader.decode(StateFile.self, from: bytes)
        _ = StateFile.partial(bytes, decoding: ["a", "s00000"])
        _ = try? StateMigration.decodeVersion1(bytes)
    case "cron":
        let text = String(decoding: bytes, as: UTF8.self)
        let quick = bytes.withUnsafeBufferPointer { CronExpression.parseWellFormed($0) }
        var explained = try? CronExpression.parseExplaining(text).get()
        explained?.source = ""  // the explaining reader keeps the text, the quick one does not
        // What the quick reader accepts, the explaining one reads the same.
        if let quick, quick != explained { fatalError("cron readers disagree on \(text.debugDescription)") }
    case "csv":
        FileManager.default.createFile(atPath: scratch, contents: Data(bytes))
        _ = try? CSVReader.read(scratch, blockSize: 16)
    default:
        fatalError("RETRAIN_FUZZ_TARGET must be schedule, state, cron or csv")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv) { fuzz($0, $1) })
