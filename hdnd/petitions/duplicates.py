"""Duplicate suggestions: which of a council's petitions a text probably repeats.

Lexical and diacritics-insensitive, with no model to download. Texts are compared in their
folded form (lib/vietnamese.fold: "Đường Láng ngập úng", "duong lang ngap ung" and "hoà"/"hòa"
variants are the same words), after taking out the boilerplate every petition carries
("Cử tri đề nghị thành phố…", STOP_PHRASES): otherwise everything would look alike.

How a query runs:
1. Word statistics. The document frequency of each word and two-word phrase among the
   council's newest SAMPLE_SIZE petitions (cached until the council gets a new petition)
   says which words are rare ("Láng", "karaoke") and which are common ("sửa chữa").
2. Candidates. A council with fewer than SAMPLE_SIZE petitions is scored whole. Otherwise
   the query's rarer phrases and words are looked up with `search_text LIKE '%phrase%'`:
   the rarest ones the sample saw, as long as the rows the index will hand back for them
   (foreseen from the sample's trigrams) stay within INDEX_BUDGET, and a few cheap ones it
   never saw (a pattern holding another one is dropped: it finds no other row); the
   newest CANDIDATE_LIMIT matches are scored. On PostgreSQL (method "trigram") they are
   read either through the pg_trgm GIN index on search_text (every matching row, then the
   newest) or by walking the (council, created_at, id) index newest first until enough
   rows match; which is cheaper is foreseen from how many sampled texts hold a pattern
   (`_index_is_cheaper`), and the plan is set for that query, without parallel workers
   (`_fetch`): the planner's own estimate of a LIKE pattern is often several times off.
   SQLite scans the table (method "lexical"), which is fine for the embedded default's
   size. pg_trgm's own similarity operators (`%`, `<%`) were measured and not used:
   folded Vietnamese syllables share most of their trigrams, so over 100,000 petitions
   the index hands back most rows and the per-row similarity recheck took 0.7-2.9 s.
3. Score (the same on both databases, so one threshold holds): rapidfuzz's
   token_set_ratio of the two content texts (tolerates typos and word order) times the
   share of the rarer text's information that both texts hold (words weighted by inverse
   document frequency: sharing "Láng" counts more than sharing "đường"). A candidate
   scores from 0 to 1 and is suggested from THRESHOLD up. Only the best `limit` are
   wanted: once there are that many, a candidate is scored only if its bound (from the
   words in its text, a quarter of the cost; `_Scorer.bound`) lets it beat the last of
   them, which finds exactly the same suggestions.

Over 100,000 petitions of one council (bench/petitions.py, 2 cores shared with other
work), a query takes p50 33-48 ms, p95 61-86 ms; 93-128 ms at p95 with no candidate's
text cached (docs/benchmarks.md).

THRESHOLD (0.4) was set on 200 paraphrased voter items against 3,000 generated petitions
of 20 kinds in 25 streets and 20 wards (and is pinned by tests/test_duplicates_engine.py):
the same request in other words scored 0.42-1.0 (median 0.62) and ranked first 96% of the
time; the best-scoring petition of another kind scored under 0.42 for 95% of the items
(at most 0.46). The same kind of request about another street or ward scores close to
the right one (it shares everything but the name), so it may be listed after it: a
person decides. Decidim's trigram threshold (0.25) is on another scale.
"""

import math
import re
import threading
from bisect import insort
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Model, Q, QuerySet
from rapidfuzz import fuzz

from hdnd.lib.vietnamese import fold, normalize
from hdnd.petitions.models import Petition, PetitionStatus, TriageStatus, VoterItem

THRESHOLD = 0.4
# How much a shared two-word phrase adds to its two shared words: enough to rank "đường
# Láng" above "Láng" and "đường" found apart, little enough that a paraphrase in another
# word order still scores.
PHRASE_WEIGHT = 0.25
# Fewer content words than this and a text says too little to compare.
MIN_CONTENT_WORDS = 2
# A candidate must share at least this many content words with the query.
MIN_SHARED_WORDS = 2
# The newest petitions whose words make the council's statistics.
SAMPLE_SIZE = 500
# At most this many candidates (the newest that match) are scored per query.
CANDIDATE_LIMIT = 1000
# LIKE patterns per query: phrases the sample saw, and ones it never saw.
MAX_PATTERNS = 8
MAX_UNSEEN_PATTERNS = 3
# Rows the trigram index may hand back for the chosen patterns (each then checked).
INDEX_BUDGET = 10000
# A pattern the sample never saw is looked up only if the index will not hand back more
# rows than this for it.
UNSEEN_COST = 1000
# A row the trigram index hands back costs this many times what testing one LIKE pattern
# on a row of the newest-first walk does (see _index_is_cheaper).
WALK_COST_RATIO = 8
# Below this share of the sample a word counts as rare (see _Stats.idf).
RARE_SHARE = 0.01
# Only this much of a long text is compared (a pasted report should not slow the page).
MAX_QUERY_WORDS = 120

