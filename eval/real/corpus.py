"""The real-news corpus: save a text, annotate it, verify the texts on this machine.

The texts are third-party and never enter the repository: they live in
`eval/real/texts/` (git-ignored). The repository holds one annotation per article in
`eval/real/annotations/ID.json` with the URL, a query that finds the article again in
the stored-pages corpus, the text's sha256 and length, and the expected events with
their evidence as character offsets into the text.

    python eval/real/corpus.py save ID --url URL --query Q [--file F]   # text on stdin or F
    python eval/real/corpus.py restore ID [--file F]  # put back an annotated text (sha256)
    python eval/real/corpus.py finalize ID        # drafts/ID.json -> annotations/ID.json
    python eval/real/corpus.py verify             # which texts are present and intact
    python eval/real/corpus.py stats              # counts per language, script, type, genre
    python eval/real/corpus.py split              # dev/test for articles that have none

`save` refuses an article that ../shared/tools/reserved calls reserved (it belongs to
the independent measurement) and deletes the copy. A draft is an annotation whose
events carry `evidence_text` (an exact substring of the text) instead of offsets;
`finalize` validates it, turns the evidence into offsets and drops the quoted text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts"
DRAFTS = HERE / "drafts"
ANNOTATIONS = HERE / "annotations"
RESERVED = HERE.parents[2] / "shared" / "tools" / "reserved"

LANGUAGES = ("en", "de", "zh")
SCRIPTS = ("latin", "hans", "hant")
TYPES = ("announcement", "access_block", "access_restriction", "offer", "price_cut",
         "migration_program", "product_launch", "policy", "partnership", "other")
SUBTYPES = ("acquisition", "merger", "ruling", "fine", "law", "regulation", "export_control",
            "sanction", "licence", "subsidy", "approval", "investigation", "shutdown",
            "end_of_support", "funding", "layoffs", "restructuring", "earnings", "charge",
            "tariff", "entity_list", "settlement", "lawsuit", "founding", "appointment",
            "plan", "statement", "deal", "suspension", "recall", "ban")
GENRES = ("wire", "press_release", "live_ticker", "analysis", "portal", "report",
          "blog", "feature", "explainer", "interview", "brief")
TOPICS = ("founding", "business", "policy")
ID_RE = re.compile(r"^(en|de|zh)-[a-z0-9]{2,12}-\d{2,3}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SLUG_RE = re.compile(r"^[^\sA-Z]+$")


class CorpusError(ValueError):
    """An annotation or text is malformed; str() names the file and the problem."""


def text_path(article_id: str) -> Path:
    """Where the (ignored) text of an article lives."""
    return TEXTS / f"{article_id}.txt"


def read_text(article_id: str) -> str:
    """The stored text exactly as saved (UTF-8, newlines kept)."""
    return text_path(article_id).read_bytes().decode("utf-8")


def digest(text: str) -> str:
    """sha256 of the UTF-8 bytes of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reserved(url: str, path: Path) -> bool:
    if not RESERVED.exists():
        raise CorpusError(f"{RESERVED} not found: cannot check reservations")
    done = subprocess.run([sys.executable, str(RESERVED), url, str(path)],
                          capture_output=True, text=True, check=False)
    return done.returncode != 0


def save(article_id: str, url: str, query: str, text: str) -> dict[str, Any]:
    """Store a text unless it is reserved; returns its identity for the draft."""
    if not ID_RE.match(article_id):
        raise CorpusError(f"{article_id}: id must look like en-wire-001 (lang-tag-number)")
    TEXTS.mkdir(parents=True, exist_ok=True)
    path = text_path(article_id)
    path.write_bytes(text.encode("utf-8"))
    if _reserved(url, path):
        path.unlink()
        raise CorpusError(f"{url}: reserved for the independent measurement; pick another")
    for other in ANNOTATIONS.glob("*.json"):
        data = json.loads(other.read_text(encoding="utf-8"))
        if data.get("url") == url or data.get("sha256") == digest(text):
            path.unlink()
            raise CorpusError(f"{url}: already in the corpus as {other.stem}")
    return {"id": article_id, "url": url, "query": query,
            "sha256": digest(text), "length": len(text)}


