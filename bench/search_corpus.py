"""A realistic catalogue for the search benchmark: many distinct fi/sv words.

Titles and descriptions are built from real Finnish and Swedish service vocabulary: compounds
of a modifier and a head ("kotisiivous", "hemstädning"), inflected forms ("siivoukseen",
"kotiin", "hemmet"), provider names from syllables (so at 50 000 offers the vocabulary holds
well over 50 000 distinct words) and the municipality names of the areas served. Some offers are
Finnish only, some Swedish only, most bilingual.
"""

from __future__ import annotations

import random

FI_HEADS = [
    "siivous",
    "terapia",
    "kuntoutus",
    "hoito",
    "palvelu",
    "apu",
    "tuki",
    "ohjaus",
    "kuljetus",
    "neuvonta",
    "valmennus",
    "ryhmä",
    "toiminta",
    "hieronta",
    "pesu",
    "ateria",
    "käynti",
    "hoitaja",
    "avustaja",
    "ohjaaja",
    "valvonta",
    "leiri",
    "kurssi",
    "asuminen",
    "kerho",
]
FI_MODIFIERS = [
    "koti",
    "suur",
    "muutto",
    "ikkuna",
    "fysio",
    "puhe",
    "toiminta",
    "musiikki",
    "psyko",
    "ratsastus",
    "mielenterveys",
    "omais",
    "turva",
    "lasten",
    "perhe",
    "työ",
    "päivä",
    "kunto",
    "jalka",
    "sairaan",
    "sydän",
    "muisti",
    "lumi",
    "piha",
    "sauna",
    "vertais",
    "asiointi",
    "sijais",
    "yö",
    "viikonloppu",
    "loma",
    "nuoriso",
    "vanhus",
    "vammais",
    "taide",
    "liikunta",
    "ravitsemus",
    "uni",
    "kipu",
    "kriisi",
]
FI_ENDINGS = ["", "n", "a", "an", "aan", "lle", "lla", "sta", "ksi", "t", "ja", "ssa"]
FI_WORDS = [
    "kotona",
    "kotiin",
    "kodin",
    "ryhmässä",
    "nopeasti",
    "kokenut",
    "lapsille",
    "nuorille",
    "ikäihmisille",
    "illalla",
    "viikoittain",
    "sovitusti",
    "turvallisesti",
    "yksilöllisesti",
    "omaishoitajille",
    "mielenterveyskuntoutujille",
    "siivoukseen",
    "kuljetuksen",
    "fysioterapeutti",
    "puheterapeutti",
    "sairaanhoitaja",
    "vastaanotolla",
    "etänä",
    "arjessa",
]
SV_HEADS = [
    "städning",
    "terapi",
    "vård",
    "tjänst",
    "hjälp",
    "stöd",
    "service",
    "transport",
    "rådgivning",
    "grupp",
    "verksamhet",
    "massage",
    "tvätt",
    "måltid",
    "besök",
    "assistans",
]
SV_MODIFIERS = [
    "hem",
    "stor",
    "flytt",
    "fönster",
    "fysio",
    "tal",
    "ergo",
    "musik",
    "samtal",
    "närstående",
    "trygghets",
    "barn",
    "familje",
    "arbets",
    "dag",
    "fot",
    "sjuk",
    "minnes",
    "snö",
    "trädgårds",
    "natt",
    "helg",
    "ungdoms",
    "äldre",
    "motions",
]
SV_ENDINGS = ["", "en", "et", "er", "erna", "ens", "s", "ar", "arna"]
SV_WORDS = [
    "hemma",
    "hemmet",
    "i",
    "grupp",
    "snabbt",
    "erfaren",
    "för",
    "barn",
    "unga",
    "äldre",
    "på",
    "kvällen",
    "varje",
    "vecka",
    "tryggt",
    "individuellt",
    "närståendevårdare",
    "på",
    "svenska",
    "mottagning",
    "distans",
    "vardagen",
]
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "lo",
    "mi",
    "su",
    "ve",
    "na",
    "ja",
    "ta",
    "ro",
    "hu",
    "pe",
    "sa",
    "le",
    "ko",
    "va",
    "ne",
    "ti",
    "mo",
    "ku",
    "pa",
    "li",
    "se",
    "ho",
    "ki",
    "nu",
    "ra",
    "ma",
    "jo",
]
PROVIDER_ENDS = ["Oy", "Ab", "Tmi", "ry", "Ky", "Hoiva Oy", "Vård Ab"]


def _syllable_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def provider_name(rng: random.Random, index: int) -> str:
    return f"{_syllable_word(rng, 3).title()}{_syllable_word(rng, 2)} {rng.choice(PROVIDER_ENDS)}"


def fi_text(rng: random.Random) -> tuple[str, str]:
    head = rng.choice(FI_HEADS)
    title = f"{rng.choice(FI_MODIFIERS)}{head}".capitalize()
    if rng.random() < 0.4:
        title += " " + rng.choice(FI_WORDS)
    words = [
        f"{rng.choice(FI_MODIFIERS)}{rng.choice(FI_HEADS)}{rng.choice(FI_ENDINGS)}"
        if rng.random() < 0.5
        else rng.choice(FI_WORDS)
        for _ in range(rng.randint(6, 14))
    ]
    words.append(_syllable_word(rng, rng.randint(3, 4)))  # a rare word: names, local terms
    return title, " ".join(words).capitalize() + "."


def sv_text(rng: random.Random) -> tuple[str, str]:
    title = f"{rng.choice(SV_MODIFIERS)}{rng.choice(SV_HEADS)}".capitalize()
    words = [
        f"{rng.choice(SV_MODIFIERS)}{rng.choice(SV_HEADS)}{rng.choice(SV_ENDINGS)}"
        if rng.random() < 0.5
        else rng.choice(SV_WORDS)
        for _ in range(rng.randint(6, 12))
    ]
    return title, " ".join(words).capitalize() + "."


def offer_texts(rng: random.Random) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(title, description, languages) of one offer: 60 % bilingual, 30 % fi, 10 % sv."""
    draw = rng.random()
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    if draw < 0.9:
        title["fi"], description["fi"] = fi_text(rng)
    if draw < 0.6 or draw >= 0.9:
        title["sv"], description["sv"] = sv_text(rng)
    return title, description, sorted(title)


QUERIES: dict[str, list[str]] = {
    "single word": ["siivous", "terapia", "kuntoutus", "städning", "hieronta", "kuljetus"],
    "inflected": ["siivoukseen", "kuljetuksen", "omaishoidon", "fysioterapeutille", "hemmet"],
    "compound": ["kotisiivous", "ratsastusterapia", "hemstädning", "mielenterveyskuntoutus"],
    "typo": ["fysoterapia", "kotisiivos", "puheterpia", "hemstäding", "kuntotus"],
    "multi-word": ["fysioterapia kotona", "siivous jyväskylä", "terapi på svenska"],
    "prefix 1-3": ["k", "si", "puh", "hem", "te"],
    "facet-filtered": ["terapia", "siivous", "apu"],
}
