"""Who speaks in a sentence, matched against the archive's actor records.

A speaker is found where English reports speech: "According to X", "As X emphasized",
"X said", "..., he noted", "was announced ... by X", "a joint statement by X and Y". X is
matched against every name of every actor, in any language, and, for people, the first or
last word of a name on its own ("Putin", "Zhang"). Titles before a name ("Chinese
Ambassador to Russia Zhang Hanhui") are kept as the speaker's description. "he", "she",
"they" and a role ("the diplomat", "the Russian leader") stand for the speaker before; a
role is taken as confirmed when its words appear in that actor's record. A name that
matches no actor is returned as unknown, for a TODO.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.records.model import Actor

_VERBS = (
    "said|says|say|announced|announces|noted|notes|stated|states|emphasi[sz]ed|emphasi[sz]es|"
    "stressed|stresses|added|adds|told|tells|declared|declares|explained|explains|remarked|"
    "pointed out|points out|warned|warns|claimed|claims|argued|argues|insisted|insists|"
    "underlined|underlines|underscored|replied|commented|assured|recalled|recalls|believes|"
    "wrote|writes|confirmed|confirms|acknowledged|observed|asserted|mentioned|suggested|"
    "expressed|urged|called"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
ROLE_NOUNS = (
    "ambassador|president|minister|diplomat|leader|spokesman|spokeswoman|spokesperson|"
    "secretary|chancellor|chairman|chairwoman|envoy|official|representative|governor|mayor|"
    "senator|premier|king|queen|head|chief|director|politician|ministry|deputy"
)
_ROLE = re.compile(rf"\bthe\s+((?:[\w-]+\s+){{0,3}}?)({ROLE_NOUNS})\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_JOINT = re.compile(
    r"\bjoint\s+(?:statement|declaration|communiqu[ée])\s+(?:by|of|from|between)\s+", re.I
)
_PASSIVE_BY = re.compile(
    rf"\b(?:was|were|has been|had been|is|are)\s+(?:\w+\s+)?(?:{_VERBS})\b[^.;:]*?\bby\s+"
)
_PRONOUN = re.compile(r"\b(he|she|they)(?:\s+(?:also|later|then|once again|again))?\s*$", re.I)
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CONNECTORS = frozenset(
    re.findall(
        r"\S+",
        "to of the for and de von van al bin la le",
    )
)
#: Capitalised words that open a sentence or a clause, never a name.
_OPENERS = frozenset(
    re.findall(
        r"\S+",
        "Earlier Later Then Also However Meanwhile Previously Today Yesterday On In As And "
        "But Both This That It According Such Before After When While Moreover Furthermore",
    )
)
_TITLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "president prime minister foreign ambassador spokesman spokeswoman spokesperson "
        "secretary general chancellor chairman chairwoman head deputy director chief mr mrs "
        "ms dr senator king queen prince press official representative envoy special "
        "permanent leader governor mayor ministry affairs defence defense state",
    )
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a sentence says is speaking.

    `kind`: "named" (actors matched by name), "unknown" (a name no actor has), "role" or
    "pronoun" (standing for the speaker before). `role` is the title word in front of the
    name or the role named ("ambassador"); `todos` say what is unsure.
    """

    kind: str
    ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    role: str | None = None
    words: str = ""
    joint: bool = False
    todos: tuple[str, ...] = field(default=())


