"""Load and validate the knowledge data files (actors, products, per-language lexicons)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .lexicon import Lexicon, compile_lexicon
from .model import KnowledgeError

ACTOR_KINDS = ("company", "government", "regulator", "person", "media", "organization")
LANGUAGES = ("en", "de", "zh")


@dataclass(frozen=True)
class ActorDef:
    slug: str
    name: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...]
    # Longer words that contain an alias but do not name the actor ("高通胀" is inflation,
    # not 高通; "continental" the adjective, not Continental): no mention inside them.
    not_within: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductDef:
    name: str
    vendor: str
    aliases: tuple[str, ...]
    versioned: bool


@dataclass(frozen=True)
class Knowledge:
    actors: dict[str, ActorDef]
    products: tuple[ProductDef, ...]
    lexicons: dict[str, Lexicon]
    digest: str = field(default="")


def default_knowledge_dir() -> Path:
    """The repository's seeds/knowledge directory."""
    return Path(__file__).resolve().parents[2] / "seeds" / "knowledge"


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML: {exc}") from exc


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where} must be a list of strings")
    if any(not v.strip() for v in value):
        raise KnowledgeError(f"{where} contains an empty string")
    return tuple(v.strip() for v in value)


def _actor(raw: Any, where: str) -> ActorDef:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: must be a mapping")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not slug.strip():
        raise KnowledgeError(f"{where}: missing or empty 'slug'")
    where = f"{where.rsplit(':', 1)[0]}: actor {slug!r}"
    unknown = set(raw) - {"slug", "name", "kind", "parent", "aliases", "not_within"}
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise KnowledgeError(f"{where}: missing or empty 'name'")
    kind = raw.get("kind")
    if kind not in ACTOR_KINDS:
        raise KnowledgeError(f"{where}: kind {kind!r} is not one of {', '.join(ACTOR_KINDS)}")
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise KnowledgeError(f"{where}: parent must be a slug string")
    aliases_raw = raw.get("aliases") or {}
    if not isinstance(aliases_raw, dict):
        raise KnowledgeError(f"{where}: aliases must be a mapping of language to list")
    aliases: list[str] = [name.strip()]
    for lang, values in aliases_raw.items():
        if lang not in LANGUAGES:
            raise KnowledgeError(f"{where}: alias language {lang!r} is not one of {LANGUAGES}")
        aliases.extend(_strings(values, f"{where}: alias list {lang!r}"))
    not_within = _strings(raw.get("not_within") or [], f"{where}: not_within")
    for word in not_within:
        if not any(a.casefold() in word.casefold() for a in aliases):
            raise KnowledgeError(f"{where}: not_within {word!r} contains none of its aliases")
    return ActorDef(slug.strip(), name.strip(), kind, parent, tuple(dict.fromkeys(aliases)),
                    not_within)


def _product(raw: Any, where: str, slugs: set[str]) -> ProductDef:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise KnowledgeError(f"{where}: must be a mapping with a non-empty 'name'")
    where = f"{where.rsplit(':', 1)[0]}: product {raw['name']!r}"
    vendor = raw.get("vendor")
    if vendor not in slugs:
        raise KnowledgeError(f"{where}: vendor {vendor!r} is not a known actor slug")
    aliases = _strings(raw.get("aliases") or [], f"{where}: aliases")
    versioned = raw.get("versioned", False)
    if not isinstance(versioned, bool):
        raise KnowledgeError(f"{where}: versioned must be true or false")
    names = tuple(dict.fromkeys((raw["name"], *aliases)))
    return ProductDef(raw["name"], str(vendor), names, versioned)


def _load_actors(path: Path) -> tuple[dict[str, ActorDef], tuple[ProductDef, ...]]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise KnowledgeError(f"{path}: top level must be a mapping with an 'actors' list")
    actors: dict[str, ActorDef] = {}
    for i, raw in enumerate(data["actors"]):
        actor = _actor(raw, f"{path}: actors[{i}]")
        if actor.slug in actors:
            raise KnowledgeError(f"{path}: actor {actor.slug!r}: duplicate slug")
        actors[actor.slug] = actor
    for actor in actors.values():
        if actor.parent is not None and actor.parent not in actors:
            raise KnowledgeError(
                f"{path}: actor {actor.slug!r}: parent {actor.parent!r} does not exist"
            )
    seen: dict[str, str] = {}
    for actor in actors.values():
        for alias in actor.aliases:
            owner = seen.setdefault(alias.casefold(), actor.slug)
            if owner != actor.slug:
                raise KnowledgeError(
                    f"{path}: actor {actor.slug!r}: alias {alias!r} already belongs to {owner!r}"
                )
    products_raw = data.get("products") or []
    if not isinstance(products_raw, list):
        raise KnowledgeError(f"{path}: 'products' must be a list")
    products = tuple(
        _product(raw, f"{path}: products[{i}]", set(actors)) for i, raw in enumerate(products_raw)
    )
    return actors, products


def load_knowledge(directory: Path | None = None) -> Knowledge:
    """Load and validate actors.yaml and triggers/*.yaml; raise KnowledgeError on any problem."""
    base = Path(directory) if directory is not None else default_knowledge_dir()
    if not base.is_dir():
        raise KnowledgeError(f"{base}: knowledge directory not found")
    actors_path = base / "actors.yaml"
    actors, products = _load_actors(actors_path)
    digest = hashlib.sha256(actors_path.read_bytes())
    lexicons: dict[str, Lexicon] = {}
    for lang in LANGUAGES:
        path = base / "triggers" / f"{lang}.yaml"
        lexicons[lang] = compile_lexicon(_read_yaml(path), lang, str(path))
        digest.update(path.read_bytes())
    return Knowledge(actors, products, lexicons, digest.hexdigest()[:12])
