"""Who holds a position: actors named in a sentence, speakers of verbs of saying, owners, plans and pronouns."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from dashboard.ingest.extract.rules import _CLAUSE_BREAK, _WORD, Rules
from dashboard.ingest.extract.sentences import _QUOTED, Sentence
from dashboard.ingest.extract.stances import (
    _ATTRIBUTIVE,
    _CONDITIONAL,
    _OBLIGED,
    Hit,
    _ends_with,
    _non_overlapping,
    _SentenceFacts,
    _tidy,
)


@dataclass(frozen=True)
class Actor:
    """A name, institution or capital that may hold a position."""

    start: int
    end: int
    text: str
    party: str
    kind: str
    speaker: str
    weight: float
    place: bool  # "in Ukraine", "to Moscow", "the Ukraine war", "if Kyiv agrees": not a holder here
    obliged: bool = False  # "Ukraine must ...", "Kyiv should ...": the side asked to act, not the one asking


# "Ukraine's borders", "Russia's territory": the country as the land spoken of, not a speaker.
_ITS_LAND = re.compile(
    r"['’]s (?:own |whole |entire )?(?:borders?|frontiers?|territor(?:y|ies)|territorial integrity|sovereignty|lands?"
    r"|regions|soil)\b",
    re.IGNORECASE,
)


def find_actors(sentence: Sentence, rules: Rules) -> list[Actor]:
    """Actors in a sentence, longest match first, adjacent names of one party merged."""
    found: list[Actor] = []
    for rule in rules.actors:
        for match in rule.regex.finditer(sentence.flat):
            before = sentence.flat[: match.start()]
            after = sentence.flat[match.end() : match.end() + 40]
            place = (
                rule.kind in {"country", "capital"}
                and (
                    _ends_with(before, rules.markers["place_preposition"])
                    or bool(_ATTRIBUTIVE.match(after))
                    or bool(_ITS_LAND.match(after))
                )
            ) or bool(_CONDITIONAL.search(before[-30:]))
            obliged = bool(_OBLIGED.match(after))
            speaker = rule.speaker or _tidy(match.group(0))
            found.append(
                Actor(
                    match.start(),
                    match.end(),
                    match.group(0),
                    rule.party,
                    rule.kind,
                    speaker,
                    rule.weight,
                    place or obliged,
                    obliged,
                )
            )
    kept = _non_overlapping(found)
    merged: list[Actor] = []
    for actor in kept:
        last = merged[-1] if merged else None
        if last and last.party == actor.party and not sentence.flat[last.end : actor.start].strip():
            # "Ukrainian President Volodymyr Zelenskyy": one speaker, named by the person.
            person = actor if actor.kind == "person" else last
            merged[-1] = Actor(
                last.start,
                actor.end,
                sentence.flat[last.start : actor.end],
                actor.party,
                person.kind,
                person.speaker,
                max(last.weight, actor.weight),
                last.place or actor.obliged,
                actor.obliged,
            )
        else:
            merged.append(actor)
    return _pairs(merged, rules)


_PAIR = re.compile(r"^(?:both )?(?:the )?([A-Z][\w.]*) and ([A-Z][\w.]*) ", re.IGNORECASE)


def _pairs(actors: list[Actor], rules: Rules) -> list[Actor]:
    """ "Ukrainian and European officials": one group naming two parties, each of which speaks."""
    found: list[Actor] = []
    for actor in actors:
        found.append(actor)
        pair = _PAIR.match(actor.text) if actor.kind == "collective" else None
        if pair is None:
            continue
        for word in pair.groups():
            probe = f"{word} officials"
            party = next((r.party for r in rules.actors if r.kind == "collective" and r.regex.fullmatch(probe)), "")
            if party and party not in {a.party for a in found if a.start == actor.start}:
                found.append(dataclasses.replace(actor, party=party, speaker=_tidy(actor.text)))
    return found


@dataclass(frozen=True)
class Source:
    """A party that holds what follows: an owner of a demand, a plan, or a speaker."""

    party: str
    speaker: str
    position: int  # where in the sentence it speaks from
    how: str
    weight: float
    evidence: str
    kind: str = ""  # the actor's kind ("plan" for a document speaking for itself)
    unnamed: bool = False  # "Russian officials", "sources close to the Kremlin": reported, not stated
    listed: bool = False  # one of several names that speak together ("Ukraine and the EU said")


# After a name: more names joined by commas and "and" ("Ukraine, the United States and the head of the UN").
_NAME_LIST = r"(?:(?:,| and| as well as| or),?\s+(?:the\s+)?(?:head of the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)+,?"


_DOCUMENT_NOUN = re.compile(
    r"plan|draft|proposal|framework|memorandum|blueprint|road ?map|deal|agreement|terms|points|initiative",
    re.IGNORECASE,
)


def _sources(
    sentence: Sentence, actors: list[Actor], rules: Rules, previous: Source | None, plan: tuple[Source, ...] = ()
) -> list[Source]:
    """Owners ("Russia's demands", "the US plan") and speakers ("Putin said", "he stressed") in a sentence.

    A source's position is where its name ends, so a cue that is itself the verb of
    saying ("Ukraine rejects ...") counts as coming after its speaker. ``plan`` is the
    plan the article last named: "the plan would ..." and "It also calls for ..." speak for it.
    """
    flat, found = sentence.flat, []
    reporting, proposal = rules.markers["reporting"].pattern, rules.markers["proposal"].pattern
    owns_after = re.compile(rf"['’]s(?: [\w-]+){{0,3}}? {proposal}", re.IGNORECASE)
    owns_before = re.compile(
        rf"\b(?:{proposal}),?"
        r"(?: (?:put forward|made|drafted|written|presented|tabled|floated|submitted|announced|issued))?"
        r" (?:by|from) (?:the )?(?:[A-Z][\w.-]* ){0,2}?$",
        re.IGNORECASE,
    )
    unnamed = rules.markers["unnamed"]
    for actor in actors:
        if actor.kind == "forces" or actor.place:
            continue
        rest = flat[actor.end :]
        anonymous = bool(unnamed.search(actor.text))
        common = {"kind": actor.kind, "unnamed": anonymous}
        if actor.kind in {"plan", "demand"}:  # "the US plan", "the Russian demand": what it asks, its owner holds
            evidence = f"'{actor.text}'"
            found.append(Source(actor.party, actor.speaker, actor.end, "owner", actor.weight, evidence, **common))
            continue
        owned_by = owns_before.search(flat[: actor.start])
        if owned_by:  # "a peace proposal by President Zelensky", "the demand from Moscow": its owner holds it
            evidence = f"'{owned_by.group(0)}{actor.text}'"
            kind = "plan" if _DOCUMENT_NOUN.search(owned_by.group(0)) else actor.kind
            found.append(
                Source(actor.party, actor.speaker, actor.end, "owner", actor.weight, evidence, kind, anonymous)
            )
            continue
        owned = owns_after.match(rest)
        if owned:
            evidence = f"'{actor.text}{owned.group(0)}'"
            kind = "plan" if _DOCUMENT_NOUN.search(owned.group(0)) else actor.kind
            found.append(
                Source(actor.party, actor.speaker, actor.end, "owner", actor.weight, evidence, kind, anonymous)
            )
            continue
        spoken = _speaking(actor, flat, reporting)
        if spoken is not None:
            evidence, listed = spoken
            found.append(
                Source(
                    actor.party, actor.speaker, actor.end, "speaker", actor.weight, evidence, listed=listed, **common
                )
            )
    found += _last_of_lists(found, actors)
    taken = [(a.start, a.end) for a in actors]
    for match in rules.markers["document"].finditer(flat) if plan else ():
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue  # "the US plan" is an actor already
        if re.match(r"['’]s\b|\s+of\b", flat[match.end() :]):
            continue  # "the plan's critics", "the text of ..."
        # "according to the plan", "under the draft" speak for the plan over the whole sentence.
        found += _plan_sources(plan, _plan_position(flat, match), f"'{match.group(0)}'")
    planned = _PLANNED.search(flat) if plan else None
    if planned is not None:
        found += _plan_sources(plan, 0, f"'{planned.group(0)}'")
    if plan and not actors and not found:
        # A point of the plan's text with no one named ("11. Special status for ..."): the plan speaks.
        found += [dataclasses.replace(s, weight=s.weight * 0.8) for s in _plan_sources(plan, 0, "no one named")]
    found += _pronoun_sources(flat, actors, rules, previous, plan, reporting)
    if previous is not None:
        found += _generic_speakers(flat, actors, previous, rules, reporting)
    return sorted(_groups(found), key=lambda s: s.position)


def _pronoun_sources(
    flat: str, actors: list[Actor], rules: Rules, previous: Source | None, plan: tuple[Source, ...], reporting: str
) -> list[Source]:
    """ "He said", "it added": who a pronoun before a verb of saying stands for."""
    found: list[Source] = []
    pronouns = rules.markers["pronoun"].pattern
    pronoun = re.compile(rf"(?i:\b{pronouns})(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", re.IGNORECASE)
    for match in pronoun.finditer(flat):
        word = match.group(0).split()[0]
        position = match.start() + len(word)
        after_quote = bool(re.search(r"[,”\"]\s*$", flat[: match.start()]))
        if word.lower() == "it":
            # "It also calls for ...": the plan last named speaks; "it" is never a person.
            if plan and match.start() == 0:
                found += _plan_sources(plan, position, f"'{word}'")
            elif plan and after_quote:
                found += _plan_sources(plan, 0, f"'{match.group(0)}'")  # '"... along the line," it said'
            elif previous is not None and previous.kind in {"institution", "collective", "country", "plan"}:
                # '"... by force," it added': the statement or body quoted just before goes on.
                found.append(dataclasses.replace(previous, position=0, how="pronoun", evidence=f"'{match.group(0)}'"))
            continue
        antecedent = _antecedent(actors, flat, match.start())
        if antecedent is not None:
            # "During Putin's visit, he demanded ...": the name just before, in the same sentence, is who "he" is.
            evidence = f"'{match.group(0)}' = {antecedent.speaker} (named before it)"
            found.append(Source(antecedent.party, antecedent.speaker, position, "pronoun", antecedent.weight, evidence))
        elif previous is not None:
            evidence = f"'{match.group(0)}' = {previous.speaker}"
            found.append(
                Source(
                    previous.party,
                    previous.speaker,
                    position,
                    "pronoun",
                    previous.weight,
                    evidence,
                    previous.kind,
                    previous.unnamed,
                )
            )
    return found


# An opening phrase that names someone before the subject: "During X's visit, he ...", "In X's speech, she ...".
_INTRODUCTORY = re.compile(r"^\W*(?:In|At|During|After|Before|Following|On|Speaking|Asked|Addressing|Throughout)\b")


def _antecedent(actors: list[Actor], flat: str, start: int) -> Actor | None:
    """The one person an opening phrase names before a pronoun in the same sentence, else None."""
    if start == 0 or not _INTRODUCTORY.match(flat) or "," not in flat[:start]:
        return None
    people = [a for a in actors if a.end <= start and a.kind == "person" and not a.obliged]
    if len({a.party for a in people}) != 1:
        return None  # no one, or two parties: "he" is not settled by the sentence
    return people[-1]


def _generic_speakers(flat: str, actors: list[Actor], previous: Source, rules: Rules, reporting: str) -> list[Source]:
    """ "The leaders said", "the statement added": a speaker with no party of its own speaks for the last one."""
    generic = rules.markers["generic"].pattern
    pattern = re.compile(
        rf"\b[Tt]he (?:[\w-]+ ){{0,2}}?(?:{generic})(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", re.IGNORECASE
    )
    found = []
    for match in pattern.finditer(flat):
        if any(a.start < match.end() and match.start() < a.end for a in actors):
            continue  # "the Russian government said": a name with a party of its own
        evidence = f"'{match.group(0)}' = {previous.speaker}"
        found.append(dataclasses.replace(previous, position=match.end(), how="pronoun", evidence=evidence))
    return found


def _groups(found: list[Source]) -> list[Source]:
    """One group naming two parties ("Ukrainian and European officials") speaks for both: each is listed."""
    shared = {s.position for s in found if sum(1 for o in found if o.position == s.position and o.party != s.party)}
    return [dataclasses.replace(s, listed=True) if s.position in shared else s for s in found]


def _last_of_lists(found: list[Source], actors: list[Actor]) -> list[Source]:
    """The last name of a list that speaks together ("Russia, Ukraine and France, provide for"): it speaks too."""
    spoken = {s.position for s in found}
    extra = []
    for source in found:
        if not source.listed or source.how != "speaker":
            continue
        # The list runs from the name to its last comma or "and" name, before the verb of saying.
        text = source.evidence.strip("'")
        names = re.match(
            r".*(?:,|\band\b|\bas well as\b|\bor\b)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", text
        )
        start = next((a.start for a in actors if a.end == source.position), source.position)
        end = start + (names.end() if names else 0)
        for actor in actors:
            if (
                source.position < actor.start
                and actor.end <= end
                and actor.end not in spoken
                and actor.kind != "forces"
            ):
                spoken.add(actor.end)
                extra.append(
                    Source(actor.party, actor.speaker, actor.end, "speaker", actor.weight, source.evidence, actor.kind,
                           listed=True)
                )  # fmt: skip
    return extra


_PLAN_INTRO = re.compile(
    r"\b(?:unveil|publish|present|draft|submit|put forward|propos|offer|outlin|sent|send|hand|deliver|prepar|"
    r"float|drew up|draw up|set out|tabl|releas|shar|circulat|agree)\w*(?: [\w-]+){0,4}? (?:a|an|its|his|her|their) "
    r"(?:[\w-]+ ){0,3}?(?:plan|proposal|draft|framework|memorandum|blueprint|road ?map|initiative|peace deal)\b",
    re.IGNORECASE,
)


_AGREED_BY = re.compile(
    r"\b(?:formula|wording|text|document|declaration|agreement|accord|deal|memorandum|communiqu[eé]|protocol|plan|"
    r"framework|letter)s? (?:was|were|has been|have been|had been) (?:\w+ )?(?:signed|agreed|approved|adopted|"
    r"endorsed|initial(?:l)?ed|drafted|co-?ordinated) by\b",
    re.IGNORECASE,
)


_JOINT_INTRO = re.compile(
    r"\b(?:sign\w*|agreed|adopt\w*|conclud\w*|negotiat\w*)(?: [\w-]+){0,3}? (?:a|an|the) "
    r"(?:[\w-]+ ){0,3}?(?:declaration|agreement|accord|deal|memorandum|communiqu[eé]|protocol|package|framework)\b"
    r"|\b(?:a|an) (?:[\w-]+ ){0,2}?\d+-point (?:peace )?(?:plan|framework|proposal|draft)\b",
    re.IGNORECASE,
)


_AUTHORED_BY = re.compile(
    r"(?:\s+[\w-]+){0,3}?\s+(?:backed|drafted|proposed|put forward|presented|written|brokered|authored|floated|"
    r"prepared|sponsored|pushed|championed|unveiled)\s+by\s+(?:the\s+)?",
    re.IGNORECASE,
)


# "A freeze is planned": an agentless passive of planning speaks for the plan the article last named.
_PLANNED = re.compile(
    r"\b(?:is|are|was|were|would be|will be) (?:also |further )?(?:planned|envisaged|envisioned|foreseen|proposed|"
    r"provided for|stipulated|set out|laid down)\b",
    re.IGNORECASE,
)


def _plan_position(flat: str, match: re.Match[str]) -> int:
    """Where "the plan" speaks from: the whole sentence after "according to", "under"; else after its name."""
    framing = re.search(r"\b(?:according to|under|per|in) $", flat[: match.start()], re.IGNORECASE)
    return 0 if framing else match.end()


def _plan_sources(plan: tuple[Source, ...], position: int, said: str) -> list[Source]:
    """The plan's owners, each holding what the plan says (a joint declaration has several)."""
    return [
        Source(
            s.party, s.speaker, position, "plan reference", s.weight, f"{said} = {s.speaker} ({s.evidence})", "plan",
            listed=len(plan) > 1,
        )
        for s in plan
    ]  # fmt: skip


