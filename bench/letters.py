"""Benchmark of letter rendering.

    .venv/bin/python bench/letters.py [--count N] [--seed S]

Generates N letters of all kinds (1–8 recommendations each) and prints:

* DOCX documents per second through the project's path (long-lived pandoc processes) and, on
  the same Markdown in the same run, with one pandoc command per document (the baseline), and
  their ratio;
* PDF milliseconds per document (p50/p95), Markdown → HTML → WeasyPrint in-process;
* resident memory of this process and of the pandoc processes at the start, after 100 and after
  200 letters, to show it stays flat.

Figures only: timings depend on the machine, nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from app.domain.acts.kinds import KINDS, template_for  # noqa: E402
from app.letters import pandoc  # noqa: E402
from app.letters.render import render_docx, render_markdown, render_pdf  # noqa: E402

TEMPLATES = ROOT / "letter_templates"
REFERENCE = TEMPLATES / "reference.docx"
CSS = TEMPLATES / "letter.css"

FACILITIES = (
    "ДУ «Київський слідчий ізолятор»",
    "Ізолятор тимчасового тримання ГУНП у Харківській області",
    "КНП «Обласна психіатрична лікарня»",
    "Психоневрологічний інтернат № 3",
    "Пункт тимчасового перебування іноземців",
)
ACTIONS = (
    "Забезпечити безперешкодний доступ до медичної допомоги",
    "Облаштувати укриття, доступне для осіб з інвалідністю",
    "Забезпечити конфіденційність листування з адвокатом",
    "Привести умови тримання у відповідність до вимог **санітарних норм**",
    "Забезпечити щоденні прогулянки тривалістю не менше однієї години",
    "Організувати навчання персоналу щодо запобігання жорстокому поводженню",
)


def make_letter(rng: random.Random, index: int) -> dict:
    """One letter context (contract: app/letters/render.py) with 1–8 recommendations."""
    kind = list(KINDS)[index % len(KINDS)]
    recommendations = [
        {
            "number": n,
            "text": f"{rng.choice(ACTIONS)} (пункт {n} звіту), "
            + "з урахуванням стандартів ЄКЗК та практики ЄСПЛ. " * rng.randint(1, 4),
            "facility": rng.choice(FACILITIES),
            "visit_text": f"{rng.randint(1, 28)} лютого 2026 р.",
        }
        for n in range(1, rng.randint(1, 8) + 1)
    ]
    return {
        "kind": kind,
        "escalation": False,
        "date": datetime.date(2026, 3, 12),
        "date_text": "12 березня 2026 р.",
        "outgoing_number": f"{index + 1}/2026" if index % 5 else None,
        "reference": {"number": f"{index}/7", "date_text": "02.03.2026"} if index % 3 else None,
        "addressee": {
            "lines": ["Міністрові юстиції України", "Олександрові ПЕТРЕНКУ"],
            "organisation": "Міністерство юстиції України",
            "title_dative": "Міністрові юстиції України",
            "name_dative": "Олександрові ПЕТРЕНКУ",
            "address": "вул. Городецького, 13, м. Київ, 01001",
        },
        "heading": "Про стан виконання рекомендацій Національного превентивного механізму",
        "opening": "За результатами моніторингових візитів виявлено порушення. " * 3,
        "legal_basis": "Відповідно до статті 15 Закону України «Про Уповноваженого Верховної "
        "Ради України з прав людини»",
        "reminded_basis": "Відповідно до статті 15 Закону України «Про Уповноваженого Верховної "
        "Ради України з прав людини»",
        "visits_text": "моніторингових візитів",
        "warning_text": "",
        "recommendations": recommendations,
        "closing": "Сподіваюся на конструктивну співпрацю.",
        "term_text": "Про результати розгляду прошу повідомити у місячний строк.",
        "attachments": [{"title": "звіт за результатами візиту", "sheets": rng.randint(2, 12)}],
        "signatory": {
            "position": "Уповноважений Верховної Ради України з прав людини",
            "name": "Дмитро ЛУБІНЕЦЬ",
        },
        "executor": {"name": "Олена КОВАЛЕНКО", "phone": "(044) 299-74-08", "email": "npm@x.ua"},
        "issuer": {
            "name": "Уповноважений Верховної Ради України з прав людини",
            "short_name": "Омбудсман України",
            "address": "вул. Інститутська, 21/8, м. Київ, 01008",
            "phone": "(044) 253-75-89",
            "email": "hotline@ombudsman.gov.ua",
            "website": "www.ombudsman.gov.ua",
            "edrpou": "21661556",
        },
        "previous_act": {
            "title": "подання",
            "outgoing_number": "77/2026",
            "date_text": "10 січня 2026 р.",
            "authority": "Міністерство юстиції України",
        },
        "ignored": [],
    }


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process in MiB (None where it cannot be read)."""
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        pass
    except Exception:  # the process is gone
        return None
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return None