class Names:
    """Every name of every actor, and what each name points to."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
        full: dict[str, set[str]] = {}
        short: dict[str, set[str]] = {}
        for actor in self.actors.values():
            for name in (actor.name, *(n.name for n in actor.names)):
                full.setdefault(name, set()).add(actor.id)
                parts = [p for p in re.split(r"[\s·]+", name) if p]
                if actor.kind == "person" and len(parts) > 1:
                    for part in (parts[0], parts[-1]):
                        if len(part) > 1 and part.lower() not in _CONNECTORS:
                            short.setdefault(part, set()).add(actor.id)
        # A full name wins over a short form spelled alike; the keys' apostrophes are
        # straight, as `find`'s matches are looked up by `target`.
        self.targets = {_straight(k): v for k, v in {**short, **full}.items()}
        surfaces = sorted(self.targets, key=len, reverse=True)
        alternatives = "|".join(_bounded(s) for s in surfaces) or r"(?!x)x"
        self._pattern = re.compile(alternatives)

    def target(self, match: re.Match[str]) -> list[str]:
        """The ids of the actors a name found by `find` may be, in id order."""
        return sorted(self.targets[_straight(match.group(0))])

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """The names of actors in `text[start:end]`, longest first where they overlap."""
        return list(self._pattern.finditer(text, start, len(text) if end is None else end))

    def profile(self, actor_id: str) -> set[str]:
        """The words of an actor's record that a role naming them may use."""
        actor = self.actors.get(actor_id)
        if actor is None:
            return set()
        parts = [actor.description or ""]
        parts += [f"{r.title} {r.organization or ''}" for r in actor.roles]
        country = self.actors.get(actor.country or "")
        if country is not None:
            parts += [country.name, *(n.name for n in country.names)]
        return {w.lower() for w in re.findall(r"\w+", " ".join(parts))}


def _straight(name: str) -> str:
    return name.replace("’", "'")


def _bounded(surface: str) -> str:
    # An apostrophe in a name matches either style: records and briefings differ.
    body = "".join("['’]" if c in "'’" else re.escape(c) for c in surface)
    # Latin and Cyrillic names end at a word boundary; Chinese and Japanese have none.
    before = r"(?<!\w)" if surface[:1].isalpha() and ord(surface[0]) < 0x2E80 else ""
    after = r"(?!\w)" if surface[-1:].isalpha() and ord(surface[-1]) < 0x2E80 else ""
    return before + body + after


def role_fits(role_words: str, noun: str, profile: set[str]) -> bool:
    """True when a role ("the Russian leader") fits an actor's record: its noun, or one of
    its other words (a nationality against the country's name), appears there."""
    if noun.lower() in profile:
        return True
    for word in role_words.split():
        stem = word.lower()[:5]
        if len(stem) >= 4 and any(p.startswith(stem) for p in profile):
            return True
    return False


def _phrase_forward(masked: str, start: int, lists: bool = False) -> tuple[int, int]:
    """The span of a name phrase starting at `start`: capitalised words and connectors
    (and, in a list of parties, commas)."""
    end = pos = start
    gap = re.compile(r"\s*(?:,\s*)?" if lists else r"\s*")
    while True:
        match = gap.match(masked, pos)
        at = match.end() if match else pos
        word = _NAME_WORD.match(masked, at)
        if word is None:
            return start, end
        text = word.group(0)
        if text[:1].isupper() or (ord(text[0]) >= 0x2E80):
            end = pos = word.end()
            continue
        if text.lower() in _CONNECTORS and masked[pos:at].strip(" ") == "":
            pos = word.end()
            continue
        return start, end


def _phrase_backward(masked: str, end: int) -> tuple[int, int]:
    """The span of a name phrase (or a pronoun) ending at `end`."""
    words = list(_NAME_WORD.finditer(masked, 0, end))
    start = end
    for word in reversed(words):
        if masked[word.end() : start].strip():  # only spaces between the phrase's words
            break
        text = word.group(0)
        if (
            text[:1].isupper()
            or ord(text[0]) >= 0x2E80
            or (text.lower() in _CONNECTORS and start != end)
        ):
            start = word.start()
        else:
            break
    while start < end:
        first = _NAME_WORD.match(masked, start)
        if first is None or not (
            first.group(0).lower() in _CONNECTORS or first.group(0) in _OPENERS
        ):
            break
        start = first.end() + len(masked[first.end() :]) - len(masked[first.end() :].lstrip())
    return start, end


