// retrain runs on Linux: it calls glibc (syncfs, memfd_create, posix_spawn's setsid flag), reads
// /proc and uses prctl's child subreaper; README "Platforms" says so.
#if !os(Linux)
    #error("retrain builds and runs on Linux only (glibc, /proc, prctl); see README, Platforms")
#endif