def _introduced_plan(sentence: Sentence, actors: list[Actor]) -> tuple[Source, ...]:
    """Who presents a plan ("the White House published a 20-point plan"): "the plan" next is theirs.

    A document signed or agreed by several ("the leaders of France, Germany, Russia and Ukraine
    signed a declaration") belongs to every party named before it in the sentence.
    """
    passive = _AGREED_BY.search(sentence.flat)
    if passive is not None:
        # "The text was agreed by advisers of Ukraine, Russia, Germany and France": each is a party to it.
        owners = [a for a in actors if a.start >= passive.end() and a.kind != "forces"]
        parties = {a.party: a for a in owners}
        evidence = f"'{passive.group(0)}'"
        return tuple(
            Source(a.party, f"{a.speaker} (a party to it)", a.end, "owner", a.weight, evidence, "plan")
            for a in parties.values()
        )
    joint = _JOINT_INTRO.search(sentence.flat)
    if joint is not None:
        owners = [a for a in actors if a.kind != "forces" and a.end <= joint.start()]
        if "point" in joint.group(0):
            # "a 28-point plan backed by Trump": the plan's authors follow it; else everyone named drafted it.
            agent = _AUTHORED_BY.match(sentence.flat[joint.end() :])
            start = joint.end() + agent.end() if agent else -1
            authors = [a for a in actors if a.start == start and not a.place]
            owners = authors or [a for a in actors if a.kind != "forces" and not a.obliged]
        parties = {a.party: a for a in owners}
        evidence = f"'{joint.group(0)}'"
        return tuple(
            Source(a.party, f"{a.speaker} (a party to it)", a.end, "owner", a.weight, evidence, "plan")
            for a in parties.values()
        )
    match = _PLAN_INTRO.search(sentence.flat)
    if match is None:
        return ()
    before = [a for a in actors if a.end <= match.start() and not a.place and a.kind != "forces"]
    if not before:
        return ()
    actor = before[-1]
    evidence = f"'{sentence.flat[actor.start : match.end()]}'"
    return (Source(actor.party, f"{actor.speaker}’s plan", actor.end, "owner", actor.weight, evidence, "plan"),)


