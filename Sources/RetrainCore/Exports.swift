// The bottom layer's values (instants, JSON, files) are part of the core's interface: a module that
// imports the core sees them as before.
@_exported import RetrainBase
