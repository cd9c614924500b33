"""A deterministic synthetic archive for benchmarks: N statements, 2,000 actors, 10 years.

Same seed, same N -> byte-identical files, so runs on different days compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

FIRST = [
    "Anna",
    "Boris",
    "Chen",
    "Dmitry",
    "Elena",
    "Fang",
    "Grigory",
    "Hua",
    "Irina",
    "Jun",
    "Kirill",
    "Li",
    "Maria",
    "Nikolai",
    "Olga",
    "Ping",
    "Sergey",
    "Wei",
    "Yuri",
    "Zhang",
]
LAST = [
    "Ivanov",
    "Wang",
    "Petrova",
    "Liu",
    "Smirnov",
    "Zhao",
    "Volkova",
    "Sun",
    "Kuznetsov",
    "Zhou",
    "Popov",
    "Wu",
    "Sokolova",
    "Xu",
    "Lebedev",
    "Ma",
    "Kozlov",
    "Hu",
    "Novikova",
    "Guo",
]
RU = {
    "Anna": "Анна",
    "Boris": "Борис",
    "Dmitry": "Дмитрий",
    "Elena": "Елена",
    "Grigory": "Григорий",
    "Irina": "Ирина",
    "Kirill": "Кирилл",
    "Maria": "Мария",
    "Nikolai": "Николай",
    "Olga": "Ольга",
    "Sergey": "Сергей",
    "Yuri": "Юрий",
}
ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = [
    "cooperation",
    "partnership",
    "dialogue",
    "sanctions",
    "security",
    "trade",
    "energy",
    "summit",
    "relations",
    "strategic",
    "economy",
    "region",
    "stability",
    "development",
    "agreement",
    "investment",
    "technology",
    "culture",
    "education",
    "border",
    "military",
    "finance",
    "interaction",
    "multilateral",
]
KINDS = [
    "interview",
    "speech",
    "statement",
    "press-conference",
    "briefing",
    "article",
    "social-media",
]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words)).capitalize() + "."


def write_archive(out: Path, statements: int, actors: int = 2000, seed: int = 1) -> None:
    """Write a content/ tree with `statements` statements under `out`."""
    rng = random.Random(seed)
    (out / "actors").mkdir(parents=True, exist_ok=True)
    (out / "topics").mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(actors):
        first, last = FIRST[i % 20], LAST[(i // 20) % 20]
        ident = f"{first}-{last}-{i}".lower()
        ids.append(ident)
        names = f"  - name: {_q(RU.get(first, first) + ' ' + last)}\n    lang: ru\n"
        names += f"  - name: {_q(ZH[i % 20] + ZH[(i // 20) % 20] + str(i))}\n    lang: zh\n"
        (out / "actors" / f"{ident}.yml").write_text(
            f"id: {ident}\nname: {_q(first + ' ' + last + ' ' + str(i))}\nkind: person\n"
            f'names:\n{names}roles:\n  - title: Minister\n    from: "2010"\n',
            encoding="utf-8",
        )
    topics = [f"topic-{w}" for w in WORDS]
    for t in topics:
        (out / "topics" / f"{t}.yml").write_text(f"id: {t}\ntitle: {t.title()}\n", "utf-8")
    start = dt.date(2015, 1, 1)
    for n in range(statements):
        day = start + dt.timedelta(days=rng.randrange(3650))
        who = [ids[int(rng.paretovariate(1.2)) % actors]]
        kind = rng.choice(KINDS)
        if rng.random() < 0.05:
            who.append(ids[rng.randrange(actors)])
            kind = "joint-statement"
        who = list(dict.fromkeys(who))
        ident = f"s{n:06d}-{day.isoformat()}"
        folder = out / "statements" / f"{day.year}"
        folder.mkdir(parents=True, exist_ok=True)
        quotes = "".join(
            f"  - text: {_q(_sentence(rng, 8, 40))}\n    lang: en\n"
            for _ in range(rng.randint(0, 3))
        )
        text = (
            f"id: {ident}\ndate: {day.isoformat()}\nactors:\n"
            + "".join(f"  - {a}\n" for a in who)
            + f"title: {_q(_sentence(rng, 4, 10))}\nkind: {kind}\n"
            + f"summary: {_q(' '.join(_sentence(rng, 10, 25) for _ in range(3)))}\n"
            + (f"quotes:\n{quotes}" if quotes else "")
            + f"topics:\n  - {rng.choice(topics)}\n"
            + f"sources:\n  - title: {_q(_sentence(rng, 3, 8))}\n    publisher: Agency "
            + f"{rng.randint(1, 30)}\n    published: {day.isoformat()}\n"
            + f"    url: https://example.org/{ident}\n"
        )
        (folder / f"{ident}.yml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--statements", type=int, default=1000)
    args = parser.parse_args()
    write_archive(args.out, args.statements)
