"""A bilingual test catalogue written the way providers write, and queries the way clients type.

Offers are fi-only, sv-only or bilingual, spread over a few municipalities. Each query names the
offers a good search must show in its first five hits (`want`); `want=()` means the query must
return nothing. Queries are grouped by the class of difficulty they test (`kind`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.search import SearchDoc

JKL, JAMSA, MUURAME, LAUKAA, HKI, VAASA = "179", "182", "500", "410", "091", "905"
CATEGORIES: dict[int, dict[str, str]] = {
    1: {"fi": "Siivous", "sv": "Städning"},
    2: {"fi": "Terapiat", "sv": "Terapier"},
    3: {"fi": "Omaishoidon tuki", "sv": "Stöd för närståendevård"},
    4: {"fi": "Kuljetus ja saattaminen", "sv": "Transport och ledsagning"},
    5: {"fi": "Henkilökohtainen apu", "sv": "Personlig assistans"},
    6: {"fi": "Ateriat", "sv": "Måltider"},
    7: {"fi": "Turvapalvelut", "sv": "Trygghetstjänster"},
    8: {"fi": "Lapset ja perheet", "sv": "Barn och familjer"},
    9: {"fi": "Kotona asumisen tuki", "sv": "Stöd för boende hemma"},
    10: {"fi": "Kuntoutus", "sv": "Rehabilitering"},
}

# fmt: off
# id, category, fi title, sv title, fi description, sv description, municipalities, provider
_OFFERS: list[tuple[int, int, str, str, str, str, list[str], str]] = [
    (1, 1, "Kotisiivous", "Hemstädning",
     "Viikko- ja kertasiivous kotiisi. Imuroimme, pyyhimme pölyt ja pesemme lattiat.",
     "Veckostädning och engångsstädning i ditt hem.", [JKL], "Puhdas Koti Oy"),
    (2, 1, "Kodin siivous ja ikkunanpesu", "", "Siivoamme kodin ja pesemme ikkunat sovitusti.",
     "", [JAMSA], "Jämsän Siivouspalvelu"),
    (3, 1, "Suursiivous", "", "Kevään suursiivous: kaapit, ikkunat ja matot.", "", [JKL],
     "Kiiltävä Tmi"),
    (4, 1, "", "Storstädning", "", "Vi gör storstädning i hela bostaden, också flyttstädning.",
     [VAASA], "Städhjälpen Ab"),
    (5, 1, "", "Städhjälp för seniorer", "", "Städning i hemmet för äldre varannan vecka.",
     [HKI], "Rent Hem Ab"),
    (6, 2, "Fysioterapia kotona", "Fysioterapi i hemmet",
     "Fysioterapeutti tulee kotiisi. Liikkuvuuden ja tasapainon harjoitteet.",
     "Fysioterapeuten kommer hem till dig.", [JKL], "Liikeklinikka Oy"),
    (7, 2, "Fysioterapia vastaanotolla", "",
     "Kokenut fysioterapeutti hoitaa selkä- ja niskavaivat.", "", [MUURAME], "Muuramen Fysio"),
    (8, 2, "", "Fysioterapi för äldre", "", "Fysioterapeut med lång erfarenhet av äldre.", [VAASA],
     "Vasa Fysio Ab"),
    (9, 2, "Puheterapia", "Talterapi",
     "Puheterapeutti lapsille ja aikuisille, etänä tai vastaanotolla.",
     "Talterapeut för barn och vuxna.", [JKL], "Puhe ja Ääni Oy"),
    (10, 2, "Toimintaterapia", "", "Toimintaterapeutti harjoittelee kanssasi arjen taitoja.", "",
     [LAUKAA], "Arjen Taidot Oy"),
    (11, 10, "Terapeuttinen ratsastus", "",
     "Hevosavusteinen kuntoutus lapsille ja nuorille tallilla.", "", [JAMSA], "Tallin Tuki Tmi"),
    (12, 2, "Musiikkiterapia", "", "Musiikkiterapeutti, yksilö- ja ryhmäterapiaa.", "", [JKL],
     "Sointu Oy"),
    (13, 2, "Psykoterapia", "Psykoterapi", "Lyhyt- ja pitkäkestoinen psykoterapia aikuisille.",
     "Psykoterapi för vuxna.", [JKL, HKI], "Mielen Tila Oy"),
    (14, 10, "Mielenterveyskuntoutus", "",
     "Tukea mielenterveyskuntoutujille: ryhmät ja yksilötapaamiset.", "", [JKL],
     "Mieli Kuntoon ry"),
    (15, 4, "Kuljetuspalvelu", "Färdtjänst",
     "Kuljetus asiointiin ja lääkäriin esteettömällä autolla.",
     "Transport till ärenden och läkarbesök.", [JKL], "Keski-Suomen Kyyti Oy"),
    (16, 4, "Asiointiapu ja saattaja", "", "Saattaja lääkärikäynneille ja kauppaan.", "", [JAMSA],
     "Apuna Tmi"),
    (17, 4, "", "Ledsagning", "", "Ledsagning till läkarbesök, butik och fritidsaktiviteter.",
     [VAASA], "Följeslagarna Ab"),
    (18, 3, "Omaishoitajan vapaa", "Avlösning för närståendevårdare",
     "Sijaishoitaja tulee kotiin omaishoitajan vapaapäivien ajaksi.",
     "Ersättande vård i hemmet under närståendevårdarens ledighet.", [JKL], "Lepohetki Oy"),
    (19, 3, "Omaishoitajien vertaisryhmä", "", "Vertaistukea omaishoitajille kerran kuussa.", "",
     [MUURAME], "Omaiset yhdessä ry"),
    (20, 5, "Henkilökohtainen apu", "Personlig assistans",
     "Henkilökohtainen avustaja arkeen ja harrastuksiin.",
     "Personlig assistent i vardagen och på fritiden.", [JKL], "Avustajat Oy"),
    (21, 5, "", "Assistans i vardagen", "", "Assistenten hjälper dig hemma och ute.", [VAASA],
     "Assistanshuset Ab"),
    (22, 6, "Kotiin kuljetettava ateria", "Måltidsservice",
     "Lämmin ateria kotiovelle arkipäivisin.", "Varm måltid hem till dörren på vardagar.", [JKL],
     "Kotiruoka Oy"),
    (23, 6, "Lounas päivätoiminnassa", "", "Yhteinen lounas ja kahvi päiväkeskuksessa.", "",
     [JAMSA], "Päiväkeskus Kaisla"),
    (24, 7, "Turvapuhelin", "Trygghetstelefon",
     "Hälytyspainike ranteeseen, apu tulee ympäri vuorokauden.",
     "Larmknapp runt handleden, hjälp dygnet runt.", [JKL], "Turvassa Oy"),
    (25, 7, "Turvakäynnit", "", "Hoitaja käy tarkistamassa, että kaikki on hyvin.", "", [LAUKAA],
     "Laukaan Kotihoiva"),
    (26, 8, "Lastenhoito kotona", "", "Lastenhoitaja tulee kotiin iltaisin ja viikonloppuisin.",
     "", [JKL], "Nappula Tmi"),
    (27, 8, "", "Barnvakt", "", "Barnvakt för kvällar och helger.", [VAASA], "Barnglädje Ab"),
    (28, 9, "Kotipalvelu", "Hemservice", "Apua arkeen: kauppa-asiat, pyykit ja ruoanlaitto.",
     "Hjälp med inköp, tvätt och matlagning.", [JKL], "Arjen Apu Oy"),
    (29, 9, "Päivätoiminta ikäihmisille", "Dagverksamhet för äldre",
     "Virikkeellistä toimintaa, liikuntaa ja lounas.", "Aktiviteter, motion och lunch.",
     [JAMSA], "Päiväkeskus Kaisla"),
    (30, 8, "Tukihenkilö nuorelle", "", "Tukihenkilö tapaa nuorta viikoittain.", "", [JKL],
     "Nuorten Tuki ry"),
    (31, 8, "", "Stödperson för unga", "", "En stödperson för unga vuxna.", [VAASA],
     "Ungdomsstöd Ab"),
    (32, 10, "Työtoiminta", "", "Ohjattua työtoimintaa puuverstaalla.", "", [JAMSA],
     "Verstas ry"),
    (33, 10, "Kuntosaliryhmä ikäihmisille", "", "Ohjattu kuntosaliharjoittelu pienryhmässä.", "",
     [MUURAME], "Voimaa Oy"),
    (34, 10, "Hieronta", "", "Klassinen hieronta ja lihashuolto.", "", [JKL], "Hierova Tmi"),
    (35, 9, "Jalkahoito", "Fotvård", "Jalkojenhoitaja hoitaa kynnet ja kovettumat.",
     "Fotvårdare sköter naglar.", [JKL, JAMSA], "Jalka Oy"),
    (36, 9, "Parturi-kampaaja kotiin", "", "Hiustenleikkuu kotona.", "", [LAUKAA], "Hius Tmi"),
    (37, 1, "Ikkunanpesu", "", "Pesemme ikkunat sisältä ja ulkoa.", "", [JKL], "Kirkas Oy"),
    (38, 9, "Pihatyöt ja lumityöt", "", "Lumenluonti ja nurmikon leikkuu.", "", [JAMSA],
     "Pihamies Tmi"),
    (39, 9, "", "Snöröjning och trädgårdsarbete", "", "Vi skottar snö och klipper gräsmattan.",
     [VAASA], "Gårdskarlen Ab"),
    (40, 9, "Muistihoitajan neuvonta", "", "Neuvontaa muistisairaan omaisille.", "", [JKL],
     "Muistiluotsi ry"),
    (41, 10, "Aivoinfarktin jälkeinen kuntoutus", "", "Neurologinen kuntoutus kotona.", "",
     [JKL], "Neuro Oy"),
    (42, 8, "Perhetyö", "Familjearbete", "Perhetyöntekijä tukee lapsiperhettä arjessa.",
     "Familjearbetaren stöder barnfamiljen.", [JKL], "Perheiden Tuki Oy"),
    (43, 4, "Kuljetus dialyysiin", "", "Kyyti hoitoon ja takaisin.", "", [MUURAME],
     "Muuramen Taksi"),
    (44, 2, "", "Samtalsterapi", "", "Samtalsterapi för vuxna.", [HKI], "Samtalet Ab"),
    (45, 2, "", "Ergoterapi", "", "Ergoterapeuten hjälper med vardagliga färdigheter.", [VAASA],
     "Ergo Vasa Ab"),
    (46, 9, "Apuvälinepalvelu", "", "Rollaattorit ja pyörätuolit lainaksi.", "", [JKL],
     "Apuväline Oy"),
    (47, 9, "", "Hemsjukvård", "", "Sjukskötaren kommer hem till dig.", [VAASA], "Vårdhem Ab"),
    (48, 9, "Kotisairaanhoito", "", "Sairaanhoitaja tulee kotiin.", "", [JKL], "Hoiva Oy"),
    (49, 9, "Saunotus ja peseytymisapu", "", "Autamme peseytymisessä ja saunomisessa.", "",
     [JAMSA], "Hoiva Oy"),
    (50, 5, "Avustaja opiskeluun", "", "Avustaja luennoille ja tenttiin.", "", [JKL],
     "Avustajat Oy"),
    (51, 6, "Kauppakassipalvelu", "Matkasse hem", "Tuomme ostokset kotiin.",
     "Vi levererar matvarorna hem.", [JAMSA], "Kassi Oy"),
    (52, 3, "Omaishoidon valmennus", "", "Kurssi uusille omaishoitajille.", "", [JKL],
     "Omaiset yhdessä ry"),
    (53, 10, "Sydänkuntoutus", "", "Kuntoutusta sydäninfarktin jälkeen.", "", [LAUKAA],
     "Sydän Oy"),
    (54, 1, "Muuttosiivous", "", "Siivoamme asunnon muuton jälkeen.", "", [MUURAME],
     "Kiiltävä Tmi"),
    (55, 7, "Paaliturva", "", "Pellon paalien vartiointi.", "", [JAMSA], "Maatila Oy"),
]
# fmt: on


def _lang(fi: str, sv: str) -> list[str]:
    return [lang for lang, text in (("fi", fi), ("sv", sv)) if text]


def catalogue() -> list[SearchDoc]:
    docs = []
    for offer_id, cat, fi, sv, dfi, dsv, areas, provider in _OFFERS:
        docs.append(
            SearchDoc(
                offer_id=offer_id,
                provider_id=offer_id,
                provider_name=provider,
                category_id=cat,
                category_names=CATEGORIES[cat],
                organiser_ids=[1],
                title={k: v for k, v in (("fi", fi), ("sv", sv)) if v},
                description={k: v for k, v in (("fi", dfi), ("sv", dsv)) if v},
                unit="hour",
                price_cents=2000 + (offer_id * 37) % 60 * 100,
                municipalities=areas,
                languages=_lang(fi or dfi, sv or dsv),
                delivery_modes=["home"],
            )
        )
    return docs


@dataclass(frozen=True)
class Case:
    q: str
    want: tuple[int, ...]
    kind: str


def _cases(kind: str, rows: list[tuple[str, tuple[int, ...]]]) -> list[Case]:
    return [Case(q, want, kind) for q, want in rows]


# fmt: off
CASES: list[Case] = [
    *_cases("exact", [
        ("kotisiivous", (1,)), ("hemstädning", (1,)), ("puheterapia", (9,)),
        ("talterapi", (9,)), ("turvapuhelin", (24,)), ("hieronta", (34,)),
        ("jalkahoito", (35,)), ("fotvård", (35,)), ("perhetyö", (42,)), ("barnvakt", (27,)),
        ("ledsagning", (17,)), ("storstädning", (4,)), ("työtoiminta", (32,)),
        ("ikkunanpesu", (37, 2)), ("färdtjänst", (15,)), ("hemsjukvård", (47,)),
        ("psykoterapia", (13,)), ("samtalsterapi", (44,)), ("ergoterapi", (45,)),
        ("tukihenkilö", (30,)), ("paali", (55,)),
    ]),
    *_cases("inflected", [
        ("siivoukseen", (1, 2, 3, 54)), ("siivousta", (1, 2, 3, 54)),
        ("kuljetuksen", (15, 43)), ("kuljetukseen", (15, 43)),
        ("mielenterveyskuntoutukseen", (14,)), ("mielenterveyskuntoutuksen", (14,)),
        ("omaishoidon", (18, 19, 52)), ("omaishoitajalle", (18, 19, 52)),
        ("omaishoitajille", (18, 19, 52)), ("fysioterapeutille", (6, 7)),
        ("fysioterapeutin", (6, 7)), ("fysioterapiaan", (6, 7)), ("puheterapiaan", (9,)),
        ("puheterapeutille", (9,)), ("toimintaterapeutille", (10,)), ("hierontaan", (34,)),
        ("hierojalle", (34,)), ("jalkahoitoon", (35,)), ("ikkunoiden pesu", (37, 2)),
        ("kotipalveluun", (28,)), ("turvapuhelimen", (24,)), ("lastenhoitoon", (26,)),
        ("lastenhoitajan", (26,)), ("tukihenkilön", (30,)), ("tukihenkilöä", (30,)),
        ("kuntoutukseen", (14, 41, 53, 11, 32, 33, 34)), ("päivätoimintaan", (29,)),
        ("perhetyöhön", (42,)), ("saattajan", (16,)), ("avustajan", (20, 50)),
        ("kotisairaanhoitoon", (48,)), ("sairaanhoitajan", (48,)),
        ("muistisairaan", (40,)), ("aterian", (22,)), ("sydänkuntoutukseen", (53,)),
        ("lumitöihin", (38,)), ("psykoterapiaan", (13,)), ("musiikkiterapiaan", (12,)),
    ]),
    *_cases("compound", [
        ("siivous", (1, 2, 3, 54)), ("kotisiivous", (1, 2, 3)), ("kodin siivous", (1, 2)),
        ("terapia", (6, 7, 9, 10, 12, 13)), ("ratsastusterapia", (11,)), ("ratsastus", (11,)),
        ("kuntoutus", (14, 41, 53, 11, 32, 33, 34)), ("omaishoito", (18, 19, 52)),
        ("kotiateria", (22,)),
        ("ateriapalvelu", (22,)), ("kuljetus", (15, 43)), ("ikkunat", (37, 2)),
        ("lumityö", (38,)), ("kuntosali", (33,)), ("mielenterveys", (14,)),
        ("päivätoiminta", (29, 23)), ("infarkti", (41, 53)), ("sydän", (53,)),
        ("muistihoitaja", (40,)), ("ryhmäterapia", (12,)),
        ("vertaistuki", (19,)), ("pesu", (37, 2)), ("siivousapu", (1, 2, 54)),
        ("fysioterapeutin kotikäynti", (6,)), ("kuntosalille", (33,)), ("saunomisapu", (49,)),
        ("muuttosiivoukseen", (54,)), ("lumitöitä", (38,)), ("musiikkiterapeutti", (12,)),
    ]),
    *_cases("swedish", [
        ("städning", (1, 4, 5)), ("städning i hemmet", (5, 1)),
        ("hemmet", (6, 1, 5, 18, 28, 47, 51)),
        ("närståendevårdarens ledighet", (18,)), ("närståendevård", (18,)),
        ("närståendevårdare", (18,)), ("assistansen", (20, 21)), ("assistans", (20, 21)),
        ("assistent", (20, 21)), ("terapier", (6, 8, 9, 13, 44, 45)),
        ("terapin", (44, 13, 45, 8, 9, 6)),
        ("fysioterapeuten", (6, 8)), ("talterapeut", (9,)), ("hemstädningen", (1,)),
        ("storstädningen", (4,)), ("ledsagare", (17,)), ("ledsagarservice", (17,)),
        ("familjearbetet", (42,)), ("stödpersonen", (31,)), ("barnvakten", (27,)),
        ("måltider", (22,)), ("måltid", (22,)), ("snöröjningen", (39,)),
        ("fotvårdaren", (35,)), ("trygghetstelefonen", (24,)), ("för äldre", (8, 29, 5)),
        ("dagverksamheten", (29,)), ("psykoterapeut", (13,)), ("äldre", (8, 29, 5)),
        ("färdtjänsten", (15,)),
    ]),
    *_cases("synonym", [
        ("taksi", (15, 43)), ("siivooja", (1, 2, 3, 54)), ("lapsenvahti", (26, 27)),
        ("turvaranneke", (24,)), ("matleverans", (22, 51)), ("kotiapu", (28,)),
        ("kyyti", (15, 43)), ("kotiruoka", (22,)), ("ruokaa kotiin", (22,)),
        ("städare", (1, 4, 5)), ("lumenluonti", (38,)), ("ruohonleikkuu", (38,)),
        ("dementia", (40,)), ("fysio", (6, 7)), ("fysioterapeutti", (6, 7)),
        ("kampaaja", (36,)), ("parturi", (36,)), ("hemhjälp", (28,)),
        ("avustaja", (20, 50)), ("hälytysranneke", (24,)), ("larm", (24,)),
        ("hemvård", (28, 47)), ("seniorit", (29, 33, 5)),
        ("vanhukset", (29, 33)), ("saattaja", (16,)),
    ]),
    *_cases("place-language", [
        ("siivous jyväskylä", (1, 3)), ("siivous jämsä", (2,)), ("siivous jyväskylässä", (1, 3)),
        ("fysioterapia muurame", (7,)), ("fysioterapi på svenska", (6, 8)),
        ("terapia ruotsiksi", (6, 9, 13, 8, 44, 45)), ("städning vasa", (4,)),
        ("städning helsingfors", (5,)), ("kuljetus muuramessa", (43,)),
        ("hieronta jyväskylä", (34,)), ("psykoterapia helsinki", (13,)),
        ("terapi på finska", (6, 7, 9, 10, 12, 13)), ("siivous ruotsiksi", (1, 4, 5)),
        ("ledsagning vasa", (17,)), ("toimintaterapia laukaa", (10,)),
        ("omaishoitajan vapaa jyväskylä", (18,)),
    ]),
    *_cases("typo", [
        ("fysoterapia", (6, 7)), ("fysioterapai", (6, 7)), ("puheterpia", (9,)),
        ("kotisiivos", (1,)), ("hemstäding", (1,)), ("turvapuhlein", (24,)),
        ("hierotna", (34,)), ("tukihenklö", (30,)), ("psykoterpia", (13,)),
        ("omaishoitja", (18, 19, 52)), ("kuljetuspalvlu", (15,)), ("ledsagnig", (17,)),
        ("assistasn", (20, 21)), ("jalkahoto", (35,)), ("ikkunapesu", (37, 2)),
    ]),
    *_cases("prefix", [
        ("puh", (9,)), ("fysio", (6, 7)), ("kuljet", (15, 43)), ("sii", (1, 2, 3, 54)),
        ("omais", (18, 19, 52)), ("städ", (5, 4, 1)),
    ]),
    *_cases("none", [
        ("pää", ()), ("xyzzyqq", ()), ("tyo", ()), ("saatio", ()), ("koiranulkoilutus", ()),
        ("autokorjaamo", ()), ("puheterapia kotisiivous", ()), ("hammasproteesi", ()),
    ]),
]
# fmt: on
