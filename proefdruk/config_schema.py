"""Check the build options against the tool's and the study's schemas before anything is
planned.

Two schemas describe the options: the tool's own (``proefdruk/build/schema.yaml``, shipped
with the package: render, source_date_epoch, claims, promote, ...) and the study's
(``config/schema.yaml`` by default: the keys its own rules read). They are checked as one
schema, so an unknown key is one that neither describes; a key that both describe is an
error in the study's schema.

Without a schema a typo is silent (``rendr:`` is ignored), a word is taken for a switch
(``pdfa: "nee"`` is a non-empty string, so PDF/A goes *on*) and defaults drift apart in
the rule files. :func:`validate_config` applies the schema with Snakemake's own
``validate()`` (which also fills in the defaults, written only in the schema) and, when it
fails, stops the build with one block per problem: the key, the value found and the
values allowed.

That a configuration passed is remembered in ``.proefdruk-cache/config-checked.json``
(the verdict only, never the options), under the SHA-256 of both schema files and of the
options as given: the same options and schemas again (every no-op start of the workflow)
skip the JSON-schema machinery, a tenth of a second; the defaults are filled in from the
schema every time. Anything else is checked anew; a failure is never remembered.

Snakemake reads nested ``--config`` values (``render='{pdfa: true}'``) as text, so text
that is exactly ``true``/``false`` or a whole number is read as such where the schema asks
for a boolean or an integer. Nothing else is coerced: ``"nee"`` stays an error.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.files import atomic_write_text

# The tool's options, shipped with the package; the study's, by convention, in its tree.
TOOL_SCHEMA = Path(__file__).resolve().parent / "build" / "schema.yaml"
SCHEMA = Path("config") / "schema.yaml"
OPTIONS_HINT = ("config/schema.yaml and proefdruk's options (docs/manual/options.md) "
                "list every option")
CHECKED = Path(".proefdruk-cache") / "config-checked.json"
_CHECKED_FORMAT = 2
CONFIG_FILE = "config/config.yaml"
_INTEGER = re.compile(r"[+-]?\d+")


def _read_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        # libyaml's loader where the wheel has it: read at every start of the workflow
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def study_schema_path(root: str | Path, study_schema: str | Path | None = None) -> Path | None:
    """The study's schema file: the one given, else ``config/schema.yaml`` if it exists."""
    if study_schema is not None:
        return Path(root) / study_schema
    path = Path(root) / SCHEMA
    return path if path.is_file() else None


def load_tool_schema() -> dict[str, Any]:
    """The tool's own option schema (for the checks and the manual's options page)."""
    return _read_yaml(TOOL_SCHEMA)


def load_schema(root: str | Path, study_schema: str | Path | None = None) -> dict[str, Any]:
    """The tool's schema with the study's keys added: what the options are checked against.

    A study key that the tool describes too is refused, naming the file: two descriptions
    of one option would leave its default to chance.
    """
    schema = load_tool_schema()
    path = study_schema_path(root, study_schema)
    if path is None:
        return schema
    if not path.is_file():
        raise BuildErrors([BuildError("the study's option schema is missing", file=str(path),
                                      expected="a YAML schema of the study's own options",
                                      hint="create it, or leave out schema= in setup()")])
    study = _read_yaml(path)
    props = study.get("properties") or {}
    clash = sorted(set(props) & set(schema["properties"]))
    if clash:
        raise BuildErrors([BuildError(
            "the study's schema describes options of the tool", file=str(path),
            field=", ".join(clash), expected="only the study's own keys",
            found=", ".join(clash),
            hint="remove them from the study's schema; proefdruk describes them itself")])
    merged = dict(schema)
    merged["properties"] = {**schema["properties"], **props}
    return merged


def fill_defaults(config: dict[str, Any], schema: dict[str, Any]) -> None:
    """Fill in every default the schema writes, recursively (as Snakemake's validate()
    with ``set_default=True`` does): a missing mapping gets its default, then its own
    keys' defaults."""
    for key, sub in (schema.get("properties") or {}).items():
        if key not in config and "default" in sub:
            config[key] = copy.deepcopy(sub["default"])
        if isinstance(config.get(key), dict) and "properties" in sub:
            fill_defaults(config[key], sub)


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


def _coerce_text(value: Any, schema: dict[str, Any]) -> Any:
    """``"true"`` -> True, ``"2"`` -> 2 where the schema wants that type (see above)."""
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        return {k: _coerce_text(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_coerce_text(v, schema["items"]) for v in value]
    if not isinstance(value, str):
        return value
    types = _types(schema)
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    if "integer" in types and _INTEGER.fullmatch(value):
        return int(value)
    if "null" in types and value == "":
        return None
    return value


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)


