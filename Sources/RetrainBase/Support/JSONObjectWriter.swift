/// Compact JSON written by hand, for the files written on every pass at the size of the whole
/// repository (state.json, reports/overview.json): Foundation's `JSONEncoder` builds a tree of
/// boxed values and sorts every object's keys, and took 0.25 s for a 10,000-schedule state and
/// 0.45 s for its overview; the writers that use this take their keys in code-point order by hand,
/// so the text is what `JSONEncoder` with `.sortedKeys` would write.
/// One JSON object's text, members in the order given; absent (nil) values left out.
package struct JSONObjectWriter {
    /// The text so far.
    package var out = "{"
    private var first = true

    package init() {}

    package mutating func key(_ name: String) {
        if !first { out += "," }
        first = false
        JSONValue.writeString(name, to: &out)
        out += ":"
    }

    package mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONValue.writeString(value, to: &out)
    }

    package mutating func int(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        out += String(value)
    }

    package mutating func number(_ name: String, _ value: Double?) {
        guard let value else { return }
        key(name)
        out += JSONValue.format(value)
    }

    package static func strings(_ values: [String], to out: inout String) {
        out += "["
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            JSONValue.writeString(v, to: &out)
        }
        out += "]"
    }

    /// Closes the object and appends it to `text`.
    package func end(to text: inout String) {
        text += out
        text += "}"
    }
}