def _conjuncts(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, at = [], start
    for match in re.finditer(r"\s+and\s+|,\s+", masked[start:end]):
        parts.append((at, start + match.start()))
        at = start + match.end()
    parts.append((at, end))
    return [(a, b) for a, b in parts if masked[a:b].strip()]


def _title_before(words: str) -> str | None:
    """The last title word before a name: "Chinese Ambassador to Russia" -> ambassador."""
    head = re.split(r"\s+(?:to|of|for)\s+", words)[0]
    titles = [w.lower() for w in head.split() if w.lower() in _TITLE_WORDS]
    return titles[-1] if titles else None


def _bare_name(words: str) -> str:
    """The name in a run of words, with the titles and nationalities before it dropped."""
    tail = re.split(r"\b(?:to|of|for|the)\b", " ".join(words.split()))[-1].split()
    name = [w for w in tail if w.lower() not in _TITLE_WORDS and w not in _OPENERS]
    name = [w for w in name if not re.fullmatch(r"\w+(?:ian|ese|ish)", w)]
    return " ".join(w for w in name if w[:1].isupper() or ord(w[0]) >= 0x2E80)


def _named(masked: str, start: int, end: int, names: Names, joint: bool) -> Speaker | None:
    ids: list[str] = []
    unknown: list[str] = []
    todos: list[str] = []
    role: str | None = None
    for a, b in _conjuncts(masked, start, end) if joint else [(start, end)]:
        found = names.find(masked, a, b)
        # The name is the phrase's last words: an actor's, unless a name no actor has follows
        # it ("Southland Foreign Minister Karl Berg").
        after = found[-1].end() if found else a
        name = _bare_name(masked[after:b])
        if name:
            unknown.append(name)
            role = role or _title_before(" ".join(masked[a:b].split()))
            continue
        if found:
            last = found[-1]
            targets = names.target(last)
            if len(targets) > 1:
                todos.append(
                    f"TODO: “{last.group(0)}” may be any of {', '.join(targets)}; "
                    f"keep the one meant (took {targets[0]})"
                )
            ids.append(targets[0])
            role = role or _title_before(masked[a : last.start()])
    if not ids and not unknown:
        return None
    kind = "unknown" if unknown and not ids else "named"
    said = " ".join(masked[start:end].split())
    return Speaker(kind, tuple(ids), tuple(unknown), role, said, joint, tuple(todos))


def _role(match: re.Match[str]) -> Speaker:
    words = " ".join(match.group(0).split())
    return Speaker("role", role=match.group(2).lower(), words=words[len("the ") :])


def find_speaker(masked: str, names: Names) -> Speaker | None:
    """The speaker a sentence names (its quotes blanked in `masked`), or None.

    Tried in order: a joint statement's parties, "according to", a passive "... by X",
    then the subject of each verb of speech.
    """
    joint = _JOINT.search(masked)
    if joint:
        a, b = _phrase_forward(masked, joint.end(), lists=True)
        found = _named(masked, a, b, names, joint=True)
        if found is not None:
            return found
    for cue in (_ACCORDING, _PASSIVE_BY):
        match = cue.search(masked)
        if match is None:
            continue
        role = _ROLE.match(masked, match.end())
        if role is not None:
            return _role(role)
        a, b = _phrase_forward(masked, match.end())
        found = _named(masked, a, b, names, joint=False)
        if found is not None:
            return found
    for verb in _VERB.finditer(masked):
        before = masked[: verb.start()]
        pronoun = _PRONOUN.search(before)
        if pronoun is not None:
            return Speaker("pronoun", words=pronoun.group(1))
        for role in _ROLE.finditer(before):
            if not before[role.end() :].strip():
                return _role(role)
        a, b = _phrase_backward(masked, len(before.rstrip()))
        found = _named(masked, a, b, names, joint=" and " in masked[a:b])
        if found is not None:
            return found
    return None
