"""Realistic Ukrainian demo data; loading it twice changes nothing."""

from datetime import date

import sqlalchemy as sa

from app.auth import operations as auth_ops
from app.auth.models import User
from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.visits.models import Visit
from app.extensions import db

#: (e-mail, name, role, password, phone) — printed by `make run`; never use on a real server.
USERS = [
    ("admin@vidhuk.local", "Оксана Адміненко", "admin", "admin-demo-2026", "+380 44 299 74 01"),
    ("lawyer@vidhuk.local", "Марія Юрченко", "lawyer", "lawyer-demo-2026", "+380 44 299 74 17"),
    ("lawyer2@vidhuk.local", "Андрій Правник", "lawyer", "lawyer2-demo-2026", "+380 44 299 74 18"),
    (
        "monitor@vidhuk.local",
        "Іван Моніторенко",
        "monitor",
        "monitor-demo-2026",
        "+380 67 123 45 67",
    ),
    (
        "monitor2@vidhuk.local",
        "Олена Спостерігач",
        "monitor",
        "monitor2-demo-2026",
        "+380 50 765 43 21",
    ),
]

# key, name, kind, e-mail, head title (dative), head name (dative), parent key
AUTHORITIES = [
    (
        "minjust",
        "Міністерство юстиції України",
        "ministry",
        "themis@minjust.gov.ua",
        "Міністрові юстиції України",
        "Олександрові КОВАЛЕНКУ",
        None,
    ),
    (
        "dkvs",
        "Державна кримінально-виконавча служба України",
        "agency",
        "info@kvs.gov.ua",
        "Голові Державної кримінально-виконавчої служби України",
        "Петрові БОНДАРУ",
        "minjust",
    ),
    (
        "mru_centre",
        "Центрально-Західне міжрегіональне управління з питань виконання кримінальних покарань",
        "regional_body",
        "czmru@kvs.gov.ua",
        "Начальникові управління",
        "Сергієві МЕЛЬНИКУ",
        "dkvs",
    ),
    (
        "mru_south",
        "Південне міжрегіональне управління з питань виконання кримінальних покарань",
        "regional_body",
        "pmru@kvs.gov.ua",
        "Начальникові управління",
        "Вікторові ШЕВЧУКУ",
        "dkvs",
    ),
    (
        "mru_east",
        "Північно-Східне міжрегіональне управління з питань виконання кримінальних покарань",
        "regional_body",
        "psmru@kvs.gov.ua",
        "Начальниці управління",
        "Ірині ТКАЧЕНКО",
        "dkvs",
    ),
    (
        "mvs",
        "Міністерство внутрішніх справ України",
        "ministry",
        "info@mvs.gov.ua",
        "Міністрові внутрішніх справ України",
        "Ігорю ЛИСЕНКУ",
        None,
    ),
    (
        "npu",
        "Національна поліція України",
        "agency",
        "info@police.gov.ua",
        "Голові Національної поліції України",
        "Іванові КРАВЧУКУ",
        "mvs",
    ),
    (
        "gunp_kyiv_obl",
        "Головне управління Національної поліції в Київській області",
        "regional_body",
        "kyivobl@police.gov.ua",
        "Начальникові ГУНП в Київській області",
        "Миколі ЖУКУ",
        "npu",
    ),
    (
        "gunp_lviv",
        "Головне управління Національної поліції у Львівській області",
        "regional_body",
        "lviv@police.gov.ua",
        "Начальникові ГУНП у Львівській області",
        "Олегові ПАВЛЕНКУ",
        "npu",
    ),
    (
        "gunp_odesa",
        "Головне управління Національної поліції в Одеській області",
        "regional_body",
        "odesa@police.gov.ua",
        "Начальникові ГУНП в Одеській області",
        "Артемові САВЧЕНКУ",
        "npu",
    ),
    (
        "gunp_kharkiv",
        "Головне управління Національної поліції в Харківській області",
        "regional_body",
        "kharkiv@police.gov.ua",
        "Начальникові ГУНП в Харківській області",
        "Володимирові РУДЕНКУ",
        "npu",
    ),
    (
        "dms",
        "Державна міграційна служба України",
        "agency",
        "info@dmsu.gov.ua",
        "Голові Державної міграційної служби України",
        "Наталії НАУМЕНКО",
        "mvs",
    ),
    (
        "dpsu",
        "Державна прикордонна служба України",
        "agency",
        "dpsu@dpsu.gov.ua",
        "Голові Державної прикордонної служби України",
        "Сергієві ГОНЧАРУ",
        "mvs",
    ),
    (
        "moz",
        "Міністерство охорони здоров'я України",
        "ministry",
        "moz@moz.gov.ua",
        "Міністрові охорони здоров'я України",
        "Вікторові ПОЛІЩУКУ",
        None,
    ),
    (
        "minsoc",
        "Міністерство соціальної політики України",
        "ministry",
        "info@mspu.gov.ua",
        "Міністрові соціальної політики України",
        "Оксані ЛЕВЧЕНКО",
        None,
    ),
    (
        "mod",
        "Міністерство оборони України",
        "ministry",
        "info@mil.gov.ua",
        "Міністрові оборони України",
        "Денисові МАРЧЕНКУ",
        None,
    ),
    (
        "mon",
        "Міністерство освіти і науки України",
        "ministry",
        "mon@mon.gov.ua",
        "Міністрові освіти і науки України",
        "Остапові ЛИТВИНЕНКУ",
        None,
    ),
    (
        "kyiv_council",
        "Київська обласна рада",
        "local_council",
        "rada@kor.gov.ua",
        "Голові Київської обласної ради",
        "Миколі КОЗАКУ",
        None,
    ),
    (
        "lviv_council",
        "Львівська обласна рада",
        "local_council",
        "rada@lvivrada.gov.ua",
        "Голові Львівської обласної ради",
        "Іванові ГРИЦАЮ",
        None,
    ),
    (
        "kharkiv_council",
        "Харківська обласна рада",
        "local_council",
        "info@oblrada.kharkov.ua",
        "Голові Харківської обласної ради",
        "Тетяні ОЛІЙНИК",
        None,
    ),
    (
        "odesa_council",
        "Одеська обласна рада",
        "local_council",
        "rada@oblrada.odessa.gov.ua",
        "Голові Одеської обласної ради",
        "Григорію ДІДЕНКУ",
        None,
    ),
]

