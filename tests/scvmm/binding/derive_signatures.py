"""How `fabric_scvmm/signatures/vmm-2016.json` was made: read from the VMM 2016 cmdlet help.

    python tests/scvmm/binding/derive_signatures.py DOCS_DIR SHARED_TABLE [OUT]
    python tests/scvmm/binding/derive_signatures.py --versions SHARED_TABLE

DOCS_DIR holds the VMM 2016 cmdlet help as markdown, one `<Cmdlet>.md` per cmdlet, as published
in MicrosoftDocs/systemcenter-docs-powershell (`systemcenter-cmdlets/SystemCenter2016/
VirtualMachineManager/vlatest/`; read from the public mirror Taojunshen/systemcenter-docs-psprocessing
@531c232, `sc-cmdlets/SystemCenter2016/VirtualMachineManager/vlatest/`). SHARED_TABLE is
shared/reference/scvmm-signatures.json: it names the cmdlets to read, and every parameter set
read here is compared with it (any difference is printed and makes the script exit 1).

What is read from each page:
- the parameter sets and which one is the default: the `### NAME (Default)` headings of SYNTAX
  (a page with one unnamed syntax block has one set, called `Default` here as in the shared table);
- each set's parameters from its syntax line: `-P <T>` mandatory, `[-P <T>]` optional, `[-P] <T>`
  mandatory and positional, `[[-P] <T>]` optional and positional, `[-S]` / `-S` a switch;
- from each parameter's yaml block: Type, Aliases, Accepted values, Position, Accept pipeline input,
  and Required where the block names the set (a block for `(All)` does not override the syntax);
- whether `-WhatIf`/`-Confirm` appear in the syntax (the cmdlet supports ShouldProcess).

Not needed at run time or in the tests: the table it wrote is kept in the plug-in.

`--versions` compares the other versions' tables (`fabric_scvmm.signatures.load`, i.e. 2016 with
the changes of `versions.json`) with the sets the shared table read from other versions' pages
(`Set@2012R2`, `Set@2019`, and for 2012 R2 also `@2012SP1` and `@2012` where no R2 page was
read): a mandatory parameter that differs is a problem (exit 1), and so is a set or an optional
parameter that differs from a page of that very version; what differs from an older page is
listed as a note (the table keeps it: it may be newer than that page).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

_HEADING = re.compile(r"^### (?P<name>\S+)(?P<default> \(Default\))?\s*$")
_ELEMENT = re.compile(
    r"\[\[-(?P<op>\w+)\]\s*<(?P<opt>[^>]+)>\]"  # [[-P] <T>]   optional, positional
    r"|\[-(?P<mp>\w+)\]\s*<(?P<mpt>[^>]+)>"  # [-P] <T>      mandatory, positional
    r"|\[-(?P<on>\w+)\s+<(?P<ont>[^>]+)>\]"  # [-P <T>]      optional
    r"|\[-(?P<os>\w+)\]"  # [-S]          optional switch
    r"|-(?P<mn>\w+)\s+<(?P<mnt>[^>]+)>"  # -P <T>        mandatory
    r"|-(?P<ms>\w+)"  # -S            mandatory switch
    r"|\[<CommonParameters>\]"
)
_SHOULD_PROCESS = {"WhatIf", "Confirm"}
ABOUT = (
    "VMM 2016 cmdlet signatures (D16): MicrosoftDocs/systemcenter-docs-powershell, systemcenter-cmdlets/"
    "SystemCenter2016/VirtualMachineManager/vlatest/<Cmdlet>.md (Dec 2016), read from the mirror"
    " Taojunshen/systemcenter-docs-psprocessing @531c232ae5d54ff4b11eec6f1a8049305a6e70a7 by"
    " tests/scvmm/binding/derive_signatures.py. Positions are 0-based."
    " Common parameters, -WhatIf and -Confirm are not listed; supports_should_process says whether the syntax has"
    " -WhatIf/-Confirm. The sets equal shared/reference/scvmm-signatures.json's 2016 sets (checked by the script)."
)


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    parts = re.split(r"^## (\w[\w ]*)$", text, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        out[title.strip()] = body
    return out


def _syntax(cmdlet: str, body: str) -> tuple[dict[str, list[tuple[str, bool, bool, str]]], str | None]:
    """Set name → [(parameter, mandatory, positional, type)], and the default set's name."""
    sets: dict[str, list[tuple[str, bool, bool, str]]] = {}
    default = None
    name = "Default"
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        heading = _HEADING.match(lines[i])
        if heading:
            name = heading["name"]
            if heading["default"]:
                default = name
        elif lines[i].startswith("```"):
            block = []
            i += 1
            while not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            text = " ".join(block).strip()
            assert text.startswith(cmdlet + " ") or text == cmdlet, (cmdlet, text)
            text = text[len(cmdlet) :]
            elements = []
            pos = 0
            while pos < len(text):
                if text[pos].isspace():
                    pos += 1
                    continue
                m = _ELEMENT.match(text, pos)
                assert m, (cmdlet, text[pos:])
                pos = m.end()
                if m["op"]:
                    elements.append((m["op"], False, True, m["opt"]))
                elif m["mp"]:
                    elements.append((m["mp"], True, True, m["mpt"]))
                elif m["on"]:
                    elements.append((m["on"], False, False, m["ont"]))
                elif m["os"]:
                    elements.append((m["os"], False, False, "SwitchParameter"))
                elif m["mn"]:
                    elements.append((m["mn"], True, False, m["mnt"]))
                elif m["ms"]:
                    elements.append((m["ms"], True, False, "SwitchParameter"))
            assert name not in sets, (cmdlet, name)
            sets[name] = elements
        i += 1
    if len(sets) == 1 and default is None:
        default = next(iter(sets))
    return sets, default