_BY = re.compile(r"^(?:\s+[\w’'-]+){0,3}?\s+by\s+$", re.IGNORECASE)


def _passive_agent(sentence: Sentence, hit: Hit, actors: list[Actor], reject: re.Pattern[str]) -> Source | None:
    """The actor after "by" right after a cue: "annexed by the Russian Federation", "was rejected by Kyiv".

    Not the agent of another participle ("recognition of lands occupied by Russia"), unless that
    participle rejects what the cue says ("the votes, dismissed by Kyiv").
    """
    for actor in actors:
        near = actor.start >= hit.end and actor.start - hit.end <= 30 and actor.kind != "forces"
        between = sentence.flat[hit.end : actor.start]
        # "recognition of lands occupied by Russia": the agent of another participle, not of the cue.
        participle = re.search(r"(\w{3,}ed)\s+by\s+$", between)
        other_verb = participle is not None and not reject.fullmatch(participle.group(1))
        # "dismissed the conditions set by Putin": "by" inside a noun phrase the cue governs.
        other_verb = other_verb or bool(re.search(r"\b(?:the|a|an|its|their|his|her|this|these|those)\b", between))
        if near and _BY.match(between) and not other_verb:
            evidence = f"'{sentence.flat[hit.start : actor.end]}'"
            return Source(actor.party, actor.speaker, actor.end, "speaker after", actor.weight, evidence, actor.kind)
    return None