# Folded boilerplate of petitions. Folding merges words ("đê" dike, "để", "đề" all become
# "de"; "mã" in Kim Mã and "mà" both become "ma"), so besides the commonest words only
# whole phrases and words that stay unambiguous once folded are listed.
STOP_PHRASES = frozenset(
    {
        "de nghi",
        "cu tri",
        "kien nghi",
        "thanh pho",
        "nguoi dan",
        "xem xet",
        "quan tam",
        "giai quyet",
        "chi dao",
        "phan anh",
        "uy ban nhan dan",
        "hoi dong nhan dan",
        "co quan chuc nang",
        "cac cap",
        "cac nganh",
        "dia ban",
        "tinh trang",
        "hien nay",
        "tiep tuc",
    }
)
STOP_WORDS = frozenset(
    {
        "cac",
        "va",
        "cua",
        "cho",
        "tai",
        "da",
        "duoc",
        "nguoi",
        "dan",
        "ubnd",
        "hdnd",
        "tp",
        "nhung",
        "nay",
        "bi",
        "tren",
        "theo",
        "viec",
        "nhieu",
        "rat",
        "mot",
        "som",
    }
)
# Boilerplate and punctuation become gaps ("|") between runs of content words: a phrase
# never spans a gap, as LIKE could not find it in the stored text across a comma.
_GAPS = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(re.escape(stop) for stop in sorted(STOP_PHRASES | STOP_WORDS, key=len, reverse=True))
    + r")(?![^\W_])|[^\w\s]|_"
)
_WORD = re.compile(r"[^\W_]+")
# The words of stop phrases: a text's word that is not one of them is a content word.
_STOP_VOCABULARY = frozenset(word for stop in STOP_PHRASES | STOP_WORDS for word in stop.split())


@dataclass(frozen=True)
class Match:
    """A petition the text probably repeats."""

    petition_id: int
    code: str
    title: str
    score: float
    method: str
    status: str

    @property
    def status_label(self) -> str:
        return str(PetitionStatus(self.status).label)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class ItemMatch:
    """A voter item, not yet in a petition, that probably asks the same."""

    item_id: int
    code: str
    text: str
    score: float
    method: str


