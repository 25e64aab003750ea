#!/usr/bin/env python3
"""make lint: RetrainCore's folders are layers; a file may use types from its own folder and lower ones.

Data flows one way (README, Development): the order below, low to high. A type named in a file of
a lower folder than the one declaring it is a back-edge, and fails the check with file:line.
(RetrainBase below them all is a module of its own: the compiler holds that line.)

    python3 Tests/Layers/layers.py [--graph]
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = os.path.join(TOP, "Sources/RetrainCore")
LAYERS = ["Catalogue", "Diagnostics", "Schedule", "Validation", "Schema", "Slots", "Git", "State", "Plan", "Run",
          "Notify", "Reconcile", "Overview", "Reports", "App", "Views"]

# Top-level types own a name; a type nested in another is named through it, or inside it, where the
# file's own nested names take precedence.
DECLARATION = re.compile(r"^(?:public |package |private |fileprivate |final |indirect )*(?:struct|enum|class|protocol|actor|typealias) ([A-Z]\w*)", re.M)
NESTED = re.compile(r"^\s+(?:public |package |private |fileprivate |final |indirect )*(?:struct|enum|class|protocol|actor|typealias) ([A-Z]\w*)", re.M)
NAME = re.compile(r"\b([A-Z]\w*)\b")


def code(text):
    """The text without comments and string literals (their words are not uses)."""
    text = re.sub(r'"""[\s\S]*?"""', '""', text)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"//[^\n]*", "", text)


def main():
    owner = {}
    files = []
    for layer in os.listdir(CORE):
        folder = os.path.join(CORE, layer)
        if not os.path.isdir(folder):
            continue
        if layer not in LAYERS:
            sys.exit(f"layers: {folder}: a folder the layer order does not name; add it to LAYERS in Tests/Layers/layers.py")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".swift"):
                path = os.path.join(folder, name)
                text = code(open(path).read())
                files.append((layer, path, text))
                for declared in DECLARATION.findall(text):
                    owner.setdefault(declared, layer)
    edges = {}
    problems = []
    for layer, path, text in files:
        own = set(NESTED.findall(text))
        for number, line in enumerate(text.split("\n"), 1):
            for used in set(NAME.findall(line)) - own:
                target = owner.get(used)
                if target and LAYERS.index(target) > LAYERS.index(layer):
                    problems.append(f"{os.path.relpath(path, TOP)}:{number}:1: error: {layer}/ uses {used} from {target}/, a higher layer")
                    edges.setdefault((layer, target), set()).add(used)
    if "--graph" in sys.argv:
        for (a, b), names in sorted(edges.items()):
            print(f"{a} -> {b}: {', '.join(sorted(names))}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"layers: {len(problems)} back-edges; move the type down or the code up (order: {' < '.join(LAYERS)})", file=sys.stderr)
        sys.exit(1)
    print(f"layers: {len(files)} files in {len(LAYERS)} layers, no back-edge")


if __name__ == "__main__":
    main()