def restore(article_id: str, raw: bytes) -> Path:
    """Put back the text of an annotated article (a new machine): the bytes must hash to
    the annotation's sha256. `save` is for new articles and refuses known URLs."""
    path = ANNOTATIONS / f"{article_id}.json"
    if not path.exists():
        raise CorpusError(f"{article_id}: no annotation {path.name}")
    expected = json.loads(path.read_text(encoding="utf-8"))["sha256"]
    text = raw.decode("utf-8")
    if digest(text) != expected:
        raise CorpusError(f"{article_id}: text (sha256 {digest(text)[:12]}, {len(text)} chars)"
                          f" differs from the annotated one ({expected[:12]})")
    TEXTS.mkdir(parents=True, exist_ok=True)
    text_path(article_id).write_bytes(raw)
    return text_path(article_id)


def _check_event(raw: Any, where: str, text: str | None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: an event must be an object")
    if raw.get("type") not in TYPES:
        raise CorpusError(f"{where}: type {raw.get('type')!r} not one of {TYPES}")
    sub = raw.get("subtype")
    if sub is not None and sub not in SUBTYPES:
        raise CorpusError(f"{where}: subtype {sub!r} not one of {SUBTYPES}")
    if not isinstance(raw.get("subject"), str) or not SLUG_RE.match(raw["subject"]):
        raise CorpusError(f"{where}: subject must be a lower-case slug without spaces")
    others = raw.get("other_actors", [])
    if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
        raise CorpusError(f"{where}: other_actors must be a list of slugs")
    date = raw.get("date")
    if date is not None and not (isinstance(date, str) and DATE_RE.match(date)):
        raise CorpusError(f"{where}: date must be YYYY, YYYY-MM, YYYY-MM-DD or null")
    qty = raw.get("quantity")
    if qty is not None and not (isinstance(qty, dict) and isinstance(qty.get("unit"), str)
                                and isinstance(qty.get("value"), int | float)):
        raise CorpusError(f"{where}: quantity must be null or {{value: number, unit: str}}")
    ev = raw.get("evidence")
    if not (isinstance(ev, dict) and isinstance(ev.get("start"), int)
            and isinstance(ev.get("end"), int) and 0 <= ev["start"] < ev["end"]):
        raise CorpusError(f"{where}: evidence must be {{start, end}} offsets")
    if text is not None and ev["end"] > len(text):
        raise CorpusError(f"{where}: evidence offsets beyond the text")
    return raw


def validate(data: Any, where: str, text: str | None = None) -> dict[str, Any]:
    """Check one annotation; with the text, also its digest and evidence offsets."""
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: must be a JSON object")
    for key in ("id", "url", "query", "sha256", "length", "language", "script", "genre",
                "topic", "published_at", "events"):
        if key not in data:
            raise CorpusError(f"{where}: missing {key!r}")
    if data["language"] not in LANGUAGES or data["script"] not in SCRIPTS:
        raise CorpusError(f"{where}: language/script must be in {LANGUAGES}/{SCRIPTS}")
    if data["genre"] not in GENRES or data["topic"] not in TOPICS:
        raise CorpusError(f"{where}: genre/topic must be in {GENRES}/{TOPICS}")
    pub = data["published_at"]
    if pub is not None and not (isinstance(pub, str) and DATE_RE.match(pub)):
        raise CorpusError(f"{where}: published_at must be YYYY[-MM[-DD]] or null")
    if data.get("split") not in (None, "dev", "test"):
        raise CorpusError(f"{where}: split must be dev or test")
    if not isinstance(data["events"], list):
        raise CorpusError(f"{where}: events must be a list")
    if text is not None and digest(text) != data["sha256"]:
        raise CorpusError(f"{where}: text digest differs: restore the text (see README)")
    for i, raw in enumerate(data["events"]):
        _check_event(raw, f"{where}: events[{i}]", text)
    return data


def finalize(article_id: str) -> Path:
    """Turn drafts/ID.json (evidence_text) into annotations/ID.json (offsets)."""
    draft_path = DRAFTS / f"{article_id}.json"
    data = json.loads(draft_path.read_text(encoding="utf-8"))
    text = read_text(article_id)
    for i, event in enumerate(data.get("events", [])):
        quote = event.pop("evidence_text", None)
        if quote is not None:
            start = text.find(quote)
            if start < 0:
                raise CorpusError(f"{draft_path}: events[{i}] evidence_text not in the text: "
                                  f"{quote[:60]!r}")
            event["evidence"] = {"start": start, "end": start + len(quote)}
    data.update(sha256=digest(text), length=len(text))
    validate(data, str(draft_path), text)
    ANNOTATIONS.mkdir(parents=True, exist_ok=True)
    out = ANNOTATIONS / f"{article_id}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def load_all() -> list[dict[str, Any]]:
    """Every annotation, validated (texts not required)."""
    return [validate(json.loads(p.read_text(encoding="utf-8")), str(p))
            for p in sorted(ANNOTATIONS.glob("*.json"))]


def verify() -> tuple[int, list[str]]:
    """How many texts are present and intact; the problems of the others."""
    good, problems = 0, []
    for data in load_all():
        path = text_path(data["id"])
        if not path.exists():
            problems.append(f"{data['id']}: text missing (query: {data['query']!r})")
        elif digest(read_text(data["id"])) != data["sha256"]:
            problems.append(f"{data['id']}: text differs from the annotated one")
        else:
            good += 1
    return good, problems


def stats() -> dict[str, Counter[str]]:
    """Counts per language, script, genre, topic, split, event type and subtype."""
    out: dict[str, Counter[str]] = {k: Counter() for k in
                                    ("language", "script", "genre", "topic", "split")}
    out["type"], out["subtype"] = Counter(), Counter()
    for data in load_all():
        for key in ("language", "script", "genre", "topic", "split"):
            out[key][str(data.get(key))] += 1
        for event in data["events"]:
            out["type"][event["type"]] += 1
            if event.get("subtype"):
                out["subtype"][event["subtype"]] += 1
    return out


def assign_splits() -> Counter[str]:
    """Give every article without a split one: a third of each language to the locked test.

    Within a language the unassigned articles are taken in sha256 order (fixed by the
    texts, not by anyone's choice) and every third goes to `test`. Articles that already
    have a split keep it, so adding articles never moves one between splits.
    """
    counts: Counter[str] = Counter()
    paths = sorted(ANNOTATIONS.glob("*.json"))
    loaded = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in paths]
    for language in LANGUAGES:
        todo = sorted(((p, d) for p, d in loaded
                       if d["language"] == language and not d.get("split")),
                      key=lambda pd: pd[1]["sha256"])
        for i, (path, data) in enumerate(todo):
            data["split"] = "test" if i % 3 == 2 else "dev"
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
            counts[f"{language} {data['split']}"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_save = sub.add_parser("save", help="store a text (stdin or --file) unless reserved")
    p_save.add_argument("id")
    p_save.add_argument("--url", required=True)
    p_save.add_argument("--query", required=True)
    p_save.add_argument("--file", type=Path)
    p_res = sub.add_parser("restore", help="put back an annotated article's text (--file F "
                           "or stdin, bytes as returned), checked against its sha256")
    p_res.add_argument("id")
    p_res.add_argument("--file", type=Path)
    p_fin = sub.add_parser("finalize", help="drafts/ID.json -> annotations/ID.json")
    p_fin.add_argument("ids", nargs="+")
    sub.add_parser("verify", help="check the texts present on this machine")
    sub.add_parser("stats", help="corpus counts")
    sub.add_parser("split", help="assign dev/test to the articles that have no split yet")
    args = parser.parse_args(argv)
    try:
        if args.command == "save":
            text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
            print(json.dumps(save(args.id, args.url, args.query, text), ensure_ascii=False))
        elif args.command == "restore":
            raw = args.file.read_bytes() if args.file else sys.stdin.buffer.read()
            print(restore(args.id, raw))
        elif args.command == "finalize":
            for article_id in args.ids:
                print(finalize(article_id))
        elif args.command == "verify":
            good, problems = verify()
            print("\n".join(problems))
            print(f"{good} texts intact, {len(problems)} missing or different")
            return 1 if problems else 0
        elif args.command == "split":
            print(dict(assign_splits()))
        else:
            for key, counter in stats().items():
                print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    except (CorpusError, OSError, json.JSONDecodeError) as exc:
        print(f"corpus: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
