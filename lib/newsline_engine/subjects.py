"""Who acts in a clause: the first named actor not after a preposition ('with', 'mit',
'与'), a coordinated group, or a pronoun/description referring back."""

from __future__ import annotations

import regex

from .actors import Mention
from .events import Clause
from .knowledge import Knowledge
from .lexicon import Lexicon

# Words between a preposition and the name it governs: "mit dem japanischen Konzern X",
# "with the Berlin-based provider X".
_ARTICLES = frozenset({"der", "die", "das", "dem", "den", "des", "ein", "eine", "einem",
                       "einen", "einer", "eines", "the", "a", "an"})
_MODIFIER = regex.compile(r"\p{Ll}[\w-]*(?:e|en|er|es|em)|[\w-]+-based")
_LAST_WORD = regex.compile(r"[\w-]+$")  # compiled once: regex.search(str) costs a lookup


def _governed(text: str, lo: int, pos: int, lex: Lexicon, before: object = None) -> bool:
    """The mention at `pos` follows a non-subject word (or one of `before`), perhaps across
    an article, adjectives and descriptor words ('mit dem Berliner Cloud-Anbieter Nexvault')."""
    end = pos
    for _ in range(5):
        if _after_word(text, lo, end, lex.non_subject_before if before is None else before):
            return True
        words = text[max(lo, end - 40) : end].rstrip()
        last = _LAST_WORD.search(words)
        if lex.language == "zh" or last is None:
            return False
        word = last.group()
        if not (word.casefold() in _ARTICLES or _MODIFIER.fullmatch(word) or (
                lex.name_prefix is not None and lex.name_prefix.fullmatch(word))):
            return False
        end = max(lo, end - 40) + last.start()
    return False


def _after_word(text: str, lo: int, pos: int, pattern: object) -> bool:
    window = text[max(lo, pos - 20) : pos].rstrip()
    finder = getattr(pattern, "finditer", None)
    return finder is not None and any(
        m.end() == len(window) for m in finder(window, overlapped=True))


def _chain(text: str, first: int, candidates: list[Mention], lex: Lexicon) -> list[Mention]:
    """The first candidate plus those joined to it by ',', 'and', '、', 'und'..."""
    chain = [candidates[first]]
    for nxt in candidates[first + 1 :]:
        gap = text[chain[-1].end : nxt.start]
        if chain[-1].possessive or not lex.coordinator.fullmatch(gap):
            break
        chain.append(nxt)
    return chain


def pick_subjects(
    text: str, clause: Clause, lex: Lexicon, knowledge: Knowledge
) -> tuple[list[Mention], str]:
    """Subjects of a clause and how they were found ('direct', 'group', 'possessive')."""
    candidates = [
        m for m in clause.mentions
        if not m.slug or knowledge.actors.get(m.slug) is None
        or knowledge.actors[m.slug].kind != "media"
    ]
    candidates = [m for m in candidates if m.slug]
    # A person acts for an organisation named beside them ("OpenAI-Chef Sam Altman"): the
    # organisation is the subject; a person is one only when no organisation is in sight.
    organisations = [m for m in candidates if _kind(m, knowledge) != "person"]
    candidates = organisations or candidates
    if not candidates:
        return [], ""
    agent = _agent(text, clause, candidates, lex)
    if agent is not None:
        return _chain(text, agent, candidates, lex), "direct"
    if lex.group_cue is not None:
        for cue in lex.group_cue.finditer(text, clause.start, clause.end):
            after = [i for i, m in enumerate(candidates) if m.start >= cue.end()]
            if after and not text[cue.end() : candidates[after[0]].start].strip():
                return _chain(text, after[0], candidates, lex), "group"
    skipped: set[int] = set()
    for i, m in enumerate(candidates):
        if i in skipped:
            continue
        if _governed(text, clause.start, m.start, lex):
            # "backed by Amazon and Google": the whole coordinated group is no subject.
            skipped.update(range(i, i + len(_chain(text, i, candidates, lex))))
            continue
        if m.possessive:
            continue
        chain = _chain(text, i, candidates, lex)
        return chain, "direct" if len(chain) == 1 else "group"
    for i, m in enumerate(candidates):
        if m.possessive and not _governed(text, clause.start, m.start, lex):
            return [candidates[i]], "possessive"
    return [], ""


def recipients(text: str, lo: int, mentions: list[Mention], lex: Lexicon) -> frozenset[int]:
    """Starts of the mentions a preposition makes a recipient or place ("an die SEC",
    "exports to China"), not an agent ("fined by the Commission", "von der Kommission")."""
    found = set()
    for m in mentions:
        agent = lex.agent_before is not None and _governed(text, lo, m.start, lex,
                                                           lex.agent_before)
        if not agent and _governed(text, lo, m.start, lex):
            found.add(m.start)
    return frozenset(found)


def _agent(text: str, clause: Clause, candidates: list[Mention], lex: Lexicon) -> int | None:
    """In a passive clause the agent acts: "Opel wurde von PSA übernommen", "was acquired by
    Microsoft", "被欧盟委员会处以罚款". The candidate right after an agent word, if any."""
    if lex.passive is None or lex.agent_before is None:
        return None
    if not lex.passive.search(text, clause.start, clause.end):
        return None
    for i, m in enumerate(candidates):
        if not m.possessive and _after_word(text, clause.start, m.start, lex.agent_before):
            return i
    return None


def _kind(m: Mention, knowledge: Knowledge) -> str:
    actor = knowledge.actors.get(m.slug)
    return actor.kind if actor is not None else (m.kind or "company")


def anaphor(text: str, clause: Clause, lex: Lexicon) -> str:
    """'plural', 'singular' or '' when the clause opens with a pronoun/definite description."""
    reach = 4 if lex.language == "zh" else 15
    for kind, pattern in (("plural", lex.anaphora_plural), ("singular", lex.anaphora_singular)):
        if pattern is None:
            continue
        m = pattern.search(text, clause.start, min(clause.end, clause.start + reach + 40))
        if m and m.start() - clause.start <= reach:
            return kind
        # Verb-second: "Gleichzeitig gab der Konzern ..." (a description, never a bare "es").
        if m and lex.language != "zh" and " " in m.group() and _fronted(
                text[clause.start : m.start()]):
            return kind
    return ""


def _fronted(before: str) -> bool:
    """At most a fronted adverbial and the finite verb before the anaphor (2-3 words)."""
    words = before.split()
    return 1 <= len(words) <= 3 and "," not in before


