"""Query words: the light Ukrainian stemmer, stop words, highlighting."""

import pytest

from app.domain.search.text import highlight, stem, terms


@pytest.mark.parametrize(
    "forms, beginning",
    [
        ("катування катуванню катуванням катуванні катувань катуваннями", "катуван"),
        ("жорстокий жорстокому жорстоке жорстокого жорстокими", "жорсток"),
        ("відповідальність відповідальності відповідальністю", "відповідальн"),
        ("умови умов умовах умовами", "умов"),
        ("працівник працівника працівників працівникам", "працівник"),
        ("вода води воду водою", "вод"),
        ("укриття укриттям укриттів", "укрит"),
    ],
)
def test_forms_share_their_beginning(forms, beginning):
    assert {stem(word) for word in forms.split()} == {beginning}


def test_short_foreign_and_numeric_words_are_kept():
    assert stem("їжа") == "їжа"
    assert stem("ITT") == "itt"
    assert stem("2024") == "2024"
    assert stem("мʼякий") == "мʼяк"


def test_terms_drop_stop_words_and_repeats():
    assert terms("Катуванню та жорстокому поводженню, катування!") == [
        "катуван",
        "жорсток",
        "поводжен",
    ]
    assert terms("та") == ["та"]
    assert terms("") == [] and terms(None) == [] and terms("!!! ---") == []
    assert len(terms(" ".join(f"слово{n}" for n in range(20)))) == 8


def test_highlight_marks_matches_and_escapes():
    html = str(highlight("<b>Катування</b> заборонено; катуванню — ні", ["катуван"]))
    assert html == (
        "&lt;b&gt;<mark>Катування</mark>&lt;/b&gt; заборонено; <mark>катуванню</mark> — ні"
    )
    long = "вступ " * 100 + "катування " + "кінець " * 100
    cut = str(highlight(long, ["катуван"]))
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>катування</mark>" in cut
    assert str(highlight("без збігів", [])) == "без збігів"
