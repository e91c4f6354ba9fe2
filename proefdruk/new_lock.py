"""The pinned environment of a project `proefdruk new` writes: its requirements.lock.

proefdruk is on no package index yet, so the new project's set-up must install the very
proefdruk that created it (a wheel file, a source checkout, a git URL) and everything
else at the versions that proefdruk runs with here: the lock pins the installed
dependencies of the running proefdruk, the study's own packages the template pins, and
names that proefdruk on its last line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import proefdruk
from proefdruk.errors import BuildError


def source_checkout() -> Path | None:
    """The source checkout the running proefdruk comes from, or None for an installed
    wheel: a folder whose pyproject.toml names the project ``proefdruk``."""
    root = Path(proefdruk.__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and re.search(r'(?m)^name\s*=\s*"proefdruk"\s*$',
                                         pyproject.read_text(encoding="utf-8")):
        return root
    return None


def installed_from() -> str | None:
    """Where pip installed the running proefdruk from, as the install recorded it
    (PEP 610 ``direct_url.json``): the wheel file, a checkout or a VCS URL; None for an
    install from an index, or none recorded."""
    import json

    try:
        text = metadata.distribution("proefdruk").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return None
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str) or not url:
        return None
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") and not url.startswith(f"{vcs['vcs']}+"):
        commit = vcs.get("commit_id")
        url = f"{vcs['vcs']}+{url}" + (f"@{commit}" if commit else "")
    return url


def tool_version() -> str:
    """The version of the running proefdruk (the installed metadata, else the module's)."""
    try:
        return metadata.version("proefdruk")
    except metadata.PackageNotFoundError:
        return proefdruk.__version__


def tool_requirement(spec: str | None) -> str:
    """The pip requirement line that installs this very proefdruk in the new project.

    ``spec`` is what ``--tool-spec`` gave: a wheel file or a source folder (made an
    absolute ``file:`` URL), a ``git+``/``https:`` URL, or a requirement such as
    ``proefdruk==0.2.0``. Without it: the checkout proefdruk runs from, if it runs from
    one; else where pip installed it from (the wheel file or URL it recorded); else
    ``proefdruk==<version>`` (proefdruk is on no package index yet, so that line needs a
    local index or a wheel house; say --tool-spec to be sure).
    """
    from packaging.requirements import InvalidRequirement, Requirement

    if spec is None:
        checkout = source_checkout()
        if checkout is not None:
            return f"proefdruk @ {checkout.as_uri()}"
        origin = installed_from()
        return f"proefdruk @ {origin}" if origin else f"proefdruk=={tool_version()}"
    spec = spec.strip()
    if spec and Path(spec).exists():
        return f"proefdruk @ {Path(spec).resolve().as_uri()}"
    if re.match(r"^(git\+|https?://|file:)", spec):
        return f"proefdruk @ {spec}"
    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        requirement = None
    if requirement is None or requirement.name != "proefdruk":
        raise BuildError("--tool-spec is not a way to install proefdruk", field="--tool-spec",
                         expected="a wheel file, a source folder, a git+URL or a requirement "
                                  "such as proefdruk==0.2.0", found=spec,
                         hint="give the wheel or checkout you installed proefdruk from")
    return spec


def _requirements(name: str, extras: frozenset[str]) -> Iterator[tuple[str, frozenset[str]]]:
    """The installed distributions ``name`` (with ``extras``) requires here."""
    from packaging.requirements import Requirement

    for line in metadata.requires(name) or []:
        req = Requirement(line)
        if req.marker is not None and not any(
                req.marker.evaluate({"extra": e}) for e in (extras or {""})):
            continue
        yield req.name, frozenset(req.extras)


def installed_pins(roots: tuple[str, ...]) -> dict[str, str]:
    """``name -> version`` of ``roots`` and everything they require, as installed in the
    running environment: the versions this proefdruk runs with, which is what the new
    project must install. A root that is not installed is left out."""
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset()) for root in roots]
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in seen:
            continue
        seen.add((canonicalize_name(name), extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        pins[dist.metadata["Name"]] = dist.version
        todo.extend(_requirements(name, extras))
    return dict(sorted(pins.items(), key=lambda kv: canonicalize_name(kv[0])))


def pins_in(text: str) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a lock file."""
    pins = {}
    for line in text.splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.lstrip().startswith("#"):
            pins[name.strip()] = version.strip()
    return pins


def lock_text(template: str, requirement: str) -> str:
    """The new project's requirements.lock: the template's header, every package pinned,
    the line for proefdruk last. The template pins the study's own packages (pytest for
    its tests, pandas for its analysis); the tool's are pinned as installed next to the
    running proefdruk, and so are the study's where they are installed here too."""
    from packaging.utils import canonicalize_name

    own = pins_in(template)
    installed = installed_pins(("proefdruk", *own))
    pins = {canonicalize_name(n): (n, v) for n, v in own.items()}
    pins.update({canonicalize_name(n): (n, v) for n, v in installed.items()})
    pins.pop("proefdruk", None)
    header = [ln for ln in template.splitlines() if ln.startswith("#") or not ln.strip()]
    lines = [f"{name}=={version}" for _, (name, version) in sorted(pins.items())]
    return ("\n".join([*header, *lines]) + f"\n# proefdruk {tool_version()}, the version "
            f"that created this project:\n{requirement}\n")