def memory_line(label: str) -> str:
    own = rss_mib(os.getpid())
    children = [rss_mib(pid) for pid in pandoc.get_runner().pids()]
    sizes = [f"{m:.0f} MiB" for m in children if m is not None]
    kids = " + ".join(sizes) or "not started"
    return f"  {label:<14} python {own:6.1f} MiB   pandoc {kids}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Letter rendering benchmark")
    parser.add_argument("--count", type=int, default=200, help="letters to render (200)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    letters = [make_letter(rng, i) for i in range(args.count)]
    counts = [len(letter["recommendations"]) for letter in letters]
    print(f"{args.count} letters, {min(counts)}–{max(counts)} recommendations each")

    memory = [memory_line("start")]
    started = time.perf_counter()
    markdowns = [
        render_markdown(template_for(letter["kind"]), {"letter": letter}, TEMPLATES)
        for letter in letters
    ]
    templating_ms = (time.perf_counter() - started) * 1000 / args.count

    # Project path: DOCX and PDF per letter, timed separately; the first DOCX includes the
    # lazy start of the pandoc process.
    docx_times, pdf_times = [], []
    for index, (markdown, letter) in enumerate(zip(markdowns, letters, strict=True), start=1):
        started = time.perf_counter()
        render_docx(markdown, REFERENCE)
        docx_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_pdf(markdown, CSS, letter["issuer"])
        pdf_times.append(time.perf_counter() - started)
        if index in (100, 200):
            memory.append(memory_line(f"after {index}"))

    # Baseline: one pandoc command per document, same Markdown, same reference doc.
    started = time.perf_counter()
    for markdown in markdowns:
        pandoc.convert_once(
            markdown, "docx", from_format=pandoc.SAFE_MARKDOWN, reference_doc=REFERENCE
        )
    baseline_s = time.perf_counter() - started

    project_rate = args.count / sum(docx_times)
    baseline_rate = args.count / baseline_s
    pdf_ms = [t * 1000 for t in pdf_times]
    print(f"templates      {templating_ms:6.2f} ms per letter (Jinja → Markdown)")
    print(
        f"DOCX project   {project_rate:6.1f} docs/s ({1000 / project_rate:.1f} ms/doc; "
        f"first, with process start: {docx_times[0] * 1000:.0f} ms)"
    )
    print(f"DOCX baseline  {baseline_rate:6.1f} docs/s ({1000 / baseline_rate:.1f} ms/doc)")
    print(f"DOCX ratio     {project_rate / baseline_rate:6.2f}× faster than pandoc per document")
    print(
        f"PDF            p50 {statistics.median(pdf_ms):.0f} ms, p95 {percentile(pdf_ms, 0.95):.0f}"
        f" ms, max {max(pdf_ms):.0f} ms per document (first {pdf_ms[0]:.0f} ms)"
    )
    print("memory (RSS)")
    print("\n".join(memory))


if __name__ == "__main__":
    main()