# name, type, region, address, capacity, supervising authority key
FACILITIES = [
    (
        "ДУ «Бучанська виправна колонія (№ 85)»",
        "prison_colony",
        "UA-32",
        "Київська обл., Бучанський р-н, с. Бабинці",
        850,
        "mru_centre",
    ),
    (
        "ДУ «Білоцерківська виправна колонія (№ 35)»",
        "prison_colony",
        "UA-32",
        "м. Біла Церква, вул. Гайок, 1",
        1000,
        "mru_centre",
    ),
    (
        "ДУ «Київський слідчий ізолятор»",
        "sizo",
        "UA-30",
        "м. Київ, вул. Дегтярівська, 13",
        2850,
        "mru_centre",
    ),
    (
        "ДУ «Житомирська установа виконання покарань (№ 8)»",
        "prison_colony",
        "UA-18",
        "м. Житомир, вул. Покровська, 1",
        1200,
        "mru_centre",
    ),
    (
        "ДУ «Львівська установа виконання покарань (№ 19)»",
        "sizo",
        "UA-46",
        "м. Львів, вул. Городоцька, 156",
        1400,
        "mru_centre",
    ),
    (
        "ДУ «Дрогобицька виправна колонія (№ 40)»",
        "prison_colony",
        "UA-46",
        "м. Дрогобич, вул. Шептицького, 2",
        900,
        "mru_centre",
    ),
    (
        "ДУ «Одеський слідчий ізолятор»",
        "sizo",
        "UA-51",
        "м. Одеса, вул. Люстдорфська дорога, 11",
        2500,
        "mru_south",
    ),
    (
        "ДУ «Південна виправна колонія (№ 51)»",
        "prison_colony",
        "UA-51",
        "м. Одеса, вул. Ізмаїльська, 3",
        1100,
        "mru_south",
    ),
    (
        "ДУ «Миколаївський слідчий ізолятор»",
        "sizo",
        "UA-48",
        "м. Миколаїв, вул. Декабристів, 3",
        1300,
        "mru_south",
    ),
    (
        "ДУ «Харківський слідчий ізолятор»",
        "sizo",
        "UA-63",
        "м. Харків, вул. Полтавський шлях, 99",
        3000,
        "mru_east",
    ),
    (
        "ДУ «Полтавська установа виконання покарань (№ 23)»",
        "sizo",
        "UA-53",
        "м. Полтава, вул. Фалеєвська, 1",
        900,
        "mru_east",
    ),
    (
        "ДУ «Кременчуцька виховна колонія»",
        "juvenile_colony",
        "UA-53",
        "м. Кременчук, вул. Ярмаркова, 3",
        250,
        "mru_east",
    ),
    (
        "ДУ «Сумський слідчий ізолятор»",
        "sizo",
        "UA-59",
        "м. Суми, вул. Засумська, 2",
        700,
        "mru_east",
    ),
    (
        "ІТТ ГУНП в Київській області (м. Біла Церква)",
        "itt_police",
        "UA-32",
        "м. Біла Церква, вул. Ярослава Мудрого, 2",
        40,
        "gunp_kyiv_obl",
    ),
    (
        "ІТТ ГУНП в Київській області (м. Бровари)",
        "itt_police",
        "UA-32",
        "м. Бровари, вул. Київська, 5",
        30,
        "gunp_kyiv_obl",
    ),
    (
        "Кімнати для затриманих Обухівського РУП",
        "police_custody",
        "UA-32",
        "м. Обухів, вул. Київська, 18",
        6,
        "gunp_kyiv_obl",
    ),
    (
        "ІТТ ГУНП у Львівській області",
        "itt_police",
        "UA-46",
        "м. Львів, вул. Личаківська, 58",
        60,
        "gunp_lviv",
    ),
    (
        "Кімнати для затриманих Стрийського РУП",
        "police_custody",
        "UA-46",
        "м. Стрий, вул. Шевченка, 40",
        5,
        "gunp_lviv",
    ),
    (
        "ІТТ ГУНП в Одеській області",
        "itt_police",
        "UA-51",
        "м. Одеса, вул. Єврейська, 12",
        80,
        "gunp_odesa",
    ),
    (
        "Кімнати для затриманих Ізмаїльського РУП",
        "police_custody",
        "UA-51",
        "м. Ізмаїл, просп. Суворова, 21",
        6,
        "gunp_odesa",
    ),
    (
        "ІТТ ГУНП в Харківській області",
        "itt_police",
        "UA-63",
        "м. Харків, вул. Жон Мироносиць, 5",
        70,
        "gunp_kharkiv",
    ),
    (
        "Кімнати для затриманих Чугуївського РУП",
        "police_custody",
        "UA-63",
        "м. Чугуїв, вул. Харківська, 9",
        4,
        "gunp_kharkiv",
    ),
    (
        "Волинський пункт тимчасового перебування іноземців",
        "migrant_centre",
        "UA-07",
        "Волинська обл., с. Журавичі",
        163,
        "dms",
    ),
    (
        "Чернігівський пункт тимчасового перебування іноземців",
        "migrant_centre",
        "UA-74",
        "Чернігівська обл., с. Розсудів",
        208,
        "dms",
    ),
    (
        "Пункт тимчасового тримання Львівського прикордонного загону",
        "border_guard",
        "UA-46",
        "м. Мостиська, вул. Грушевського, 1",
        20,
        "dpsu",
    ),
    (
        "Пункт тимчасового тримання Ізмаїльського прикордонного загону",
        "border_guard",
        "UA-51",
        "м. Ізмаїл, вул. Нахімова, 4",
        15,
        "dpsu",
    ),
    (
        "Гауптвахта Київського гарнізону",
        "military",
        "UA-30",
        "м. Київ, вул. Повітрофлотська, 6",
        40,
        "mod",
    ),
    (
        "Гауптвахта Львівського гарнізону",
        "military",
        "UA-46",
        "м. Львів, вул. Личаківська, 128",
        25,
        "mod",
    ),
    (
        "КНП КОР «Обласна психіатрично-наркологічна медична лікарня»",
        "psychiatric_hospital",
        "UA-32",
        "Київська обл., смт Глеваха, вул. Вокзальна, 8",
        600,
        "kyiv_council",
    ),
    (
        "КНП ЛОР «Львівський обласний клінічний психоневрологічний лікувально-діагностичний центр»",
        "psychiatric_hospital",
        "UA-46",
        "м. Львів, вул. Кульпарківська, 95",
        1400,
        "lviv_council",
    ),
    (
        "КНП ХОР «Обласна клінічна психіатрична лікарня № 3»",
        "psychiatric_hospital",
        "UA-63",
        "м. Харків, вул. Академіка Павлова, 46",
        1500,
        "kharkiv_council",
    ),
    (
        "КНП «Одеський обласний медичний центр психічного здоров'я»",
        "psychiatric_hospital",
        "UA-51",
        "м. Одеса, вул. Свердлова, 9",
        1200,
        "odesa_council",
    ),
    (
        "Бородянський психоневрологічний інтернат",
        "social_care_home",
        "UA-32",
        "Київська обл., смт Бородянка, вул. Лісова, 2",
        350,
        "kyiv_council",
    ),
    (
        "Ворзельський психоневрологічний інтернат",
        "social_care_home",
        "UA-32",
        "Київська обл., смт Ворзель, вул. Курортна, 28",
        400,
        "kyiv_council",
    ),
    (
        "Стрийський психоневрологічний інтернат",
        "social_care_home",
        "UA-46",
        "м. Стрий, вул. Болехівська, 52",
        280,
        "lviv_council",
    ),
    (
        "Слобожанський будинок-інтернат для громадян похилого віку",
        "social_care_home",
        "UA-63",
        "Харківська обл., смт Слобожанське",
        180,
        "kharkiv_council",
    ),
    (
        "Білгород-Дністровський психоневрологічний інтернат",
        "social_care_home",
        "UA-51",
        "м. Білгород-Дністровський, вул. Кишинівська, 40",
        300,
        "odesa_council",
    ),
    (
        "Фастівський дитячий будинок-інтернат",
        "children_institution",
        "UA-32",
        "м. Фастів, вул. Гагаріна, 20",
        120,
        "kyiv_council",
    ),
    (
        "Жовківський навчально-реабілітаційний центр",
        "children_institution",
        "UA-46",
        "м. Жовква, вул. Львівська, 57",
        150,
        "mon",
    ),
    (
        "Прилуцька виховна колонія (закрита)",
        "juvenile_colony",
        "UA-74",
        "м. Прилуки, вул. Садова, 1",
        0,
        "mru_east",
    ),
]

