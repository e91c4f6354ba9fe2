"""Every rule's code inputs, derived from what the rule runs, so none can fall behind.

A rule runs code in one of two ways: a ``script:`` (an analysis script) or a shell command
that starts a Python module (``python -m proefdruk page ...``, ``python -m some.module``).
:func:`add_code_inputs` reads both from the parsed rules, asks :mod:`proefdruk.codedeps`
which project files that code runs or reads (its imports, transitively, and the
templates, Lua filters and assets it names), and adds them to the rule as the named input
``code``. Called once at the end of the Snakefile, it covers every rule of every rule
file, including rules added later by anyone: a change to any of those files then
re-runs exactly the rules whose code it is.

For ``python -m pkg.mod sub`` where ``pkg/mod.py`` defines ``cmd_sub`` (the convention
of :mod:`proefdruk.cli`), only that subcommand's code counts. ``python -m pkg sub`` runs
``pkg/__main__.py``; when that hands over to a dispatcher (``proefdruk/__main__.py`` to
:mod:`proefdruk.cli`), the code is ``__main__``'s own top level plus the dispatcher's
``cmd_sub``, found among the modules ``__main__`` imports: a change to one subcommand's
module then re-runs the rules of that subcommand alone.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from pathlib import Path
from typing import Any

from snakemake.exceptions import WorkflowError

from proefdruk.code_memo import memo_for, top_of
from proefdruk.codedeps import (
    NAMED_PATHS,
    code_files,
    forget_files,
    module_facts,
    resolve_entry,
)
from proefdruk.rule_script import script_path

CODE_INPUT = "code"
_PARAM = re.compile(r"\{params\.(\w+)(?::q)?\}")
_WHOLE_INPUT = re.compile(r"\{input(?::q)?\}")
_MODULE = re.compile(r"-m\s+([A-Za-z_][\w.]*)(?:\s+([A-Za-z][\w-]*))?")


def _expanded_shell(rule: Any) -> str:
    """The rule's shell command with the string-valued ``{params.x}`` filled in."""
    params = getattr(rule, "params", None)

    def value(match: re.Match[str]) -> str:
        try:
            found = getattr(params, match.group(1))
        except AttributeError:
            return match.group(0)
        return found if isinstance(found, str) else match.group(0)

    return _PARAM.sub(value, str(rule.shellcmd or ""))


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def _package_entries(main_module: str, function: str, root: Path) -> list[str]:
    """What ``python -m pkg sub`` runs: ``pkg/__main__.py`` and the ``cmd_sub`` it reaches.

    ``main_module:function`` counts ``__main__``'s top-level code (and ``function`` if
    ``__main__`` defines it itself); a dispatcher that ``__main__`` imports and that defines
    ``function`` adds that one function. Without either, everything ``__main__`` imports
    counts (an unknown subcommand must not hide code).
    """
    resolved = resolve_entry(main_module, root)
    assert resolved is not None
    facts = module_facts(resolved[0])
    if not function:
        return [main_module]
    if function in facts.functions:
        return [f"{main_module}:{function}"]
    for name in sorted(facts.all_imports):
        found = resolve_entry(name, root)
        if found is not None and function in module_facts(found[0]).functions:
            return [f"{main_module}:{function}", f"{name}:{function}"]
    return [main_module]


def rule_entry_points(rule: Any, root: str | Path = ".") -> list[str]:
    """What ``rule`` runs: its script, and each Python module its shell command starts
    (as ``module`` or ``module:cmd_sub``)."""
    root = Path(root).resolve()
    entries: list[str] = []
    script = script_path(rule, root)
    if script is not None:
        entries.append(str(script))
    command = _expanded_shell(rule)
    for module, sub in _MODULE.findall(command):
        resolved = resolve_entry(module, root)
        if resolved is None:
            continue
        function = f"cmd_{sub.replace('-', '_')}" if sub else ""
        if resolved[0].name == "__init__.py" and resolve_entry(f"{module}.__main__", root):
            entries += _package_entries(f"{module}.__main__", function, root)
        elif function and function in module_facts(resolved[0]).functions:
            entries.append(f"{module}:{function}")
        else:
            entries.append(module)
    for word in _words(command):
        if word.endswith(".py") and "{" not in word and (root / word).is_file():
            entries.append(word)
    return entries


def rule_code_files(rule: Any, root: str | Path = ".") -> list[str]:
    """Project-relative paths of every project file ``rule``'s code runs or reads, its
    script excepted (Snakemake tracks a rule's script itself).

    Remembered per project while the code folders are unchanged (:mod:`proefdruk.code_memo`),
    under what the rule runs: its script and its shell command."""
    root = Path(root).resolve()
    script = script_path(rule, root)
    command = _expanded_shell(rule)
    key = hashlib.sha256(f"{getattr(rule, 'script', None)}\0{command}".encode()).hexdigest()
    memo = memo_for(root)
    found = memo.get(key)
    if found is not None:
        return found
    entries = rule_entry_points(rule, root)
    own = script.relative_to(root).as_posix() if script and script.is_relative_to(root) else None
    files = [f for f in code_files(*entries, root=root) if f != own] if entries else []
    # the folders the answer rests on: those of the files found, and of every file or
    # module the rule or a module names (found or not: it may appear later)
    tops = {top_of(p, root) for p in (*files, *NAMED_PATHS)}
    tops |= {module.split(".")[0] for module, _ in _MODULE.findall(command)}
    tops |= {top_of(w, root) for w in _words(command) if w.endswith(".py") and "{" not in w}
    if getattr(rule, "script", None):
        tops.add(top_of(script_path(rule, root, existing=False) or "", root))
    memo.put(key, files, {t for t in tops if t})
    return files


def add_code_inputs(workflow: Any, root: str | Path = ".") -> None:
    """Add each rule's code files (:func:`rule_code_files`) to its inputs as ``code``.

    Files the rule already lists are not repeated. Call it once, after every rule file
    is included.
    """
    forget_files()
    memo = memo_for(Path(root).resolve(), fresh=True)
    for rule in list(workflow.rules):
        if _WHOLE_INPUT.search(str(rule.shellcmd or "")):
            raise WorkflowError(
                f"rule {rule.name}: the shell command uses {{input}}, which also holds the "
                "rule's derived code files (proefdruk/rule_code.py); name the inputs "
                "(input: data=...) and use {input.data} instead")
        files = rule_code_files(rule, root)
        listed = {str(f) for f in rule.input if isinstance(f, str)}
        new = [f for f in files if f not in listed]
        if not new:
            continue
        if rule.input_modifier is None:  # a rule declared without input:
            rule.input_modifier = workflow.modifier.path_modifier
        name = CODE_INPUT if CODE_INPUT not in rule.input.keys() else f"{CODE_INPUT}_derived"
        rule.set_input(**{name: new})
    memo.save()