def _yaml_blocks(body: str) -> dict[str, list[dict[str, str]]]:
    """Parameter → its yaml blocks (one per group of sets), each as key → value."""
    out: dict[str, list[dict[str, str]]] = {}
    for chunk in re.split(r"^### ", body, flags=re.M)[1:]:
        title = chunk.splitlines()[0].strip()
        if not title.startswith("-"):
            continue
        blocks = re.findall(r"^```yaml\n(.*?)^```", chunk, flags=re.M | re.S)
        parsed = []
        for block in blocks:
            fields = {}
            for line in block.splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    fields[key.strip()] = value.strip()
            parsed.append(fields)
        out[title[1:]] = parsed
    return out


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def derive(cmdlet: str, text: str) -> dict[str, Any]:
    """The signature record of one cmdlet from its help page."""
    sections = _sections(text)
    sets, default = _syntax(cmdlet, sections["SYNTAX"])
    yaml = _yaml_blocks(sections["PARAMETERS"])
    supports = any(p in _SHOULD_PROCESS for elements in sets.values() for p, *_ in elements)
    parameters: dict[str, dict[str, Any]] = {}
    out_sets: dict[str, dict[str, Any]] = {}
    for set_name, elements in sets.items():
        mandatory: list[str] = []
        optional: list[str] = []
        positions: dict[str, int] = {}
        pipeline: dict[str, str] = {}
        for param, required, positional, type_ in elements:
            if param in _SHOULD_PROCESS:
                continue
            blocks = yaml.get(param, [])
            named = [b for b in blocks if set_name in _names(b.get("Parameter Sets", ""))]
            general = [b for b in blocks if b.get("Parameter Sets") == "(All)"]
            block = (named or general or [{}])[0]
            if named:  # the yaml names this set: its Required wins (the syntax brackets are sometimes wrong)
                required = block.get("Required") == "True"
            (mandatory if required else optional).append(param)
            position = block.get("Position", "Named")
            if position != "Named":
                positions[param] = int(position)
            elif positional:  # the syntax shows it positional but the yaml does not say where
                positions[param] = -1
            accept = block.get("Accept pipeline input", "False")
            if accept.startswith("True"):
                pipeline[param] = accept[len("True") :].strip(" ()")
            record = parameters.setdefault(param, {"type": block.get("Type") or type_})
            aliases = _names(block.get("Aliases", ""))
            if aliases:
                record["aliases"] = aliases
            values = _names(block.get("Accepted values", ""))
            if values:
                record["values"] = values
            if (block.get("Type") or type_) == "SwitchParameter":
                record["switch"] = True
        entry: dict[str, Any] = {"mandatory": mandatory, "optional": optional}
        if positions:
            entry["positions"] = positions
        if pipeline:
            entry["pipeline"] = pipeline
        out_sets[set_name] = entry
    return {
        "source": f"D16 {cmdlet}.md",
        "default_set": default,
        "supports_should_process": supports,
        "parameters": dict(sorted(parameters.items())),
        "sets": out_sets,
    }