# facility index, start, end, kind, monitor e-mails, outside participants, summary
VISITS = [
    (
        0,
        date(2025, 3, 11),
        date(2025, 3, 12),
        "planned",
        ["monitor@vidhuk.local"],
        "д-р Петро Лікаренко (медичний експерт)",
        "Переповненість секторів максимального рівня безпеки; недостатнє медичне забезпечення.",
    ),
    (
        2,
        date(2025, 4, 2),
        date(2025, 4, 3),
        "planned",
        ["monitor@vidhuk.local", "monitor2@vidhuk.local"],
        "",
        "Умови тримання в камерах першого корпусу; укриття не відповідає вимогам.",
    ),
    (
        13,
        date(2025, 5, 20),
        date(2025, 5, 20),
        "ad_hoc",
        ["monitor2@vidhuk.local"],
        "",
        "Не ведеться журнал затриманих; відсутній доступ до адвоката в перші години.",
    ),
    (
        28,
        date(2025, 6, 17),
        date(2025, 6, 19),
        "planned",
        ["monitor@vidhuk.local"],
        "Ганна Психолог (психіатриня)",
        "Незаконна фіксація пацієнтів; відсутність інформованої згоди.",
    ),
    (
        32,
        date(2025, 7, 8),
        date(2025, 7, 9),
        "thematic",
        ["monitor2@vidhuk.local"],
        "",
        "Тематичний візит: доступ до правосуддя мешканців ПНІ.",
    ),
    (
        6,
        date(2025, 8, 26),
        date(2025, 8, 27),
        "planned",
        ["monitor@vidhuk.local"],
        "",
        "Відсутність гарячої води, антисанітарія у харчоблоці.",
    ),
    (
        22,
        date(2025, 9, 15),
        date(2025, 9, 15),
        "planned",
        ["monitor2@vidhuk.local"],
        "Перекладачка Олена Мова",
        "Іноземці не поінформовані про права мовою, яку розуміють.",
    ),
    (
        9,
        date(2025, 10, 7),
        date(2025, 10, 8),
        "planned",
        ["monitor@vidhuk.local", "monitor2@vidhuk.local"],
        "",
        "Укриття на час повітряної тривоги не облаштоване.",
    ),
    (
        37,
        date(2025, 11, 4),
        date(2025, 11, 4),
        "thematic",
        ["monitor2@vidhuk.local"],
        "",
        "Тематичний візит щодо дітей з інвалідністю.",
    ),
    (
        0,
        date(2026, 2, 10),
        date(2026, 2, 11),
        "follow_up",
        ["monitor@vidhuk.local"],
        "",
        "Повторний візит: перевірка виконання рекомендацій 2025 року.",
    ),
    (
        16,
        date(2026, 3, 3),
        date(2026, 3, 3),
        "ad_hoc",
        ["monitor@vidhuk.local"],
        "",
        "Скарги на застосування сили під час затримання.",
    ),
    (
        29,
        date(2026, 4, 14),
        date(2026, 4, 15),
        "planned",
        ["monitor2@vidhuk.local"],
        "",
        "Умови перебування пацієнтів у відділеннях примусового лікування.",
    ),
    (
        26,
        date(2026, 5, 19),
        date(2026, 5, 19),
        "remote",
        ["monitor@vidhuk.local"],
        "",
        "Дистанційний моніторинг за документами гауптвахти.",
    ),
    (
        2,
        date(2026, 9, 22),
        date(2026, 9, 23),
        "follow_up",
        ["monitor@vidhuk.local", "monitor2@vidhuk.local"],
        "",
        "Повторний візит: укриття та умови тримання.",
    ),
    (
        33,
        date(2026, 10, 13),
        date(2026, 10, 14),
        "planned",
        ["monitor2@vidhuk.local"],
        "",
        "Харчування, догляд і доступ до прогулянок.",
    ),
]