def _allowed(error: Any, schema_root: dict[str, Any]) -> str:
    """What the schema allows at the failing place, in words."""
    kind, rule = error.validator, error.validator_value
    if kind == "enum":
        return "one of " + ", ".join(_show(v) for v in rule)
    if kind == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        words = {"boolean": "true or false", "integer": "a whole number",
                 "string": "text", "array": "a list", "object": "a mapping of keys",
                 "null": "empty"}
        return " or ".join(words.get(k, k) for k in kinds)
    if kind in ("minimum", "maximum", "minItems", "maxItems", "minLength"):
        bounds = {k: error.schema[k] for k in ("minimum", "maximum", "minItems",
                                                "maxItems", "minLength") if k in error.schema}
        return ", ".join(f"{k} {v}" for k, v in bounds.items())
    if kind == "additionalProperties":
        return "one of the keys " + ", ".join(sorted(error.schema.get("properties", {})))
    return f"{kind}: {_show(rule)}"


def _problem(error: Any, schema_root: dict[str, Any]) -> BuildError:
    path = [str(p) for p in error.absolute_path]
    key = ".".join(path) or "(top level)"
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        names = [".".join([*path, u]) for u in unknown]
        close = [m for u in unknown for m in difflib.get_close_matches(u, known, n=1)]
        hint = (f"did you mean {', '.join(close)}? " if close else "") + \
            f"remove or correct the key; {OPTIONS_HINT}"
        return BuildError(f"unknown option {', '.join(names)}", file=CONFIG_FILE,
                          field=", ".join(names), expected=_allowed(error, schema_root),
                          found=", ".join(unknown), hint=hint)
    return BuildError(f"invalid value for option {key}", file=CONFIG_FILE, field=key,
                      expected=_allowed(error, schema_root), found=_show(error.instance),
                      hint=f"set {key} in {CONFIG_FILE} (or --config) to an allowed value; "
                           f"{OPTIONS_HINT}")


def config_problems(config: dict[str, Any], schema: dict[str, Any]) -> list[BuildError]:
    """Every place where ``config`` breaks ``schema``, as user-facing errors."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(config),
                    key=lambda e: [str(p) for p in e.absolute_path])
    return [_problem(e, schema) for e in errors]


def validate_config(config: dict[str, Any], root: str | Path,
                    study_schema: str | Path | None = None) -> None:
    """Check ``config`` (in place: defaults filled in, ``--config`` text read as the
    schema's type) against the tool's schema and the study's (``study_schema``, else
    ``config/schema.yaml`` where it exists); raise :class:`BuildErrors` if it breaks
    them.

    The cache remembers only the verdict: options it has seen pass skip the JSON-schema
    check, but their defaults are always filled in from the schema itself, so nothing in
    the cache can reach the build (deleting or editing it changes nothing but time).
    """
    key = _checked_key(config, root, study_schema)
    passed = _recall(root, key)
    schema = load_schema(root, study_schema)
    config.update(_coerce_text(dict(config), schema))
    if not passed:
        problems = config_problems(config, schema)
        if problems:
            raise BuildErrors(problems)
    fill_defaults(config, schema)
    if not passed:
        problems = config_problems(config, schema)
        if problems:  # a default that breaks its own schema: the schema's error, its words
            raise BuildErrors(problems)
        _remember(root, key)


def _checked_key(config: dict[str, Any], root: str | Path,
                 study_schema: str | Path | None = None) -> str | None:
    """SHA-256 of both schema files and the options as given (None: not expressible as
    JSON, so never remembered)."""
    try:
        given = json.dumps(config, sort_keys=True, ensure_ascii=False)
        study = study_schema_path(root, study_schema)
        schemas = [TOOL_SCHEMA.read_bytes(), study.read_bytes() if study else b""]
    except (TypeError, ValueError, OSError):
        return None
    h = hashlib.sha256(f"{_CHECKED_FORMAT}\0".encode())
    for schema in schemas:
        h.update(hashlib.sha256(schema).digest())
    h.update(given.encode("utf-8"))
    return h.hexdigest()


def _recall(root: str | Path, key: str | None) -> bool:
    """Whether these options and schemas passed before (the verdict, nothing else)."""
    if key is None:
        return False
    try:
        data = json.loads((Path(root) / CHECKED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("key") == key and data.get("valid") is True


def _remember(root: str | Path, key: str | None) -> None:
    """Keep the verdict under its key; a failure to write (read-only checkout, full disk)
    costs only time."""
    if key is None:
        return
    text = json.dumps({"key": key, "valid": True}, sort_keys=True, indent=1)
    with contextlib.suppress(OSError, BuildError):
        atomic_write_text(Path(root) / CHECKED, text + "\n")
