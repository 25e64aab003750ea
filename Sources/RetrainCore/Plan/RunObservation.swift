/// What a pass sees of a started run.
public enum RunObservation: Sendable, Equatable {
    /// Still going.
    case running
    /// It cannot be told from here (it runs on another host): left alone.
    case elsewhere(String)
    /// It cannot be told now (the batch system does not answer): why. Left as it is, and looked at
    /// again by the next pass; the pass says so.
    case unknown(String)
    /// It ended and left its outcome.
    case ended(TrainerOutcome)
    /// Its process is gone without an outcome: why, as the reason of a failed run.
    case interrupted(String)
}
