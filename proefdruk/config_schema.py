"""Check the build options against config/schema.yaml before anything is planned.

Without a schema a typo is silent (``rendr:`` is ignored), a word is taken for a switch
(``pdfa: "nee"`` is a non-empty string, so PDF/A goes *on*) and defaults drift apart in
the rule files. :func:`validate_config` applies the schema with Snakemake's own
``validate()`` (which also fills in the defaults, written only in the schema) and, when it
fails, stops the build with one block per problem: the key, the value found and the
values allowed.

A configuration that passed is remembered in ``.proefdruk-cache/config-checked.json``
with its defaults filled in, under the SHA-256 of the schema file and of the options as
given: the same options and schema again (every no-op start of the workflow) take the
remembered result instead of loading the JSON-schema machinery, a tenth of a second.
Anything else is checked anew; a failure is never remembered.

Snakemake reads nested ``--config`` values (``render='{pdfa: true}'``) as text, so text
that is exactly ``true``/``false`` or a whole number is read as such where the schema asks
for a boolean or an integer. Nothing else is coerced: ``"nee"`` stays an error.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.files import atomic_write_text

SCHEMA = Path("config") / "schema.yaml"
CHECKED = Path(".proefdruk-cache") / "config-checked.json"
_CHECKED_FORMAT = 1
CONFIG_FILE = "config/config.yaml"
_INTEGER = re.compile(r"[+-]?\d+")


def load_schema(root: str | Path) -> dict[str, Any]:
    """The schema as data (for the checks and for the documentation test)."""
    with open(Path(root) / SCHEMA, encoding="utf-8") as fh:
        # libyaml's loader where the wheel has it: read at every start of the workflow
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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
            "remove or correct the key; config/schema.yaml lists every option"
        return BuildError(f"unknown option {', '.join(names)}", file=CONFIG_FILE,
                          field=", ".join(names), expected=_allowed(error, schema_root),
                          found=", ".join(unknown), hint=hint)
    return BuildError(f"invalid value for option {key}", file=CONFIG_FILE, field=key,
                      expected=_allowed(error, schema_root), found=_show(error.instance),
                      hint=f"set {key} in {CONFIG_FILE} (or --config) to an allowed value; "
                           "config/schema.yaml describes every option")


def config_problems(config: dict[str, Any], schema: dict[str, Any]) -> list[BuildError]:
    """Every place where ``config`` breaks ``schema``, as user-facing errors."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(config),
                    key=lambda e: [str(p) for p in e.absolute_path])
    return [_problem(e, schema) for e in errors]


def validate_config(config: dict[str, Any], root: str | Path) -> None:
    """Check ``config`` (in place: defaults filled in, ``--config`` text read as the
    schema's type) against ``config/schema.yaml``; raise :class:`BuildErrors` if it
    breaks the schema."""
    key = _checked_key(config, root)
    remembered = _recall(root, key)
    if remembered is not None:
        config.clear()
        config.update(remembered)
        return
    _validate(config, root)
    _remember(root, key, config)


def _validate(config: dict[str, Any], root: str | Path) -> None:
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    schema = load_schema(root)
    config.update(_coerce_text(dict(config), schema))
    problems = config_problems(config, schema)
    if problems:
        raise BuildErrors(problems)
    try:
        validate(config, str((Path(root) / SCHEMA).resolve()), set_default=True)
    except WorkflowError as exc:  # not expected after the check above; keep its words
        raise BuildErrors([BuildError("the configuration breaks config/schema.yaml",
                                      file=CONFIG_FILE, found=str(exc))]) from None


def _checked_key(config: dict[str, Any], root: str | Path) -> str | None:
    """SHA-256 of the schema file and the options as given (None: not expressible as
    JSON, so never remembered)."""
    try:
        given = json.dumps(config, sort_keys=True, ensure_ascii=False)
        schema = (Path(root) / SCHEMA).read_bytes()
    except (TypeError, ValueError, OSError):
        return None
    h = hashlib.sha256(f"{_CHECKED_FORMAT}\0".encode())
    h.update(hashlib.sha256(schema).digest())
    h.update(given.encode("utf-8"))
    return h.hexdigest()


def _recall(root: str | Path, key: str | None) -> dict[str, Any] | None:
    if key is None:
        return None
    try:
        data = json.loads((Path(root) / CHECKED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    found = data.get("config")
    return found if isinstance(found, dict) else None


def _remember(root: str | Path, key: str | None, config: dict[str, Any]) -> None:
    """Keep the checked options, if they come back from JSON exactly as they are; a
    failure to write (read-only checkout, full disk) costs only time."""
    if key is None:
        return
    try:
        text = json.dumps({"key": key, "config": config}, sort_keys=True,
                          ensure_ascii=False, indent=1)
    except (TypeError, ValueError):
        return
    if json.loads(text)["config"] != config:
        return
    with contextlib.suppress(OSError, BuildError):
        atomic_write_text(Path(root) / CHECKED, text + "\n")