@dataclass(frozen=True)
class Content:
    """A text's content words (boilerplate out) and the phrases of adjacent ones."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


def content_of(text: str, *, folded: bool = False) -> Content:
    """The content words of `text` (raw, or already folded like search_text)."""
    return _content_of_folded(text if folded else fold(normalize(text)))


# Candidates come back keystroke after keystroke: their stored texts are worth caching.
@lru_cache(maxsize=8192)
def _content_of_folded(folded: str) -> Content:
    words: list[str] = []
    phrases: list[str] = []
    for run in _GAPS.sub("|", folded).split("|"):
        run_words = run.split()
        words.extend(run_words)
        phrases.extend(f"{left} {right}" for left, right in pairwise(run_words))
        if len(words) >= MAX_QUERY_WORDS:
            break
    return Content(words=tuple(words[:MAX_QUERY_WORDS]), phrases=tuple(phrases))


def is_comparable(text: str) -> bool:
    """Whether the text has enough content words to look for duplicates of it."""
    return len(set(content_of(text).words)) >= MIN_CONTENT_WORDS


def method_name() -> str:
    """How candidates are found on this database (stored with each suggestion)."""
    return "trigram" if connection.vendor == "postgresql" else "lexical"


def similar_petitions(
    *, council_id: int, text: str, limit: int = 5, exclude_ids: Iterable[int] = ()
) -> list[Match]:
    """The council's petitions that `text` probably repeats, best first. Merged and
    transferred petitions are left out; answered and resolved ones stay, so that staff
    see an older answer to the same request."""
    petitions = Petition.objects.filter(council_id=council_id).exclude(
        status__in=[PetitionStatus.MERGED, PetitionStatus.TRANSFERRED]
    )
    ranked = _rank(
        Petition,
        petitions,
        council_id=council_id,
        text=text,
        limit=limit,
        exclude_ids=exclude_ids,
        fields=("code", "title", "status"),
    )
    method = method_name()
    return [
        Match(
            petition_id=row["id"],
            code=row["code"],
            title=row["title"],
            score=score,
            method=method,
            status=row["status"],
        )
        for score, row in ranked
    ]


def similar_items(
    *, council_id: int, text: str, limit: int = 5, exclude_ids: Iterable[int] = ()
) -> list[ItemMatch]:
    """The council's accepted voter items not yet in a petition that probably ask the same
    as `text`: candidates to consolidate together."""
    items = VoterItem.objects.filter(
        council_id=council_id, triage_status=TriageStatus.ACCEPTED, petition__isnull=True
    )
    ranked = _rank(
        VoterItem,
        items,
        council_id=council_id,
        text=text,
        limit=limit,
        exclude_ids=exclude_ids,
        fields=("code", "text"),
    )
    method = method_name()
    return [
        ItemMatch(item_id=row["id"], code=row["code"], text=row["text"], score=score, method=method)
        for score, row in ranked
    ]


def _rank(
    model: type[Model],
    candidates: QuerySet[Any],
    *,
    council_id: int,
    text: str,
    limit: int,
    exclude_ids: Iterable[int],
    fields: Sequence[str],
) -> list[tuple[float, dict[str, Any]]]:
    query = content_of(text)
    if len(set(query.words)) < MIN_CONTENT_WORDS or limit <= 0:
        return []
    stats = _stats(model, council_id)
    excluded = [int(pk) for pk in exclude_ids]
    if excluded:
        candidates = candidates.exclude(id__in=excluded)
    patterns = [] if stats.complete else _patterns(query, stats)
    if patterns:
        condition = Q()
        for pattern in patterns:
            condition |= Q(search_text__contains=pattern)
        candidates = candidates.filter(condition)
    # Newest first by created_at, not by id: ordered by the primary key, PostgreSQL walks
    # it backwards testing every row instead of asking the trigram index for the few that
    # match. The list's (council, created_at, id) index serves common phrases: the walk
    # stops after CANDIDATE_LIMIT matches (rare phrases go through the trigram index).
    newest_first = candidates.order_by("-created_at", "-id")
    rows = _fetch(
        newest_first.values("id", "search_text", *fields)[:CANDIDATE_LIMIT],
        through_index=bool(patterns) and _index_is_cheaper(patterns, stats),
    )
    scorer = _Scorer(query, stats)
    # The best `limit` so far, best first. Once there are that many, a candidate is scored
    # only if its bound (cheaper than its score) lets it beat the last of them.
    best: list[tuple[float, dict[str, Any]]] = []
    for row in rows:
        text = row.pop("search_text")
        if len(best) >= limit:
            last_score, last_row = best[-1]
            if not _may_beat(scorer.bound, text, row["id"], last_score, last_row["id"]):
                continue
        score = scorer.score(content_of(text, folded=True))
        if score >= THRESHOLD:
            insort(best, (score, row), key=_rank_key)
            del best[limit:]
    return best


def _rank_key(pair: tuple[float, dict[str, Any]]) -> tuple[float, int]:
    """Best first: by score, then the newer petition."""
    return (-pair[0], -pair[1]["id"])


def _may_beat(
    bound: Callable[[str], float], text: str, pk: int, last_score: float, last_pk: int
) -> bool:
    """Whether a candidate may rank before the last of the best so far. A score is at most
    1, so after a perfect score only a newer candidate is worth its bound."""
    if last_score >= 1.0 and pk < last_pk:
        return False
    at_most = bound(text)
    return at_most > last_score or (at_most == last_score and pk > last_pk)


def _patterns(query: Content, stats: "_Stats") -> list[str]:
    """The query's rarer phrases and words to look up: those the sample saw, rarest
    first, while the rows the trigram index hands back for them stay within INDEX_BUDGET
    (at least the rarest one); and a few cheap ones it never saw (a rare name, or a
    typo). A pattern holding another one ("bốc mùi" and "mùi") is left out: it would
    find no other row, and every pattern costs the index a lookup and each row a test."""
    costs = {
        term: stats.index_estimate(term)
        for term in {*query.phrases, *query.words}
        if _index_trigrams(term)
    }
    by_rarity = sorted(costs, key=lambda term: (stats.df[term], costs[term], term))
    seen = [term for term in by_rarity if stats.df[term]]
    unseen = [term for term in by_rarity if not stats.df[term] and costs[term] <= UNSEEN_COST]
    chosen = seen[:1] + unseen[:MAX_UNSEEN_PATTERNS]
    spent = sum(costs[term] for term in chosen)
    for term in seen[1:]:
        if len(chosen) >= MAX_PATTERNS:
            break
        if spent + costs[term] <= INDEX_BUDGET:
            chosen.append(term)
            spent += costs[term]
    return [term for term in chosen if not any(other != term and other in term for other in chosen)]


def _index_is_cheaper(patterns: Sequence[str], stats: "_Stats") -> bool:
    """Whether reading every row that holds a pattern through the trigram index costs
    less than walking the table newest first until CANDIDATE_LIMIT rows hold one, as
    foreseen from how many sampled texts hold one. Measured on 100,000 petitions: a row
    the index hands back costs about WALK_COST_RATIO times what a row the walk reads does
    for each pattern it tests."""
    held = sum(any(pattern in text for pattern in patterns) for text in stats.texts)
    if not held:
        return True
    matching = held / stats.sample * stats.total
    walked = min(stats.total, CANDIDATE_LIMIT * stats.total / matching)
    return matching * WALK_COST_RATIO < walked * (1 + len(patterns))


# PostgreSQL's settings while it reads candidates, and in which cases.
_NO_PARALLEL = {"max_parallel_workers_per_gather": "0"}
_THROUGH_INDEX = {**_NO_PARALLEL, "enable_indexscan": "off", "enable_seqscan": "off"}


def _fetch(rows: "QuerySet[Any, dict[str, Any]]", *, through_index: bool) -> list[dict[str, Any]]:
    """The candidates' rows. On PostgreSQL the plan is chosen here, from what the sample
    foresees (`_index_is_cheaper`): the planner's own estimate of a LIKE pattern comes
    from a 100-value histogram, often several times off, and it prefers a parallel scan of
    the whole table whose cost it shares among workers that on a small server share the
    same cores (150-270 ms over 100,000 petitions on 2 cores, where the index takes 15).
    The settings hold for this query only: set in a savepoint rolled back after it."""
    database = connections[rows.db]
    if database.vendor != "postgresql":
        return list(rows)
    settings = _THROUGH_INDEX if through_index else _NO_PARALLEL
    with transaction.atomic(using=rows.db):
        savepoint = transaction.savepoint(using=rows.db)
        try:
            with database.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _name in settings),
                    [value for pair in settings.items() for value in pair],
                )
            return list(rows)
        finally:
            transaction.savepoint_rollback(savepoint, using=rows.db)


class _Scorer:
    """Scores candidates against one query (whose weights are computed once)."""

    def __init__(self, query: Content, stats: "_Stats") -> None:
        self.query = query
        self.stats = stats
        self.words = set(query.words)
        # Phrases count a little too: "bồ đề" shared is worth more than "bổ", "đề" apart.
        self.terms = self.words.union(query.phrases)
        self.weight = stats.weight(self.terms)
        self.min_shared = min(MIN_SHARED_WORDS, len(self.words))
        self.phrase_words = [(phrase, *phrase.split(" ")) for phrase in set(query.phrases)]

    def bound(self, folded: str) -> float:
        """At least the score of a candidate's folded text, from the words in it alone
        (a quarter of the cost of its content): every content word of the text is one of
        them, and those no stop phrase uses certainly are. 1 when that says nothing."""
        found = _WORD.findall(folded)
        if len(found) >= MAX_QUERY_WORDS:
            return 1.0  # its content may be cut short: no lower bound of its weight
        words = set(found)
        shared_words = self.words.intersection(words)
        if len(shared_words) < self.min_shared:
            return 0.0
        shared = self.stats.weight(shared_words) + self.stats.weight(
            phrase
            for phrase, left, right in self.phrase_words
            if left in shared_words and right in shared_words
        )
        smaller = min(self.weight, self.stats.weight(words - _STOP_VOCABULARY, at_most=self.weight))
        if smaller <= 0:
            return 1.0
        # A margin for sums of the same weights taken in another order.
        return round(min(1.0, shared / smaller * (1 + 1e-9)), 3)

    def score(self, candidate: Content) -> float:
        if len(self.words.intersection(candidate.words)) < self.min_shared:
            return 0.0
        candidate_terms = set(candidate.words).union(candidate.phrases)
        smaller = min(self.weight, self.stats.weight(candidate_terms, at_most=self.weight))
        shared = self.stats.weight(self.terms.intersection(candidate_terms))
        coverage = min(1.0, shared / smaller) if smaller else 0.0
        if coverage < THRESHOLD:
            return 0.0  # the fuzzy factor is at most 1: no need to compute it
        fuzzy = fuzz.token_set_ratio(self.query.text, candidate.text) / 100
        return round(fuzzy * coverage, 3)


def _score(query: Content, candidate: Content, stats: "_Stats") -> float:
    return _Scorer(query, stats).score(candidate)


@dataclass(frozen=True)
class _Stats:
    """A sample of the council's texts: the document frequency of each content word and
    phrase (how telling it is), and for each of pg_trgm's trigrams the set of sampled
    texts holding it, as a bit mask (to foresee how many rows the index hands back for a
    LIKE pattern before checking them)."""

    sample: int
    total: int
    df: Counter[str]
    trigram_rows: dict[str, int]
    # The sampled texts themselves (to foresee how many rows hold a pattern).
    texts: tuple[str, ...] = field(compare=False, repr=False)
    _weights: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def complete(self) -> bool:
        """Whether the sample is the whole table (no prefilter needed)."""
        return self.total <= self.sample

    def idf(self, term: str) -> float:
        # Below 1% of the sample a word is rare enough: a word never seen (a typo, a name
        # this council has not had) must not outweigh every word the texts share.
        frequency = max(self.df[term], self.sample * RARE_SHARE)
        return math.log((self.sample + 1) / (frequency + 1)) + 1

    def weight(self, terms: Iterable[str], *, at_most: float = math.inf) -> float:
        """The terms' total weight (counting stops once it reaches `at_most`)."""
        weights = self._weights
        if len(weights) > _MAX_CACHED_WEIGHTS:
            weights.clear()  # candidates' phrases add up over many queries
        total = 0.0
        for term in terms:
            weight = weights.get(term)
            if weight is None:
                weight = weights[term] = self.idf(term) * (PHRASE_WEIGHT if " " in term else 1)
            total += weight
            if total >= at_most:
                break
        return total

    def index_estimate(self, pattern: str) -> float:
        """About how many rows of the whole table hold every trigram of the pattern (a
        pattern the sample never saw still counts as one sampled row)."""
        if not self.sample:
            return 0.0
        rows = -1  # every bit set
        for trigram in _index_trigrams(pattern):
            rows &= self.trigram_rows.get(trigram, 0)
        return max(rows.bit_count(), 1) / self.sample * self.total


