import Glibc
import RetrainCommands

// A mailer or webhook client that exits without reading its input must not kill retrain in the
// middle of a pass: writing to it fails with EPIPE instead, which is reported. Every child gets the
// default disposition back (swift-subprocess and the run supervisor's spawn reset it).
signal(SIGPIPE, SIG_IGN)

await Retrain.runMain()
