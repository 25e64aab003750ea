// Marks (source positions) live in the bottom layer, where the JSON reader uses them too; a module
// that reads YAML sees them as before.
@_exported import RetrainBase
