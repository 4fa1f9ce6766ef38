"""Who acts in a clause: the first named actor not after a preposition ('with', 'mit',
'与'), a coordinated group, or a pronoun/description referring back."""

from __future__ import annotations

from itertools import pairwise

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
_BRACKET = regex.compile(r"\s*[(（]\s*")
_RIVAL = regex.compile(r"(?:['’]s?)?\s+(?:(?:main|chief|biggest|closest|smaller|larger|"
                       r"US|U\.S\.|Chinese|European|domestic|local)\s+)?rivals?\s+")
_REPORTING = regex.compile(r"\b(?:said|says|say|told|confirmed|reported|added|noted|stated|"
                           r"announced|argued|warned|believes?|expects?)\b")
# English adjectives of place, capitalised: "led by the Californian fund X", "with the
# Japanese bank X" (the words between a preposition and the name it governs).
_PLACE_ADJECTIVE = regex.compile(r"\p{Lu}\p{Ll}+(?:an|ese|ish|ch|ic)")
# "downloads of the Chinese artificial intelligence (AI) app DeepSeek": a preposition and
# an article, then lower-case words, place adjectives and acronyms up to the name.
_EN_GOVERNED = regex.compile(
    r"\b(?:of|to|from|for|against|with|into|in|at|on|about|over|like|unlike)\s+(?:the|a|an)"
    r"\s+(?:(?:[\p{Ll}-]+|\p{Lu}\p{Ll}+(?:an|ese|ish|ch|ic)|\p{Lu}{2,}|\(\p{Lu}{2,}\))\s+)"
    r"{1,6}$")


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
            break
        word = last.group()
        if not (word.casefold() in _ARTICLES or _MODIFIER.fullmatch(word) or (
                lex.name_prefix is not None and lex.name_prefix.fullmatch(word)) or (
                lex.language == "en" and _PLACE_ADJECTIVE.fullmatch(word))):
            break
        end = max(lo, end - 40) + last.start()
    return before is None and lex.language == "en" and bool(
        _EN_GOVERNED.search(text, max(lo, pos - 90), pos))


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
        if nxt.possessive and gap.strip() == ",":
            break  # apposition: "Baidu, China's biggest search engine, said ..."
        chain.append(nxt)
    return chain


_DESCRIBED = regex.compile(r"\s+(?:[\p{Ll}-]+\s+){0,2}?([\p{Ll}-]+)\s+\p{Lu}")


def _attributive(text: str, m: Mention, lex: Lexicon) -> bool:
    """A place name used as a modifier of another name ("China-based startup Moonshot",
    "United States chipmaker Nvidia"): it describes that actor and is no actor itself."""
    if lex.language != "en":
        return False
    if text.startswith("-based", m.end):
        return True
    found = _DESCRIBED.match(text, m.end, m.end + 48)
    return bool(found and lex.name_prefix is not None
                and lex.name_prefix.fullmatch(found.group(1)))


def _in_hostname(text: str, m: Mention) -> bool:
    """A name inside a web address ("aws.amazon.com", a cited source) names no actor."""
    before = text[max(0, m.start - 2) : m.start]
    after = text[m.end : m.end + 2]
    # "...in Deutschland.Microsoft hat": a sentence glued to the last, no web address.
    return (len(before) == 2 and before[1] == "." and before[0].isalnum()
            and text[m.start : m.start + 1].islower()) or (
        len(after) == 2 and after[0] == "." and after[1].isalpha() and after[1].islower())


# German compounds whose head is what is done to or traded of the name: "der Mistral-Deal",
# "die Opel-Übernahme (durch PSA)", "die Nvidia-Aktie" name no actor of the clause.
_OBJECT_COMPOUND = regex.compile(r"-(?:Deal|Übernahme(?!\s+von\b)|Aktien?|Papiere)\b")