def load_demo():
    """Insert what is missing; existing rows (matched by natural key) are left as they are."""
    users = {}
    for email, name, role, password, phone in USERS:
        users[email] = auth_ops.find_user(email) or auth_ops.create_user(
            email, name, role, password, phone
        )
    authorities = {}
    for key, name, kind, email, title, head, parent in AUTHORITIES:
        row = db.session.scalar(sa.select(Authority).where(Authority.name == name))
        if row is None:
            row = Authority(
                name=name,
                kind=kind,
                email=email,
                head_title=title,
                head_name=head,
                postal_address="",
                parent=authorities.get(parent),
            )
            db.session.add(row)
        authorities[key] = row
    db.session.flush()
    facilities = []
    for name, type_, region, address, capacity, authority in FACILITIES:
        row = db.session.scalar(
            sa.select(Facility).where(Facility.name == name, Facility.region == region)
        )
        if row is None:
            row = Facility(
                name=name,
                type=type_,
                region=region,
                address=address,
                capacity=capacity,
                authority=authorities[authority],
            )
            db.session.add(row)
        facilities.append(row)
    db.session.flush()
    for index, started, ended, kind, monitors, participants, summary in VISITS:
        facility = facilities[index]
        exists = db.session.scalar(
            sa.select(Visit.id).where(Visit.facility_id == facility.id, Visit.started_on == started)
        )
        if exists is None:
            db.session.add(
                Visit(
                    facility=facility,
                    started_on=started,
                    ended_on=ended,
                    kind=kind,
                    participants=participants,
                    summary=summary,
                    monitors=[users[m] for m in monitors],
                )
            )
    db.session.flush()
    _load_recommendations(users)
    db.session.flush()
    return users