# A verb asking someone to act, just before the name of the one asked ("pressing Kyiv to ...").
_ASKS_OF = re.compile(
    r"\b(?:press\w*|push\w*|urg\w*|ask\w*|want\w*|call\w* on|told|tell\w*|requir\w*|forc\w*|pressur\w*|lean\w* on"
    r"|persuad\w*|convinc\w*|expect\w*|invit\w*)(?: \w+)?\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _speaking(actor: Actor, flat: str, reporting: str) -> tuple[str, bool] | None:
    """How an actor speaks, as (evidence, in a list of speakers), or None when it does not.

    "Ukraine, the United States and the EU said": each name of the list speaks; "Putin said",
    "Moscow, which wants"; "..., said Peskov" or "according to Lavrov" (not "Zelenskiy said Ukraine would").
    """
    rest = flat[actor.end :]
    together = re.match(rf"{_NAME_LIST}(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", rest)
    if together and together.group(0).startswith(", and "):
        together = None  # "annexed by Moscow, and Kyiv refused": a new clause, not a list of two names
    if together:
        return f"'{actor.text}{together.group(0)}'", True
    # People are followed by "who", things (a capital, a country) by "which".
    relative = "who" if actor.kind in {"person", "collective"} else "which"
    spoke = re.match(rf"(?:, {relative})?(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", rest, re.IGNORECASE)
    if spoke and re.search(r"\bwould \w+$", spoke.group(0)) and actor.kind != "plan":
        spoke = None  # "the plan would give ..." speaks for the plan; "Ukraine would give up ..." is what it gives
    if spoke and spoke.group(0).startswith(" to ") and _ASKS_OF.search(flat[max(0, actor.start - 40) : actor.start]):
        spoke = None  # "Washington is pressing Kyiv to accept ...": Kyiv is asked, the asker speaks
    if spoke:
        return f"'{actor.text}{spoke.group(0)}'", False
    before = flat[max(0, actor.start - 40) : actor.start]
    inverted = re.search(rf"(?:[,”\"’] (?:{reporting})|according to) (?:the )?$", before, re.IGNORECASE)
    if inverted:
        return f"'{inverted.group(0)}{actor.text}'", False
    return None


def _is_target(actor: Actor, hit: Hit, flat: str) -> bool:
    """True for the side asked to give ground: "Kyiv must withdraw", "if Ukraine withdrew"."""
    between = flat[actor.end : hit.start]
    if re.match(r"['’]s\b", between) or actor.kind in {"plan", "demand"}:
        return False  # "Moscow's demand to cede", "the Russian demand to cede": its owner, not the side asked
    giving = hit.kind == "yield" and hit.stance == "withdraw"  # "the US recognising Crimea": the US holds it
    asking = _DIRECTIVE.search(between)  # "Moscow demanded the withdrawal": Moscow asks, it does not give
    return giving and not asking and len(_WORD.findall(between)) <= 3 and not re.search(r"[,;:]", between)


def _quote_speaker(sentence: Sentence, sources: list[Source], position: int) -> Source | None:
    """Who speaks the quotation around ``position`` ("...," he said), or None when it is not quoted."""
    for quoted in _QUOTED.finditer(sentence.flat):
        if quoted.start() <= position < quoted.end():
            outside = [
                s
                for s in sources
                if s.how in {"speaker", "pronoun"} and not quoted.start() <= s.position <= quoted.end()
            ]
            return outside[0] if outside else None
    return None


# Between an asking party and the one asked: "demanded that", "has long urged", "called on".
_ASKED = re.compile(
    r"^ ?(?:[\w'’]+ ){0,3}?(?:demand\w*|urg\w*|press\w*|insist\w*|want\w*|ask\w*|call\w* on|requir\w*)"
    r"(?: that)? (?:the )?(?:[\w'’.-]+ ?){1,4}$",
    re.IGNORECASE,
)


_DIRECTIVE = re.compile(
    r"\b(?:demand|want|insist|call|urg|ask|seek|sought|press|requir|expect|propos|offer)\w*", re.IGNORECASE
)


def _later_rejection(
    sentence: Sentence, hit: Hit, facts: _SentenceFacts, actors: list[Actor], holder: str, sources: list[Source]
) -> Source | None:
    """Who rejects a demand later in its own sentence: "Moscow demanded X, which Kyiv rejected"; in a quote,
    "we" is the quote's speaker ("They want X, but we do not accept it," he said)."""
    for other in facts.hits:
        if other.kind != "reject" or other.negated or other.start < hit.end:
            continue
        names = [a for a in actors if hit.end <= a.start and a.end <= other.start and a.kind != "forces"]
        we = re.search(r"\b(?:we|us)\b", sentence.flat[hit.end : other.start], re.IGNORECASE)
        quoter = _quote_speaker(sentence, sources, other.start)
        if we and quoter is not None and (not names or names[-1].start < hit.end + we.start()):
            names.append(
                Actor(hit.end + we.start(), hit.end + we.end(), we.group(0), quoter.party, "person",
                      quoter.speaker, quoter.weight, False)
            )  # fmt: skip
        if not names or names[-1].party == holder:
            continue
        actor = names[-1]
        joint = re.search(
            r";|(?:,|--|[—–])\s*(?:which|but|and|an? (?:demand|proposal|condition|step|move|idea|plan)s?)\b",
            sentence.flat[hit.end : actor.start],
        )
        close = len(_WORD.findall(sentence.flat[actor.end : other.start])) <= 3
        if joint and close:
            evidence = f"'{sentence.flat[hit.end + joint.start() + 1 : other.end].strip()}'"
            return Source(actor.party, actor.speaker, actor.end, "speaker", actor.weight, evidence, actor.kind)
    return None


def _governs(between: str) -> bool:
    """True when a speaker reaches a cue: no clause break between them, or only a whole aside
    ("Putin — whom Kyiv calls a war criminal — said ..."), whose dashes or brackets pair up."""
    if not _CLAUSE_BREAK.search(between):
        return True
    dashes = len(re.findall(r"[—–]", between))
    return (
        not re.search(r"[;:]|,\s*(?:but|while|whereas|although|despite)\b", between)
        and dashes % 2 == 0
        and (between.count("(") == between.count(")"))
    )


def _other_agent(before: str, rules: Rules) -> bool:
    """True for the agent of a participle that is not a refusal: "claimed by Russia" (not "rejected by Kyiv")."""
    participle = re.search(r"(\w+ed) by (?:the )?$", before)
    return participle is not None and not rules.markers["reject"].fullmatch(participle.group(1))


def _holder(  # noqa: PLR0911
    sentence: Sentence, hit: Hit, actors: list[Actor], sources: list[Source], previous: Source | None, rules: Rules
) -> Source | None:
    """Who holds the position a cue expresses: the agent of a passive ("annexed by Russia"), the nearest
    owner or speaker before it, else the nearest name."""
    agent = _passive_agent(sentence, hit, actors, rules.markers["reject"])
    if agent is not None:
        return agent
    named = [a for a in actors if a.kind == "plan" and a.start <= hit.start and hit.end <= a.end]
    if named:  # 'the US-proposed "buffer zone" plan': the plan's own name says what it holds
        plan = named[0]
        return Source(plan.party, plan.speaker, plan.end, "owner", plan.weight, f"'{plan.text}'", "plan")
    before = [s for s in sources if s.position <= hit.start]
    if before:
        # A speaker inside an aside ("— which Russia claims to have annexed —") does not govern the main clause.
        governing = [s for s in before if _governs(sentence.flat[s.position : hit.start])]
        return governing[-1] if governing else before[-1]
    after = [s for s in sources if s.position > hit.start and s.how in {"speaker", "pronoun"}]
    if after:
        first = after[0]
        return dataclasses.replace(first, how="speaker after")
    rejecting = hit.negated or hit.refused_after or hit.kind == "reject"
    # Armed forces act but hold no position; an annexation by "Russian forces" is the state's.
    forces_ok = hit.stance == "annexation_claimed"
    names = [
        a
        for a in actors
        if (a.kind != "forces" or forces_ok) and not a.place and (rejecting or not _is_target(a, hit, sentence.flat))
    ]
    # A name joined to the cue only by proximity speaks within its clause ("Ukraine has shown
    # flexibility, but ceding land would be hard": no one holds the ceding), and not as the agent
    # of another participle ("the territory claimed by Russia").
    names = [a for a in names if not _other_agent(sentence.flat[max(0, a.start - 30) : a.start], rules)]
    ahead = [a for a in names if a.end <= hit.start and not _CLAUSE_BREAK.search(sentence.flat, a.end, hit.start)]
    if ahead:
        actor = ahead[-1]
        return Source(actor.party, actor.speaker, actor.end, "nearest name before", actor.weight, f"'{actor.text}'")
    behind = [a for a in names if a.start >= hit.end]
    if behind:
        actor = behind[0]
        return Source(actor.party, actor.speaker, actor.start, "nearest name after", actor.weight, f"'{actor.text}'")
    if previous is not None and re.match(r"[\"“‘]?(?:He|She|They|We)\b", sentence.flat):
        return dataclasses.replace(previous, position=0, how="previous sentence")
    if previous is not None and re.match(r"[\"“]", sentence.flat) and len(re.findall(r"[\"“”]", sentence.flat)) == 1:
        # A quotation opened and not closed here goes on in the words of the speaker just before.
        return dataclasses.replace(previous, position=0, how="previous sentence")
    if previous is not None and any(a.obliged for a in actors) and previous.party not in {a.party for a in names}:
        # "Ukraine must recognise ..." with no one named who asks: the demand of the speaker just before.
        return dataclasses.replace(previous, position=0, how="previous sentence")
    return None


def _titled(sentence: Sentence, actors: list[Actor], titles: dict[str, Actor], rules: Rules) -> list[Actor]:
    """Actors of the sentence plus "the diplomat", "the spokesman" standing for the last one so titled.

    Records each actor named by a title ("a senior European diplomat") in ``titles`` for the sentences after.
    """
    title = rules.markers["title"]
    found = list(actors)
    for match in re.finditer(rf"\b[Tt]he (?:[a-z-]+ ){{0,2}}?({title.pattern})\b", sentence.flat):
        head = match.group(1).lower().rstrip("s")
        earlier = titles.get(head)
        if earlier is None or any(a.start < match.end() and match.start() < a.end for a in actors):
            continue
        text = match.group(0)
        found.append(dataclasses.replace(earlier, start=match.start(), end=match.end(), text=text, place=False))
    for actor in actors:
        named = title.search(actor.text)
        if named and actor.kind == "collective":
            titles[named.group(0).lower().rstrip("s")] = actor
    return sorted(found, key=lambda a: a.start)