@lru_cache(maxsize=65536)
def _word_trigrams(word: str) -> tuple[str, ...]:
    """pg_trgm's trigrams of one word: two spaces before it, one after."""
    padded = f"  {word} "
    return tuple(padded[index : index + 3] for index in range(len(padded) - 2))


@lru_cache(maxsize=4096)
def _index_trigrams(pattern: str) -> frozenset[str]:
    """The trigrams pg_trgm looks up for LIKE '%pattern%': the pattern's words padded as
    usual, except at its two open ends."""
    words = pattern.split(" ")
    trigrams: set[str] = set()
    for index, word in enumerate(words):
        for trigram in _word_trigrams(word):
            if index == 0 and trigram.startswith(" "):
                continue
            if index == len(words) - 1 and trigram.endswith(" "):
                continue
            trigrams.add(trigram)
    return frozenset(trigrams)


_STATS_CACHE: "OrderedDict[tuple[Any, ...], _Stats]" = OrderedDict()
_STATS_LOCK = threading.Lock()
_STATS_CACHE_SIZE = 64
_MAX_CACHED_WEIGHTS = 100_000


def _stats(model: type[Model], council_id: int) -> _Stats:
    """The council's word statistics, recomputed when it gets a new row (the key holds
    the newest row's id and creation time, so a reused id on SQLite is not mistaken)."""
    rows = model._default_manager.filter(council_id=council_id)
    newest = rows.order_by("-id").values_list("id", "created_at").first()
    key = (connection.alias, model._meta.label, council_id, newest)
    with _STATS_LOCK:
        if key in _STATS_CACHE:
            _STATS_CACHE.move_to_end(key)
            return _STATS_CACHE[key]
    texts = list(rows.order_by("-id").values_list("search_text", flat=True)[:SAMPLE_SIZE])
    total = len(texts) if len(texts) < SAMPLE_SIZE else rows.count()
    df: Counter[str] = Counter()
    trigram_rows: dict[str, int] = {}
    for row, text in enumerate(texts):
        content = content_of(text, folded=True)
        df.update({*content.words, *content.phrases})
        bit = 1 << row
        for trigram in {t for word in set(_WORD.findall(text)) for t in _word_trigrams(word)}:
            trigram_rows[trigram] = trigram_rows.get(trigram, 0) | bit
    stats = _Stats(
        sample=len(texts), total=total, df=df, trigram_rows=trigram_rows, texts=tuple(texts)
    )
    with _STATS_LOCK:
        _STATS_CACHE[key] = stats
        while len(_STATS_CACHE) > _STATS_CACHE_SIZE:
            _STATS_CACHE.popitem(last=False)
    return stats