# visit index, [(text, theme, priority)], how many of them a lawyer has issued
RECOMMENDATIONS = [
    (
        0,
        [
            (
                "Забезпечити дотримання норми житлової площі не менше 4 м² на одного засудженого в "
                "секторах максимального рівня безпеки.",
                "conditions",
                "high",
            ),
            (
                "Забезпечити щоденний огляд засуджених лікарем і фіксацію тілесних ушкоджень у "
                "медичній документації.",
                "health",
                "urgent",
            ),
            (
                "Облаштувати укриття для засуджених і персоналу на час повітряної тривоги.",
                "safety",
                "urgent",
            ),
        ],
        3,
    ),
    (
        1,
        [
            (
                "Відремонтувати камери першого корпусу: усунути вологість і грибок, забезпечити "
                "природне освітлення.",
                "conditions",
                "high",
            ),
            (
                "Забезпечити конфіденційність побачень ув'язнених із захисниками.",
                "safeguards",
                "medium",
            ),
        ],
        2,
    ),
    (
        2,
        [
            (
                "Вести журнал обліку затриманих осіб з фіксацією часу затримання та доставлення.",
                "safeguards",
                "urgent",
            ),
            (
                "Забезпечити доступ затриманих до адвоката з першої години затримання.",
                "safeguards",
                "urgent",
            ),
        ],
        1,
    ),
    (
        3,
        [
            (
                "Припинити застосування фіксації пацієнтів без рішення лікаря та документування.",
                "treatment",
                "urgent",
            ),
            (
                "Отримувати й документувати інформовану згоду пацієнтів на лікування.",
                "legal",
                "high",
            ),
        ],
        0,
    ),
    (5, [("Забезпечити постачання гарячої води та ремонт харчоблоку.", "conditions", "high")], 1),
]


def _load_recommendations(users):
    """Drafts by the visit's monitor; some issued by a lawyer (history and all, as in real use)."""
    from app.domain.recommendations.models import Recommendation
    from app.domain.recommendations.operations import create_recommendation, fire

    visits = db.session.scalars(sa.select(Visit).order_by(Visit.started_on, Visit.id)).all()
    for index, items, issued in RECOMMENDATIONS:
        visit = visits[index] if index < len(visits) else None
        if visit is None or db.session.scalar(
            sa.select(Recommendation.id).where(Recommendation.visit_id == visit.id).limit(1)
        ):
            continue
        author = visit.monitors[0] if visit.monitors else users["lawyer@vidhuk.local"]
        recs = [create_recommendation(visit, {"text": text, "theme": theme, "priority": priority}, author)
                for text, theme, priority in items]  # fmt: skip
        for rec in recs[:issued]:
            fire(rec, "issue", users["lawyer@vidhuk.local"], {"comment": "Погоджено"})


def is_empty():
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
