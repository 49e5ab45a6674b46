# ruff: noqa: E501 - word lists read better one per line
"""Words the demo catalogue is made of, in each demo territory's language.

Neighbourhoods are real districts with approximate centre coordinates; provider and
activity names follow how such organisations name themselves locally. The generator
combines them (deterministically) into catalogues of any size.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    lat: float
    lon: float
    # Genitive or locative form used in organisation names ("Žirmūnų" biblioteka).
    name_in_names: str = ""

    @property
    def label(self) -> str:
        return self.name_in_names or self.name


@dataclass(frozen=True)
class Language:
    code: str
    neighbourhoods: list[Neighbourhood]
    # (kind, pattern) with {nb} = neighbourhood, {word} = a name word
    provider_patterns: list[tuple[str, str]]
    words: list[str]
    streets: list[str]
    titles: dict[str, list[str]]
    what: dict[str, str]
    levels: list[tuple[str, int, int]]  # (suffix, youngest, oldest)
    description: str  # {title} {what} {provider} {venue} {nb}
    price_note: str
    provider_about: str  # {name} {nb}
    voucher: bool = False
    venue_patterns: list[str] = field(default_factory=lambda: ["{provider}"])
    second_languages: list[str] = field(default_factory=lambda: ["en"])


LT = Language(
    code="lt",
    neighbourhoods=[
        Neighbourhood("Senamiestis", 54.6811, 25.2876, "Senamiesčio"),
        Neighbourhood("Naujamiestis", 54.6795, 25.2650, "Naujamiesčio"),
        Neighbourhood("Žvėrynas", 54.6936, 25.2540, "Žvėryno"),
        Neighbourhood("Šnipiškės", 54.6962, 25.2800, "Šnipiškių"),
        Neighbourhood("Žirmūnai", 54.7050, 25.3000, "Žirmūnų"),
        Neighbourhood("Antakalnis", 54.6980, 25.3200, "Antakalnio"),
        Neighbourhood("Užupis", 54.6800, 25.2990, "Užupio"),
        Neighbourhood("Naujininkai", 54.6620, 25.2870, "Naujininkų"),
        Neighbourhood("Rasos", 54.6700, 25.3150, "Rasų"),
        Neighbourhood("Lazdynai", 54.6720, 25.2050, "Lazdynų"),
        Neighbourhood("Karoliniškės", 54.6830, 25.2180, "Karoliniškių"),
        Neighbourhood("Viršuliškės", 54.7110, 25.2230, "Viršuliškių"),
        Neighbourhood("Šeškinė", 54.7150, 25.2420, "Šeškinės"),
        Neighbourhood("Fabijoniškės", 54.7300, 25.2450, "Fabijoniškių"),
        Neighbourhood("Pašilaičiai", 54.7350, 25.2220, "Pašilaičių"),
        Neighbourhood("Justiniškės", 54.7200, 25.2100, "Justiniškių"),
        Neighbourhood("Pilaitė", 54.7080, 25.1800, "Pilaitės"),
        Neighbourhood("Baltupiai", 54.7320, 25.2750, "Baltupių"),
        Neighbourhood("Verkiai", 54.7400, 25.2900, "Verkių"),
        Neighbourhood("Santariškės", 54.7450, 25.2700, "Santariškių"),
        Neighbourhood("Paupys", 54.6780, 25.3000, "Paupio"),
        Neighbourhood("Vilkpėdė", 54.6660, 25.2500, "Vilkpėdės"),
        Neighbourhood("Grigiškės", 54.6750, 25.0850, "Grigiškių"),
        Neighbourhood("Naujoji Vilnia", 54.6900, 25.4200, "Naujosios Vilnios"),
        Neighbourhood("Jeruzalė", 54.7330, 25.2950, "Jeruzalės"),
    ],
    provider_patterns=[
        ("youth_centre", "{nb} jaunimo centras"),
        ("library", "{nb} biblioteka"),
        ("school", "{nb} progimnazija"),
        ("ngo", "{nb} bendruomenės centras"),
        ("sports_club", "Sporto klubas „{word}“"),
        ("ngo", "Asociacija „{word}“"),
        ("ngo", "VšĮ „{word} akademija“"),
        ("makerspace", "Kūrybinės dirbtuvės „{word}“"),
        ("makerspace", "Robotikos mokykla „{word}“"),
        ("culture", "Šokių studija „{word}“"),
        ("culture", "Muzikos studija „{word}“"),
        ("company", "UAB „{word} edukacija“"),
    ],
    words=[
        "Ąžuolas",
        "Vilkas",
        "Žiburys",
        "Aitvaras",
        "Saulė",
        "Gintaras",
        "Vėjas",
        "Pelėda",
        "Kibirkštis",
        "Erdvė",
        "Šviesa",
        "Banga",
        "Pynė",
        "Atžalynas",
        "Draugystė",
        "Ateitis",
        "Vingis",
        "Spalva",
        "Ritmas",
        "Garsas",
        "Idėja",
        "Gija",
        "Tiltas",
        "Žingsnis",
        "Versmė",
    ],
    streets=[
        "Žirmūnų g.",
        "Antakalnio g.",
        "Kalvarijų g.",
        "Laisvės pr.",
        "Gedimino pr.",
        "Pylimo g.",
        "Konstitucijos pr.",
        "Ozo g.",
        "Architektų g.",
        "Šeškinės g.",
        "Didlaukio g.",
        "Savanorių pr.",
        "Paupio g.",
        "Minties g.",
        "Taikos g.",
    ],
    titles={
        "arts": [
            "Dailės studija",
            "Tapybos dirbtuvės",
            "Teatro studija",
            "Fotografijos būrelis",
            "Keramikos dirbtuvės",
        ],
        "music": [
            "Gitaros pamokos",
            "Jaunimo choras",
            "Būgnų studija",
            "Elektroninės muzikos kūrimas",
            "Vokalo studija",
        ],
        "sport": [
            "Krepšinio treniruotės",
            "Futbolo akademija",
            "Plaukimo pamokos",
            "Laipiojimo sienelė",
            "Dziudo būrelis",
        ],
        "digital": [
            "Programavimo pagrindai",
            "Žaidimų kūrimas su Unity",
            "Svetainių kūrimas",
            "Skaitmeninis saugumas",
            "3D modeliavimas",
        ],
        "science-technology": [
            "Jaunųjų mokslininkų klubas",
            "Chemijos eksperimentai",
            "Astronomijos būrelis",
            "Fizikos laboratorija",
            "Biologijos tyrėjai",
        ],
        "robotics": [
            "Robotikos būrelis",
            "LEGO robotų konstravimas",
            "Arduino dirbtuvės",
            "Dronų programavimas",
            "Robotų varžybų komanda",
        ],
        "nature": [
            "Jaunųjų gamtininkų klubas",
            "Paukščių stebėjimas",
            "Miesto daržininkystė",
            "Ekologijos dirbtuvės",
            "Orientavimosi sportas gamtoje",
        ],
        "languages": [
            "Anglų kalbos pokalbių klubas",
            "Vokiečių kalba jaunimui",
            "Ispanų kalbos kursai",
            "Lenkų kalbos pamokos",
            "Kalbų tandemas",
        ],
        "entrepreneurship": [
            "Jaunųjų verslininkų mokykla",
            "Mokinių mokomoji bendrovė",
            "Finansinis raštingumas",
            "Startuolių savaitgalis",
            "Socialinio verslo dirbtuvės",
        ],
        "volunteering": [
            "Savanorystė gyvūnų prieglaudoje",
            "Savanoriai bibliotekoje",
            "Pagalba senjorams",
            "Jaunimo savanoriška tarnyba",
            "Maisto banko akcija",
        ],
        "civic-participation": [
            "Jaunimo taryba",
            "Debatų klubas",
            "Mokinių parlamentas",
            "Idėjų dirbtuvės miestui",
            "Žmogaus teisių klubas",
        ],
        "media": [
            "Jaunųjų žurnalistų mokykla",
            "Podkastų studija",
            "Vaizdo kūrimo dirbtuvės",
            "Medijų raštingumas",
            "Mokyklos radijas",
        ],
        "crafts": [
            "Medžio drožybos dirbtuvės",
            "Siuvimo studija",
            "Juvelyrikos pradmenys",
            "Pynimo iš vytelių dirbtuvės",
            "Odos dirbiniai",
        ],
        "wellbeing": [
            "Joga jaunimui",
            "Emocinio intelekto dirbtuvės",
            "Sąmoningumo praktikos",
            "Sveikos mitybos kulinarija",
            "Pokalbių grupė paaugliams",
        ],
    },
    what={
        "arts": "Kūrybiški užsiėmimai, kuriuose išbandysi įvairias technikas ir surengsi savo darbų parodą.",
        "music": "Muzikavimas grupėje ir individualiai: nuo pirmų akordų iki koncerto scenoje.",
        "sport": "Treniruotės su patyrusiais treneriais, komandinis žaidimas ir draugiškos varžybos.",
        "digital": "Praktiniai užsiėmimai kompiuteriu: kursi, programuosi ir išmoksi saugiai elgtis internete.",
        "science-technology": "Eksperimentai, tyrimai ir atradimai laboratorijoje ir už jos ribų.",
        "robotics": "Konstruosime ir programuosime robotus, spręsime inžinerines užduotis komandoje.",
        "nature": "Pažintis su gamta mieste ir už jo: stebėjimai, žygiai ir praktiniai darbai.",
        "languages": "Kalbos mokymasis bendraujant, žaidžiant ir kalbantis apie tai, kas tau įdomu.",
        "entrepreneurship": "Nuo idėjos iki veikiančio projekto: komandinis darbas, finansai ir pristatymas.",
        "volunteering": "Prasminga veikla kartu su kitais jaunuoliais: įgysi patirties ir naujų draugų.",
        "civic-participation": "Diskusijos, debatai ir tikri sprendimai, kaip padaryti miestą geresnį jaunimui.",
        "media": "Kursime straipsnius, vaizdo įrašus ir podkastus, mokysimės kritiškai vertinti informaciją.",
        "crafts": "Rankų darbo dirbtuvės: išmoksi amato pagrindų ir pasigaminsi savo daiktų.",
        "wellbeing": "Saugi erdvė pailsėti, pažinti save ir išmokti rūpintis savo savijauta.",
    },
    levels=[
        ("pradedantiesiems", 10, 16),
        ("pažengusiems", 13, 19),
        ("paaugliams", 13, 18),
        ("vaikams", 7, 12),
        ("", 7, 25),
    ],
    description=(
        "<p>{what}</p><p>Užsiėmimus veda {provider} komanda: patyrę mokytojai ir jaunimo "
        "darbuotojai. Grupės nedidelės, todėl kiekvienas sulauks dėmesio.</p>"
        "<p>Susitinkame: {venue} ({nb}). Ką atsinešti: gerą nuotaiką ir patogius drabužius. "
        "Turi klausimų? Parašyk mums!</p>"
    ),
    price_note="už mėnesį",
    provider_about=(
        "<p>{name}: vieta, kur {nb} ir viso Vilniaus jaunimas mokosi, kuria ir leidžia "
        "laisvalaikį kartu.</p>"
    ),
    voucher=True,
    venue_patterns=["{provider}", "{provider}, {nb} skyrius", "{nb} bendruomenės namai"],
    second_languages=["en", "ru", "pl", "uk"],
)

SL = Language(
    code="sl",
    neighbourhoods=[
        Neighbourhood("Center", 46.0511, 14.5051),
        Neighbourhood("Bežigrad", 46.0700, 14.5100),
        Neighbourhood("Šiška", 46.0680, 14.4900),
        Neighbourhood("Moste", 46.0560, 14.5350),
        Neighbourhood("Vič", 46.0430, 14.4850),
        Neighbourhood("Rožna dolina", 46.0450, 14.4750),
        Neighbourhood("Trnovo", 46.0420, 14.5000),
        Neighbourhood("Fužine", 46.0520, 14.5630),
        Neighbourhood("Črnuče", 46.1000, 14.5400),
        Neighbourhood("Polje", 46.0600, 14.5950),
        Neighbourhood("Šentvid", 46.1000, 14.4700),
        Neighbourhood("Rudnik", 46.0250, 14.5200),
        Neighbourhood("Posavje", 46.0850, 14.5200),
        Neighbourhood("Jarše", 46.0700, 14.5500),
        Neighbourhood("Golovec", 46.0400, 14.5300),
    ],
    provider_patterns=[
        ("youth_centre", "Mladinski center {nb}"),
        ("library", "Knjižnica {nb}"),
        ("school", "Osnovna šola {nb}"),
        ("ngo", "Četrtna skupnost {nb}"),
        ("sports_club", "Športno društvo {word}"),
        ("ngo", "Društvo {word}"),
        ("ngo", "Zavod {word}"),
        ("makerspace", "Ustvarjalnica {word}"),
        ("makerspace", "Robotski klub {word}"),
        ("culture", "Plesna šola {word}"),
        ("culture", "Glasbena šola {word}"),
        ("company", "{word} izobraževanje d.o.o."),
    ],
    words=[
        "Sonce",
        "Zmaj",
        "Iskra",
        "Lipa",
        "Kresnička",
        "Most",
        "Korak",
        "Galeja",
        "Vihar",
        "Ritem",
        "Barva",
        "Zvezda",
        "Mavrica",
        "Planika",
        "Val",
        "Gnezdo",
        "Ideja",
        "Preplet",
    ],
    streets=[
        "Slovenska cesta",
        "Celovška cesta",
        "Dunajska cesta",
        "Zaloška cesta",
        "Tržaška cesta",
        "Trubarjeva cesta",
        "Vojkova cesta",
        "Litijska cesta",
        "Kardeljeva ploščad",
        "Rusjanov trg",
        "Kersnikova ulica",
    ],
    titles={
        "arts": [
            "Likovni atelje",
            "Slikarska delavnica",
            "Gledališka skupina",
            "Fotografski krožek",
            "Keramična delavnica",
        ],
        "music": [
            "Tečaj kitare",
            "Mladinski pevski zbor",
            "Bobnarska delavnica",
            "Ustvarjanje elektronske glasbe",
            "Pevski studio",
        ],
        "sport": [
            "Košarkarski treningi",
            "Nogometna šola",
            "Plavalni tečaj",
            "Plezalna stena",
            "Judo krožek",
        ],
        "digital": [
            "Osnove programiranja",
            "Izdelava iger v Unityju",
            "Izdelava spletnih strani",
            "Digitalna varnost",
            "3D modeliranje",
        ],
        "science-technology": [
            "Klub mladih raziskovalcev",
            "Kemijski poskusi",
            "Astronomski krožek",
            "Fizikalni laboratorij",
            "Mladi biologi",
        ],
        "robotics": [
            "Robotski krožek",
            "Gradnja robotov LEGO",
            "Delavnica Arduino",
            "Programiranje dronov",
            "Tekmovalna robotska ekipa",
        ],
        "nature": [
            "Klub mladih naravoslovcev",
            "Opazovanje ptic na Barju",
            "Urbano vrtnarjenje",
            "Čebelarski krožek",
            "Orientacijski pohodi",
        ],
        "languages": [
            "Angleški pogovorni klub",
            "Nemščina za mlade",
            "Tečaj španščine",
            "Italijanščina za mlade",
            "Jezikovni tandem",
        ],
        "entrepreneurship": [
            "Šola mladih podjetnikov",
            "Finančna pismenost",
            "Startup vikend",
            "Delavnica socialnega podjetništva",
            "Učno podjetje",
        ],
        "volunteering": [
            "Prostovoljstvo v zavetišču za živali",
            "Prostovoljci v knjižnici",
            "Pomoč starejšim",
            "Mladinsko prostovoljstvo",
            "Zbiranje hrane",
        ],
        "civic-participation": [
            "Mladinski svet",
            "Debatni klub",
            "Otroški parlament",
            "Delavnica idej za mesto",
            "Klub človekovih pravic",
        ],
        "media": [
            "Šola mladih novinarjev",
            "Podkast studio",
            "Video delavnica",
            "Medijska pismenost",
            "Šolski radio",
        ],
        "crafts": [
            "Rezbarska delavnica",
            "Šiviljski studio",
            "Izdelava nakita",
            "Pletarska delavnica",
            "Usnjarska delavnica",
        ],
        "wellbeing": [
            "Joga za mlade",
            "Delavnica čustvene inteligence",
            "Čuječnost za najstnike",
            "Kuharska delavnica zdrave prehrane",
            "Pogovorna skupina za najstnike",
        ],
    },
    what={
        "arts": "Ustvarjalne delavnice, na katerih preizkusiš različne tehnike in pripraviš svojo razstavo.",
        "music": "Igranje v skupini in individualno: od prvih akordov do koncerta na odru.",
        "sport": "Treningi z izkušenimi trenerji, igra v ekipi in prijateljske tekme.",
        "digital": "Praktično delo z računalnikom: ustvarjaš, programiraš in se učiš varne rabe interneta.",
        "science-technology": "Poskusi, raziskovanje in odkritja v laboratoriju in zunaj njega.",
        "robotics": "Sestavljamo in programiramo robote ter v ekipi rešujemo inženirske izzive.",
        "nature": "Spoznavanje narave v mestu in okolici: opazovanja, pohodi in praktično delo.",
        "languages": "Učenje jezika s pogovorom, igrami in temami, ki te zanimajo.",
        "entrepreneurship": "Od ideje do delujočega projekta: timsko delo, finance in predstavitev.",
        "volunteering": "Smiselno delo skupaj z drugimi mladimi: nove izkušnje in novi prijatelji.",
        "civic-participation": "Razprave, debate in prave odločitve o tem, kako narediti mesto boljše za mlade.",
        "media": "Pišemo članke, snemamo videe in podkaste ter se učimo kritično presojati informacije.",
        "crafts": "Ročne delavnice: spoznaš osnove obrti in izdelaš svoje izdelke.",
        "wellbeing": "Varen prostor za počitek, spoznavanje sebe in skrb za dobro počutje.",
    },
    levels=[
        ("za začetnike", 10, 16),
        ("za nadaljevalce", 13, 19),
        ("za najstnike", 13, 18),
        ("za otroke", 7, 12),
        ("", 7, 25),
    ],
    description=(
        "<p>{what}</p><p>Delavnice vodi ekipa {provider}: izkušeni mentorji in mladinski "
        "delavci. Skupine so majhne, zato je vsak deležen pozornosti.</p>"
        "<p>Dobimo se: {venue} ({nb}). S seboj prinesi dobro voljo in udobna oblačila. "
        "Imaš vprašanja? Piši nam!</p>"
    ),
    price_note="na mesec",
    provider_about=(
        "<p>{name}: prostor, kjer se mladi iz četrti {nb} in vse Ljubljane učijo, "
        "ustvarjajo in družijo.</p>"
    ),
    venue_patterns=["{provider}", "{provider}, enota {nb}", "Dom krajevne skupnosti {nb}"],
    second_languages=["en", "it", "de"],
)

IT = Language(
    code="it",
    neighbourhoods=[
        Neighbourhood("Castello", 39.2190, 9.1160),
        Neighbourhood("Marina", 39.2150, 9.1120),
        Neighbourhood("Stampace", 39.2170, 9.1080),
        Neighbourhood("Villanova", 39.2180, 9.1210),
        Neighbourhood("Sant'Avendrace", 39.2290, 9.1000),
        Neighbourhood("San Benedetto", 39.2260, 9.1230),
        Neighbourhood("Is Mirrionis", 39.2330, 9.1060),
        Neighbourhood("Pirri", 39.2500, 9.1350),
        Neighbourhood("Bonaria", 39.2100, 9.1250),
        Neighbourhood("Poetto", 39.2150, 9.1650),
        Neighbourhood("Genneruxi", 39.2320, 9.1310),
        Neighbourhood("La Vega", 39.2350, 9.1200),
        Neighbourhood("Sant'Elia", 39.2030, 9.1390),
        Neighbourhood("Monte Urpinu", 39.2230, 9.1350),
        Neighbourhood("San Michele", 39.2380, 9.1030),
    ],
    provider_patterns=[
        ("youth_centre", "Centro di aggregazione giovanile {nb}"),
        ("library", "Biblioteca di quartiere {nb}"),
        ("school", "Istituto comprensivo {nb}"),
        ("ngo", "Oratorio di {nb}"),
        ("sports_club", "ASD {word}"),
        ("ngo", "Associazione {word}"),
        ("ngo", "Cooperativa sociale {word}"),
        ("makerspace", "FabLab {word}"),
        ("makerspace", "Laboratorio {word}"),
        ("culture", "Scuola di danza {word}"),
        ("culture", "Scuola di musica {word}"),
        ("company", "{word} Formazione srl"),
    ],
    words=[
        "Maestrale",
        "Nuraghe",
        "Sole",
        "Mare",
        "Faro",
        "Orizzonte",
        "Ponte",
        "Libeccio",
        "Gabbiano",
        "Corallo",
        "Fenicottero",
        "Quarzo",
        "Tramontana",
        "Scoglio",
        "Vela",
        "Onda",
        "Ginepro",
        "Mirto",
    ],
    streets=[
        "Via Roma",
        "Largo Carlo Felice",
        "Via Dante",
        "Via Is Mirrionis",
        "Viale Poetto",
        "Via San Benedetto",
        "Via Sonnino",
        "Viale Trieste",
        "Via Garibaldi",
        "Via della Pineta",
        "Piazza Yenne",
    ],
    titles={
        "arts": [
            "Laboratorio di pittura",
            "Atelier d'arte",
            "Laboratorio teatrale",
            "Corso di fotografia",
            "Laboratorio di ceramica",
        ],
        "music": [
            "Corso di chitarra",
            "Coro giovanile",
            "Laboratorio di percussioni",
            "Musica elettronica",
            "Studio di canto",
        ],
        "sport": [
            "Allenamenti di basket",
            "Scuola calcio",
            "Corso di vela al Poetto",
            "Arrampicata sportiva",
            "Corso di judo",
        ],
        "digital": [
            "Introduzione alla programmazione",
            "Creare videogiochi con Unity",
            "Creare siti web",
            "Sicurezza digitale",
            "Modellazione 3D",
        ],
        "science-technology": [
            "Club dei giovani scienziati",
            "Esperimenti di chimica",
            "Astronomia per ragazzi",
            "Laboratorio di fisica",
            "Giovani biologi",
        ],
        "robotics": [
            "Corso di robotica",
            "Costruire robot LEGO",
            "Laboratorio Arduino",
            "Programmare i droni",
            "Squadra di robotica",
        ],
        "nature": [
            "Club dei giovani naturalisti",
            "Birdwatching al Molentargius",
            "Orto urbano",
            "Laboratorio di ecologia",
            "Escursioni e orienteering",
        ],
        "languages": [
            "Club di conversazione in inglese",
            "Tedesco per ragazzi",
            "Corso di spagnolo",
            "Sardo per giovani",
            "Tandem linguistico",
        ],
        "entrepreneurship": [
            "Scuola di giovani imprenditori",
            "Educazione finanziaria",
            "Startup weekend",
            "Laboratorio di impresa sociale",
            "Impresa simulata",
        ],
        "volunteering": [
            "Volontariato al canile",
            "Volontari in biblioteca",
            "Aiuto agli anziani",
            "Volontariato giovanile",
            "Raccolta alimentare",
        ],
        "civic-participation": [
            "Consulta giovani",
            "Club di dibattito",
            "Consiglio comunale dei ragazzi",
            "Laboratorio di idee per la città",
            "Club dei diritti umani",
        ],
        "media": [
            "Scuola di giornalismo",
            "Studio podcast",
            "Laboratorio video",
            "Educazione ai media",
            "Web radio giovani",
        ],
        "crafts": [
            "Laboratorio di intaglio del legno",
            "Corso di cucito",
            "Creazione di gioielli",
            "Intreccio dei cestini sardi",
            "Lavorazione del cuoio",
        ],
        "wellbeing": [
            "Yoga per ragazzi",
            "Laboratorio di intelligenza emotiva",
            "Mindfulness per adolescenti",
            "Cucina sana",
            "Gruppo di parola per adolescenti",
        ],
    },
    what={
        "arts": "Laboratori creativi in cui provi tecniche diverse e prepari una mostra dei tuoi lavori.",
        "music": "Suonare in gruppo e da soli: dai primi accordi al concerto sul palco.",
        "sport": "Allenamenti con istruttori esperti, gioco di squadra e partite amichevoli.",
        "digital": "Attività pratiche al computer: crei, programmi e impari a usare internet in sicurezza.",
        "science-technology": "Esperimenti, ricerche e scoperte in laboratorio e fuori.",
        "robotics": "Costruiamo e programmiamo robot e risolviamo sfide di ingegneria in squadra.",
        "nature": "Alla scoperta della natura in città e dintorni: osservazioni, escursioni e lavoro pratico.",
        "languages": "Imparare una lingua parlando, giocando e discutendo di ciò che ti interessa.",
        "entrepreneurship": "Dall'idea al progetto che funziona: lavoro di squadra, finanze e presentazione.",
        "volunteering": "Un'attività che conta, insieme ad altri ragazzi: nuove esperienze e nuovi amici.",
        "civic-participation": "Discussioni, dibattiti e decisioni vere per rendere la città migliore per i giovani.",
        "media": "Scriviamo articoli, giriamo video e podcast e impariamo a valutare le informazioni.",
        "crafts": "Laboratori manuali: impari le basi di un mestiere e realizzi i tuoi oggetti.",
        "wellbeing": "Uno spazio sicuro per rilassarti, conoscerti meglio e prenderti cura di te.",
    },
    levels=[
        ("per principianti", 10, 16),
        ("avanzato", 13, 19),
        ("per adolescenti", 13, 18),
        ("per bambini", 7, 12),
        ("", 7, 25),
    ],
    description=(
        "<p>{what}</p><p>Le attività sono guidate dal team di {provider}: educatori ed esperti "
        "con anni di esperienza. I gruppi sono piccoli, così ognuno riceve attenzione.</p>"
        "<p>Ci troviamo: {venue} ({nb}). Porta il buon umore e abiti comodi. "
        "Hai domande? Scrivici!</p>"
    ),
    price_note="al mese",
    provider_about=(
        "<p>{name}: uno spazio dove i ragazzi di {nb} e di tutta Cagliari imparano, "
        "creano e stanno insieme.</p>"
    ),
    venue_patterns=["{provider}", "{provider}, sede di {nb}", "Centro civico {nb}"],
    second_languages=["en", "es", "fr"],
)

FI = Language(
    code="fi",
    neighbourhoods=[
        Neighbourhood("Keskusta", 61.6886, 27.2723),
        Neighbourhood("Rokkala", 61.6960, 27.2900),
        Neighbourhood("Tuppurala", 61.6750, 27.2400),
        Neighbourhood("Lähemäki", 61.6800, 27.2900),
        Neighbourhood("Kattilansilta", 61.6700, 27.2800),
        Neighbourhood("Peitsari", 61.6950, 27.2500),
        Neighbourhood("Urpola", 61.6820, 27.2500),
        Neighbourhood("Moisio", 61.7050, 27.2300),
        Neighbourhood("Otava", 61.6460, 27.0650),
        Neighbourhood("Ristiina", 61.5050, 27.2550),
        Neighbourhood("Launiala", 61.7000, 27.2650),
        Neighbourhood("Kalevankangas", 61.6950, 27.2950),
        Neighbourhood("Nuijamies", 61.7150, 27.2950),
        Neighbourhood("Pursiala", 61.6740, 27.3000),
        Neighbourhood("Hanhikivi", 61.6900, 27.2600),
    ],
    provider_patterns=[
        ("youth_centre", "Nuorisotila {nb}"),
        ("library", "Kirjasto {nb}"),
        ("school", "Koulu {nb}"),
        ("ngo", "Asukasyhdistys {nb}"),
        ("sports_club", "Urheiluseura {word}"),
        ("ngo", "{word} ry"),
        ("ngo", "Partiolippukunta {word}"),
        ("makerspace", "Pajakeskus {word}"),
        ("makerspace", "Robottikerho {word}"),
        ("culture", "Tanssikoulu {word}"),
        ("culture", "Musiikkiopisto {word}"),
        ("company", "{word} Oy"),
    ],
    words=[
        "Kotka",
        "Ilves",
        "Karhu",
        "Tähti",
        "Revontuli",
        "Saimaa",
        "Kuusi",
        "Koivu",
        "Joutsen",
        "Kipinä",
        "Aalto",
        "Sisu",
        "Pilke",
        "Tuike",
        "Virta",
        "Lumi",
        "Helmi",
    ],
    streets=[
        "Maaherrankatu",
        "Porrassalmenkatu",
        "Hallituskatu",
        "Savilahdenkatu",
        "Otavankatu",
        "Raatihuoneenkatu",
        "Sammonkatu",
        "Ristimäenkatu",
        "Rokkalantie",
        "Urheilupuistontie",
    ],
    titles={
        "arts": [
            "Kuvataidekerho",
            "Maalauspaja",
            "Teatterikerho",
            "Valokuvauskerho",
            "Keramiikkapaja",
        ],
        "music": [
            "Kitaratunnit",
            "Nuorisokuoro",
            "Rumpupaja",
            "Elektronisen musiikin tekeminen",
            "Laulustudio",
        ],
        "sport": [
            "Koripalloharjoitukset",
            "Jalkapallokoulu",
            "Uimakoulu",
            "Kiipeilykerho",
            "Judokerho",
        ],
        "digital": [
            "Ohjelmoinnin alkeet",
            "Pelinteko Unityllä",
            "Verkkosivujen tekeminen",
            "Digiturvallisuus",
            "3D-mallinnus",
        ],
        "science-technology": [
            "Nuorten tiedekerho",
            "Kemian kokeet",
            "Tähtitieteen kerho",
            "Fysiikan laboratorio",
            "Nuoret biologit",
        ],
        "robotics": [
            "Robotiikkakerho",
            "LEGO-robottien rakentaminen",
            "Arduino-paja",
            "Droonien ohjelmointi",
            "Robotiikan kilpajoukkue",
        ],
        "nature": [
            "Nuorten luontokerho",
            "Lintuharrastus Saimaalla",
            "Kaupunkiviljely",
            "Ympäristöpaja",
            "Suunnistus ja retkeily",
        ],
        "languages": [
            "Englannin keskustelukerho",
            "Saksaa nuorille",
            "Espanjan kurssi",
            "Ruotsin keskustelukerho",
            "Kielitandem",
        ],
        "entrepreneurship": [
            "Nuorten yrittäjyyskoulu",
            "Talousosaaminen",
            "Startup-viikonloppu",
            "Yhteiskunnallisen yrityksen paja",
            "Harjoitusyritys",
        ],
        "volunteering": [
            "Vapaaehtoisena eläinsuojassa",
            "Vapaaehtoiset kirjastossa",
            "Ikäihmisten apuna",
            "Nuorten vapaaehtoistoiminta",
            "Ruoka-apu",
        ],
        "civic-participation": [
            "Nuorisovaltuusto",
            "Väittelykerho",
            "Lasten parlamentti",
            "Ideapaja kaupungille",
            "Ihmisoikeuskerho",
        ],
        "media": [
            "Nuorten toimittajakoulu",
            "Podcast-studio",
            "Videopaja",
            "Medialukutaito",
            "Koulun radio",
        ],
        "crafts": ["Puutyöpaja", "Ompelustudio", "Korupaja", "Pajunpunonta", "Nahkatyöpaja"],
        "wellbeing": [
            "Joogaa nuorille",
            "Tunnetaitopaja",
            "Mindfulness nuorille",
            "Terveellisen ruoan kokkikerho",
            "Nuorten keskusteluryhmä",
        ],
    },
    what={
        "arts": "Luovia tuokioita, joissa kokeilet eri tekniikoita ja kokoat omien töidesi näyttelyn.",
        "music": "Soittamista yhdessä ja yksin: ensimmäisistä soinnuista konserttilavalle.",
        "sport": "Harjoituksia kokeneiden valmentajien kanssa, joukkuepelejä ja ystävyysotteluita.",
        "digital": "Käytännön tekemistä tietokoneella: luot, ohjelmoit ja opit toimimaan turvallisesti verkossa.",
        "science-technology": "Kokeita, tutkimista ja löytöjä laboratoriossa ja sen ulkopuolella.",
        "robotics": "Rakennamme ja ohjelmoimme robotteja ja ratkomme insinööritehtäviä yhdessä.",
        "nature": "Tutustumista luontoon kaupungissa ja sen ympärillä: havainnointia, retkiä ja käytännön työtä.",
        "languages": "Kielen oppimista puhumalla, pelaamalla ja keskustelemalla sinua kiinnostavista aiheista.",
        "entrepreneurship": "Ideasta toimivaksi projektiksi: tiimityötä, taloutta ja esiintymistä.",
        "volunteering": "Merkityksellistä tekemistä yhdessä muiden nuorten kanssa: kokemuksia ja uusia ystäviä.",
        "civic-participation": "Keskusteluja, väittelyjä ja oikeita päätöksiä siitä, miten kaupungista tehdään parempi nuorille.",
        "media": "Kirjoitamme juttuja, teemme videoita ja podcasteja ja opimme arvioimaan tietoa kriittisesti.",
        "crafts": "Käsityöpajoja: opit käsityön perusteet ja teet omia esineitä.",
        "wellbeing": "Turvallinen paikka levätä, tutustua itseensä ja oppia huolehtimaan omasta hyvinvoinnista.",
    },
    levels=[
        ("aloittelijoille", 10, 16),
        ("jatkajille", 13, 19),
        ("nuorille", 13, 18),
        ("lapsille", 7, 12),
        ("", 7, 25),
    ],
    description=(
        "<p>{what}</p><p>Toimintaa ohjaa {provider}: kokeneet ohjaajat ja nuorisotyöntekijät. "
        "Ryhmät ovat pieniä, joten jokainen saa huomiota.</p>"
        "<p>Tapaamme: {venue} ({nb}). Ota mukaan hyvä mieli ja mukavat vaatteet. "
        "Kysyttävää? Kirjoita meille!</p>"
    ),
    price_note="kuukaudessa",
    provider_about=(
        "<p>{name}: paikka, jossa nuoret alueelta {nb} ja koko Mikkelistä oppivat, "
        "luovat ja viettävät aikaa yhdessä.</p>"
    ),
    venue_patterns=["{provider}", "{provider}, {nb}", "Asukastila {nb}"],
    second_languages=["en", "sv", "ru"],
)

LANGUAGES = {language.code: language for language in (LT, SL, IT, FI)}


def content_for(code: str) -> Language:
    """The demo words for a language (Lithuanian's for languages without their own)."""
    return LANGUAGES.get(code, LT)