def pick_subjects(
    text: str, clause: Clause, lex: Lexicon, knowledge: Knowledge
) -> tuple[list[Mention], str]:
    """Subjects of a clause and how they were found ('direct', 'group', 'possessive')."""
    candidates = [
        m for m in clause.mentions
        if not m.slug or knowledge.actors.get(m.slug) is None
        or knowledge.actors[m.slug].kind != "media"
    ]
    candidates = [m for m in candidates if m.slug and not _in_hostname(text, m)
                  and not _OBJECT_COMPOUND.match(text, m.end)
                  and not (_kind(m, knowledge) in ("government", "regulator")
                           and _attributive(text, m, lex))]
    # A person acts for an organisation named beside them ("OpenAI-Chef Sam Altman"): the
    # organisation is the subject; a person is one only when no organisation is in sight.
    organisations = [m for m in candidates if _kind(m, knowledge) != "person"]
    candidates = organisations or candidates
    if not candidates:
        return [], ""
    agent = _agent(text, clause, candidates, lex)
    if agent is not None:
        return _chain(text, agent, candidates, lex), "direct"
    if _unresolved_head(text, clause, candidates, lex):
        return [], ""
    if lex.group_cue is not None:
        for cue in lex.group_cue.finditer(text, clause.start, clause.end):
            after = [i for i, m in enumerate(candidates) if m.start >= cue.end()]
            if after and not text[cue.end() : candidates[after[0]].start].strip():
                return _chain(text, after[0], candidates, lex), "group"
    skipped: set[int] = set()
    for i, m in enumerate(candidates):
        if i in skipped:
            continue
        if i and lex.language == "en" and _RIVAL.fullmatch(text, candidates[i - 1].end,
                                                           m.start):
            # "OpenAI's rival Anthropic released ...": the rival acts, the first names it.
            chain = _chain(text, i, candidates, lex)
            return chain, "direct" if len(chain) == 1 else "group"
        if _governed(text, clause.start, m.start, lex) or (
                i - 1 in skipped and candidates[i - 1].slug == m.slug
                and _BRACKET.fullmatch(text, candidates[i - 1].end, m.start)):
            # "backed by Amazon and Google": the whole coordinated group is no subject;
            # "for the Department of Justice (DOJ)": nor is the short form after it. A list
            # joined by commas alone is none: "Like Baidu, Alibaba cut ...", "In Germany,
            # Siemens ...".
            group = _chain(text, i, candidates, lex)
            if not any(text[a.end : b.start].strip(" ,") for a, b in pairwise(group)):
                group = group[:1]
            skipped.update(range(i, i + len(group)))
            continue
        if m.possessive:
            continue
        chain = _chain(text, i, candidates, lex)
        return chain, "direct" if len(chain) == 1 else "group"
    for i, m in enumerate(candidates):
        if m.possessive and not _governed(text, clause.start, m.start, lex):
            return [candidates[i]], "possessive"
    return [], ""


def _unresolved_head(text: str, clause: Clause, candidates: list[Mention], lex: Lexicon) -> bool:
    """The clause opens with a description no earlier name resolved ("The Italian regulator
    fined OpenAI"): its actor is unknown, and the name after the verb is its object."""
    if lex.language != "en" or not candidates:
        return False
    first = min(m.start for m in candidates)
    if first - clause.start <= 4:
        return False
    for pattern in (lex.authority_description, lex.company_description):
        if pattern is None:
            continue
        d = pattern.search(text, clause.start, min(first, clause.start + 40))
        if d is None or d.start() - clause.start > 20 or text.startswith(("'", "’"), d.end()):
            continue
        if any(m.start < d.end() and d.start() < m.end for m in clause.mentions):
            continue  # resolved: it is a mention of its own
        if _REPORTING.search(text, d.end(), first):
            continue  # "the company said Apple would ...": the name heads its own clause
        if not _governed(text, clause.start, d.start(), lex):
            return True
    return False


def recipients(text: str, lo: int, mentions: list[Mention], lex: Lexicon) -> frozenset[int]:
    """Starts of the mentions a preposition makes a recipient or place ("an die SEC",
    "exports to China"), not an agent ("fined by the Commission", "von der Kommission")."""
    found = set()
    last: Mention | None = None
    for m in mentions:
        agent = lex.agent_before is not None and _governed(text, lo, m.start, lex,
                                                           lex.agent_before)
        if not agent and (_governed(text, lo, m.start, lex) or (
                last is not None and last.start in found and last.slug == m.slug
                and _BRACKET.fullmatch(text, last.end, m.start)) or _attributive(text, m, lex)):
            # "for the Department of Justice (DOJ)": the short form too; "China-based
            # startup X": a place describing another actor.
            found.add(m.start)
        last = m
    return frozenset(found)


def _agent(text: str, clause: Clause, candidates: list[Mention], lex: Lexicon) -> int | None:
    """In a passive clause the agent acts: "Opel wurde von PSA übernommen", "was acquired by
    Microsoft", "被欧盟委员会处以罚款". The candidate right after an agent word, if any."""
    if lex.passive is None or lex.agent_before is None:
        return None
    if not lex.passive.search(text, clause.start, clause.end):
        return None
    for i, m in enumerate(candidates):
        # "durch den französischen Konzern PSA": across an article, adjectives, descriptor.
        if not m.possessive and _governed(text, clause.start, m.start, lex, lex.agent_before):
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