def compare(cmdlet: str, mine: dict[str, Any], shared: dict[str, Any]) -> list[str]:
    """Differences between the sets read here and the shared table's 2016 sets."""
    problems = []
    theirs = {k: v for k, v in shared.items() if not k.startswith("_") or k == "__AllParameterSets"}
    theirs = {k: v for k, v in theirs.items() if "@" not in k}
    if set(theirs) != set(mine["sets"]):
        problems.append(f"{cmdlet}: sets {sorted(mine['sets'])} here, {sorted(theirs)} in the shared table")
    for name, body in theirs.items():
        here = mine["sets"].get(name)
        if here is None:
            continue
        if set(here["mandatory"]) != set(body["required"]):
            problems.append(f"{cmdlet}/{name}: mandatory {here['mandatory']} here, {body['required']} shared")
        if set(here["optional"]) != set(body["optional"]):
            problems.append(f"{cmdlet}/{name}: optional {here['optional']} here, {body['optional']} shared")
    if shared.get("_supports_confirm") != mine["supports_should_process"]:
        problems.append(f"{cmdlet}: supports -Confirm {mine['supports_should_process']} here, not in the shared table")
    return problems


_PAGES = {"2012r2": ("2012R2", "2012SP1", "2012"), "2019": ("2019",)}


def compare_versions(shared: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(problems, notes) between the composed tables and the shared table's other-version sets."""
    from fabric_scvmm.signatures import load

    problems: list[str] = []
    notes: list[str] = []
    for version, tags in _PAGES.items():
        table = load(version)
        for cmdlet, body in sorted((k, v) for k, v in shared.items() if not k.startswith("_")):
            mine = table.cmdlet(cmdlet)
            assert mine is not None, cmdlet
            for tag in tags:
                page = {k.split("@")[0]: v for k, v in body.items() if k.endswith("@" + tag)}
                if page:
                    break
            if not page:
                continue
            exact = tag == tags[0]
            where = f"{version} {cmdlet} (page @{tag})"
            if set(page) != set(mine.sets):  # an older page's entry may list only the sets that differ
                (problems if exact else notes).append(f"{where}: sets {sorted(mine.sets)} here, {sorted(page)} listed")
            for name, s in page.items():
                here = mine.sets.get(name)
                if here is None:
                    continue
                if set(s["required"]) != here.mandatory:
                    problems.append(f"{where}/{name}: mandatory {sorted(here.mandatory)}, page {sorted(s['required'])}")
                extra = sorted(here.optional - set(s["optional"]))
                if extra:
                    (problems if exact else notes).append(f"{where}/{name}: the page lacks optional {extra}")
                lacking = sorted(set(s["optional"]) - here.optional)
                if lacking:
                    notes.append(f"{where}/{name}: the page has optional {lacking} that the table leaves out")
    return problems, notes


def main(argv: list[str]) -> int:
    """Read every cmdlet the shared table lists; write the 2016 table; print differences."""
    if argv[1] == "--versions":
        differ, notes = compare_versions(json.loads(Path(argv[2]).read_text(encoding="utf-8")))
        for line in differ:
            print("problem:", line)
        for line in notes:
            print("note:", line)
        return 1 if differ else 0
    docs, shared_path = Path(argv[1]), Path(argv[2])
    out = Path(argv[3]) if len(argv) > 3 else None
    shared = json.loads(shared_path.read_text(encoding="utf-8"))
    table: dict[str, Any] = {}
    problems: list[str] = []
    for cmdlet in sorted(k for k in shared if not k.startswith("_")):
        table[cmdlet] = derive(cmdlet, (docs / f"{cmdlet}.md").read_text(encoding="utf-8"))
        problems += compare(cmdlet, table[cmdlet], shared[cmdlet])
    for line in problems:
        print(line)
    if out is not None:
        doc = {"_about": ABOUT, "cmdlets": table}
        out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
