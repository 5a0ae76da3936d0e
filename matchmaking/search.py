"""Marketplace search: full text over `Posting.search_vector` plus structured filters,
always inside `posting_list_visible_to`, so a hidden posting can never be found.

The text query runs in the English and the German configuration, OR'ed, because the
trigger indexes every posting in both, and in the query's own language's configuration
when that is another one (postings are also indexed in their own language). The glossary
widens it with the other language's words ("Schweißnahtprüfung" also looks for "weld seam
inspection"), which stemming alone cannot bridge. Ranking is PostgreSQL's ts_rank over
the same query."""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from accounts.selectors import AnyUser
from matchmaking.glossary import glossary_expand_query, glossary_query_parts
from matchmaking.languages import detect_language, search_configs
from matchmaking.models import Posting
from matchmaking.selectors import posting_list_visible_to

_USER_OR = re.compile(r"(?<![\w\"-])or(?![\w\"])", re.IGNORECASE)


@dataclass(frozen=True)
class PostingFilters:
    """What a searcher can narrow by; empty values do not filter. Within one list the
    values are alternatives (any technique of those chosen); different fields all apply."""

    q: str = ""
    organisation_kinds: tuple[str, ...] = ()
    country: str = ""
    region: str = ""
    techniques: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    collaboration_types: tuple[str, ...] = ()
    trl_min: int | None = None
    trl_max: int | None = None
    status: str = Posting.Status.OPEN
    language: str = ""

    @property
    def narrows(self) -> bool:
        """True when anything beyond the default (open postings) is asked for."""
        return self != PostingFilters()


def _in_configs(text: str, search_type: str, configs: tuple[str, ...]) -> SearchQuery:
    return reduce(
        operator.or_,
        (SearchQuery(text, search_type=search_type, config=config) for config in configs),
    )


def text_query(q: str) -> SearchQuery | None:
    """The glossary-widened query in both configurations, or None for a blank query.

    Each recognised term becomes "any of its spellings" and the rest keeps the user's
    websearch syntax, all ANDed: "Bilderkennung Lager" needs both ideas, in either
    language. A query that uses "or" itself gets the flat expansion instead, because
    websearch syntax has no brackets to nest the user's alternatives in."""
    q = (q or "").strip()
    if not q:
        return None
    configs = search_configs(detect_language(q))
    if _USER_OR.search(q):
        return _in_configs(glossary_expand_query(q), "websearch", configs)
    parts = glossary_query_parts(q)
    queries = [_in_configs(parts.rest, "websearch", configs)] if parts.rest else []
    for alternatives in parts.groups:
        queries.append(
            reduce(operator.or_, (_in_configs(a, "plain", configs) for a in alternatives))
        )
    return reduce(operator.and_, queries) if queries else None


def posting_search(
    *, model: type[Posting], user: AnyUser, filters: PostingFilters | None = None
) -> QuerySet:
    """Postings of `model` the user may see, narrowed by `filters`; best text match first
    when there is a query (rows then carry `rank`, PostgreSQL's ts_rank), newest first
    otherwise."""
    filters = filters or PostingFilters()
    postings = posting_list_visible_to(model=model, user=user)
    if filters.status:
        postings = postings.filter(status=filters.status)
    if filters.organisation_kinds:
        postings = postings.filter(organisation__kind__in=filters.organisation_kinds)
    if filters.country:
        postings = postings.filter(organisation__country=filters.country)
    if filters.region:
        postings = postings.filter(organisation__region_id=filters.region)
    if filters.techniques:
        postings = postings.filter(techniques__overlap=list(filters.techniques))
    if filters.domains:
        postings = postings.filter(domains__overlap=list(filters.domains))
    if filters.collaboration_types:
        postings = postings.filter(collaboration_types__overlap=list(filters.collaboration_types))
    if filters.trl_min is not None:
        postings = postings.filter(trl__gte=filters.trl_min)
    if filters.trl_max is not None:
        postings = postings.filter(trl__lte=filters.trl_max)
    if filters.language:
        postings = postings.filter(language=filters.language)

    query = text_query(filters.q)
    if query is None:
        return postings.order_by("-created_at", "-id")
    return (
        postings.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-created_at", "-id")
    )
