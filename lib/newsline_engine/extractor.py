"""The Extractor: article text in (normalised here, once), actors and dated events out. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise

from .actors import ActorMatcher, Mention, ProductMention
from .dates import DateMention, find_dates
from .events import AUTHORITY_KINDS, Clause, Draft, build_drafts, kind_of, related
from .followup import follow_up
from .knowledge import Knowledge
from .language import detect_language
from .lexicon import Lexicon
from .local import ArticleNames
from .model import (
    EXTRACTOR_VERSION,
    UNDATED_BASES,
    ActorRef,
    ArticleInput,
    Event,
    EventActor,
    Evidence,
    Extraction,
    ExtractionError,
    ReferenceTime,
)
from .orgs import unknown_orgs
from .quantities import find_quantities
from .reference import reference_time
from .referents import Referents
from .subjects import anaphor, pick_subjects, recipients
from .summary import merge_key, summarise
from .text import Sentence, normalise_text, segment
from .triggers import Hit, clause_types, comma_cuts, sentence_hits


class Extractor:
    """Reusable extractor over one validated Knowledge; extract() does no I/O."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.matcher = ActorMatcher(knowledge)
        self.makers = {alias.casefold(): p.vendor for p in knowledge.products
                       for alias in p.aliases}
        self.version = f"{EXTRACTOR_VERSION}+{knowledge.digest}" if knowledge.digest else (
            EXTRACTOR_VERSION)

    def extract(self, article: ArticleInput) -> Extraction:
        """Extract actors and events from one article."""
        text = normalise_text(article.text)
        if not text:
            raise ExtractionError("article text is empty")
        sample = f"{article.title}\n{text}" if article.title else text
        language = detect_language(sample, article.language)
        lex = self.knowledge.lexicons[language]
        sentences = segment(text, lex)
        reference = reference_time(
            text, sentences, lex, received_at=article.received_at,
            published_at=article.published_at, metadata_date=article.metadata_date)
        anchor, loose = reference.value, reference.precision
        past = reference.source == "received"
        actors: dict[str, ActorRef] = {}
        drafts: list[Draft] = []
        previous: tuple[int, list[Mention]] = (-1, [])
        names = ArticleNames()
        referents = Referents(self.knowledge, self.makers)
        pending = (-1, 0)  # (paragraph, index of the first draft of the last sentence)
        last_day: date | None = None  # for "当日", "the same day"
        for sentence in sentences:
            if sentence.boilerplate or sentence.short or (sentence.tail and sentence.heading):
                continue  # furniture; headlines listed under "Related"/"相关阅读"
            mentions = self.matcher.find(text, sentence.start, sentence.end, lex)
            acting = [m for m in mentions if self.knowledge.actors[m.slug].kind != "media"]
            in_sentence = _outside(find_dates(text, sentence.start, sentence.end, lex, anchor,
                                              last_day, loose, past=past), reference)
            if not acting and pending[0] == sentence.paragraph and pending[1] < len(drafts):
                drafts[pending[1]:] = follow_up(drafts[pending[1]:], in_sentence, find_quantities(
                    text, sentence.start, sentence.end, lex))
            before = len(drafts)
            if (sentence.tail or sentence.marketing) and not mentions:
                continue
            hits = _outermost(sentence_hits(text, sentence.start, sentence.end, lex), text)
            if sentence.heading and not (mentions and any(not h.weak for h in hits)):
                continue  # captions, section headings, widgets
            last_day = next((d.value for d in reversed(in_sentence) if d.precision == "day"
                             and d.basis == "stated" and not d.effective), last_day)
            unknown = names.scan(text, sentence.start, sentence.end, lex, mentions,
                                 unknown_orgs(text, sentence.start, sentence.end, lex, mentions))
            self._record(actors, mentions, unknown)
            named = [*mentions, *unknown]
            described = referents.resolve(text, sentence.start, sentence.end, lex, named,
                                          sentence.paragraph)
            everything = sorted([*named, *described], key=lambda m: m.start)
            acted: list[Mention] = []
            sentence_products = self.matcher.products(text, sentence.start, sentence.end)
            for start, end in self._clauses(text, sentence, lex, everything, hits):
                inside = [m for m in everything if start <= m.start < end]
                clause = Clause(start, end, sentence.start, sentence.end, inside,
                                sentence.heading, recipients(text, start, inside, lex))
                subjects, mode = pick_subjects(text, clause, lex, self.knowledge)
                if subjects and all(m.referred for m in subjects):
                    mode = "coref"  # "the company", "die Kommission": as sure as a pronoun
                acted.extend(subjects)
                if not subjects:
                    # A reference keeps its referent current ("该公司 ... 此外，其还 ...").
                    near = sentence.paragraph - previous[0] <= 1
                    kind = anaphor(text, clause, lex)
                    if near and ((kind and (kind == "plural" or len(previous[1]) == 1))
                                 or self._vendor_of(previous[1], sentence_products)):
                        subjects, mode = previous[1], "coref"  # or "Kimi K2 即日起向开发者开放"
                        previous = (sentence.paragraph, subjects)
                    elif near and self._rule_continues(text, start, end, lex, previous[1],
                                                       hits, in_sentence):
                        subjects, mode = previous[1], "coref"  # "Das Gesetz tritt am ... in Kraft"
                elif mode != "possessive":
                    previous = (sentence.paragraph, subjects)
                if not subjects or not any(start <= h.start < end for h in hits):
                    continue
                products = self.matcher.products(text, start, end)
                quantities = find_quantities(text, start, end, lex)
                types = clause_types(text, start, end, lex, quantities, products, hits)
                if not types:
                    continue
                dates = _outside(find_dates(text, start, end, lex, anchor, last_day, loose,
                                            sentence.start, past), reference) or in_sentence
                drafts.extend(build_drafts(
                    clause, subjects, mode, types, dates, quantities,
                    products, self.knowledge, reference))
            referents.note(everything, acted, sentence.paragraph)
            if len(drafts) > before or acting or unknown:
                pending = (sentence.paragraph, before)
        events = self._events(text, drafts, actors)
        return Extraction(language, tuple(actors.values()), events, self.version, reference,
                          text)

    def _rule_continues(self, text: str, start: int, end: int, lex: Lexicon,
                        previous: list[Mention], hits: list[Hit],
                        dates: list[DateMention]) -> bool:
        """A subjectless clause stating when a rule applies ("Die Verordnung tritt am 1.
        August in Kraft", "修改后的法律于2026年1月1日起施行") continues the authority that
        made it, when that authority was the last subject."""
        if not previous or any(kind_of(m, self.knowledge) not in AUTHORITY_KINDS
                               for m in previous):
            return False
        if not any(start <= h.start < end and h.type == "policy" for h in hits):
            return False
        if not any(t == "policy" for t, _ in clause_types(text, start, end, lex, [], [], hits)):
            return False
        return any(d.basis == "stated" and d.precision != "year" for d in dates)

    def _vendor_of(self, previous: list[Mention], products: list[ProductMention]) -> bool:
        """The only recent subject makes the product named in a subjectless sentence."""
        return len(previous) == 1 and any(
            p.product.vendor in related(previous[0].slug, self.knowledge) for p in products)

    @staticmethod
    def _clauses(text: str, sentence: Sentence, lex: Lexicon, mentions: list[Mention],
                 hits: list[Hit]) -> list[tuple[int, int]]:
        cuts = [sentence.start, sentence.end]
        if lex.clause_breaks is not None:
            cuts += [m.end() for m in lex.clause_breaks.finditer(
                text, sentence.start, sentence.end)]
        cuts += comma_cuts(text, sentence.start, sentence.end, lex, mentions, hits)
        return [(a, b) for a, b in pairwise(sorted(set(cuts))) if b > a]

    def _record(self, actors: dict[str, ActorRef], known: list[Mention],
                unknown: list[Mention]) -> None:
        for m in known:
            if m.slug not in actors:
                a = self.knowledge.actors[m.slug]
                actors[m.slug] = ActorRef(a.slug, a.name, a.kind, a.parent, True)
        for m in unknown:
            if m.slug and m.slug not in actors:
                actors[m.slug] = ActorRef(m.slug, m.name, m.kind or "company", None, False)

    def _actor(self, m: Mention, actors: dict[str, ActorRef], role: str) -> EventActor:
        ref = actors.get(m.slug)
        return EventActor(m.slug, ref.name if ref else m.name, role)

    def _events(self, text: str, drafts: list[Draft],
                actors: dict[str, ActorRef]) -> tuple[Event, ...]:
        best: dict[str, Event] = {}
        for d in drafts:
            subject = self._actor(d.subject, actors, "subject")
            objects = tuple(dict.fromkeys(self._actor(o, actors, "object") for o in d.objects))
            qty = d.quantity.quantity if d.quantity else None
            key = merge_key(d.type, subject.slug, d.date, d.precision, d.product)
            event = Event(
                merge_key=key, type=d.type, actors=(subject, *objects), date=d.date,
                date_precision=d.precision, date_basis=d.basis, quantity=qty, product=d.product,
                summary=summarise(d.type, subject.name, qty, d.product, d.date, d.basis),
                confidence=d.confidence, evidence=Evidence(text[d.start : d.end], d.start, d.end),
                subtype=d.subtype,
            )
            win, lose = best.get(key), event
            if win is None or event.confidence > win.confidence:
                win, lose = event, win
            if lose is not None and win.quantity is None and lose.quantity is not None:
                # "plant Werksschließungen ... Insgesamt sind rund 580 Arbeitsplätze
                # betroffen": one event told in two sentences keeps its amount.
                win = replace(win, quantity=lose.quantity, summary=summarise(
                    win.type, win.actors[0].name, lose.quantity, win.product, win.date,
                    win.date_basis))
            best[key] = win
        kept = [e for e in best.values() if not _absorbed(e, best.values())]
        return tuple(sorted(kept, key=lambda e: (e.evidence.start, e.type, e.merge_key)))


def _outermost(hits: list[Hit], text: str) -> list[Hit]:
    """A word inside a longer set phrase of another type is part of it: "免费开放" (made
    free, a price cut) holds "免费" (an offer). Only short gapless phrases: "gab ...
    bekannt" spans a clause, not a word."""
    return [h for h in hits if not any(
        o.type != h.type and o.start <= h.start and h.end <= o.end
        and o.end - o.start > h.end - h.start and o.end - o.start <= 8
        and not any(c.isspace() for c in text[o.start : o.end]) for o in hits)]


def _outside(dates: list[DateMention], reference: ReferenceTime) -> list[DateMention]:
    """Dates other than the dateline's ("BEIJING, July 3 (Reuters) -" dates no event)."""
    if reference.span is None:
        return dates
    a, b = reference.span
    return [d for d in dates if d.end <= a or d.start >= b]


def _absorbed(event: Event, others: object) -> bool:
    """A vague restatement (no date, product or amount) yields to a specific one."""
    if event.date_basis not in UNDATED_BASES or event.product or event.quantity:
        return False
    return any(
        o is not event and o.type == event.type and o.subject == event.subject
        and (o.date_basis not in UNDATED_BASES or o.product or o.quantity)
        for o in others  # type: ignore[attr-defined]
    )

