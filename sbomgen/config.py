"""Settings from flags, then environment, then a config file.

The config file is ``sbomgen.toml`` (top-level keys) or the ``[tool.sbomgen]`` table of
``pyproject.toml``, looked up in the current directory, or the file named by
``--config``. Top-level keys hold shared settings, a table named after a command (such as
``[generate]``) settings of that command; which keys exist is decided by the CLI's options
(:func:`check_keys`). Such files get committed, so credentials are never read from them
unless the user says so explicitly with ``--allow-config-credentials``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomgen.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Environment variables, first match wins: sbomgen's own name, then Mend's tools' names.
ENV_URL = ("MEND_URL", "WS_URL", "WS_WSS_URL")
ENV_USER_KEY = ("MEND_USER_KEY", "WS_USERKEY", "WS_USER_KEY")
ENV_ORG_TOKEN = ("MEND_ORG_TOKEN", "WS_ORG_TOKEN", "WS_APIKEY", "WS_TOKEN")

CREDENTIAL_KEYS = ("user-key", "org-token")


def from_env(names: tuple[str, ...], environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(value, the variable it came from) for the first non-empty variable."""
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return value, name
    return None, None


@dataclass(frozen=True)
class FileConfig:
    path: Path | None
    values: Mapping[str, Any]
    where: str = "config"

    def get(self, key: str) -> Any:
        return self.values.get(key)


def load_file_config(explicit: Path | None, cwd: Path | None = None) -> FileConfig:
    cwd = cwd or Path.cwd()
    candidates = [explicit] if explicit else [cwd / "sbomgen.toml", cwd / "pyproject.toml"]
    for path in candidates:
        if path is None or not path.is_file():
            if explicit is not None:
                raise ConfigError(f"config file {explicit} does not exist")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} cannot be read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        if path.name == "pyproject.toml":
            tool = data.get("tool", {})
            table = tool.get("sbomgen") if isinstance(tool, dict) else None
            if table is None:
                continue
            where = f"{path} [tool.sbomgen]"
        else:
            table = data
            where = str(path)
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table of settings")
        return FileConfig(path=path, values=table, where=where)
    return FileConfig(path=None, values={})


def check_keys(cfg: FileConfig, top: set[str], tables: Mapping[str, set[str]]) -> None:
    """Refuse a key no option or document setting has, naming the file and the table."""
    for key, value in cfg.values.items():
        if key in tables and isinstance(value, dict):
            unknown = sorted(set(value) - tables[key])
            if unknown:
                raise ConfigError(
                    f"{cfg.where} [{key}]: unknown setting {unknown[0]!r} (known there: "
                    f"{', '.join(sorted(tables[key]))})"
                )
        elif key not in top:
            per_command = sorted(name for name, keys in tables.items() if key in keys)
            if per_command:
                raise ConfigError(
                    f"{cfg.where}: setting {key!r} differs per command; put it in a table: "
                    + ", ".join(f"[{name}]" for name in per_command)
                )
            raise ConfigError(
                f"{cfg.where}: unknown setting {key!r} (known: {', '.join(sorted(top))}, and "
                f"tables {', '.join(f'[{t}]' for t in sorted(tables))})"
            )


def file_list(cfg: FileConfig, key: str) -> tuple[str, ...]:
    value = cfg.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{cfg.where}: setting {key!r} should be a string or a list of strings")


def file_str(cfg: FileConfig, key: str) -> str | None:
    value = cfg.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{cfg.where}: setting {key!r} should be a string")
    return value


def file_credential(cfg: FileConfig, key: str, allowed: bool) -> str | None:
    value = cfg.get(key)
    if value is None:
        return None
    if not allowed:
        raise ConfigError(
            f"{cfg.where} holds {key!r}: credentials are not read from config files, which get "
            "committed. Set MEND_USER_KEY / MEND_ORG_TOKEN instead, or pass "
            "--allow-config-credentials if this file is private"
        )
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{cfg.where}: setting {key!r} should be a non-empty string")
    return value.strip()


def environ() -> Mapping[str, str]:
    return os.environ
