"""The rules that read a message without a server: quoted parts, automatic replies, DSNs."""

from app.domain.inbox import classify, parse
from app.domain.inbox.quotes import strip_quoted


def test_ukrainian_attribution():
    text = (
        "Добрий день!\nРекомендації виконано.\n\n"
        "пн, 30 лист. 2026 р. о 10:15 НПМ <npm@ombudsman.gov.ua> пише:\n> Надсилаємо подання\n"
    )
    assert strip_quoted(text) == "Добрий день!\nРекомендації виконано."


def test_english_attribution_wrapped_over_two_lines():
    text = "Done.\n\nOn Mon, 30 Nov 2026 at 10:15, NPM Office <npm@ombudsman.gov.ua>\nwrote:\n> x"
    assert strip_quoted(text) == "Done."


def test_russian_attribution():
    assert strip_quoted("Ок.\n\n30.11.2026 10:15, Іван написал:\n> текст") == "Ок."


def test_outlook_header_block_in_ukrainian_and_english():
    ukr = "Відповідь.\n\nВід: НПМ <npm@ombudsman.gov.ua>\nНадіслано: 30 листопада 2026 р. 10:15\nКому: dkvs@example.org\nТема: Подання\n\nНадсилаємо"
    eng = "Answer.\n________________________________\nFrom: NPM\nSent: Monday\nTo: x\nSubject: y\n"
    assert strip_quoted(ukr) == "Відповідь."
    assert strip_quoted(eng) == "Answer."


def test_original_message_separator_and_interleaved_quotes():
    assert strip_quoted("Так.\n-----Original Message-----\nFrom: a") == "Так."
    assert strip_quoted("> питання\nвідповідь\n> ще\nще відповідь") == "відповідь\nще відповідь"


def test_a_text_that_is_only_a_quote_is_kept_whole():
    assert strip_quoted("> лише цитата") == "> лише цитата"


def test_a_plain_sentence_with_a_colon_is_not_a_quote():
    text = "Міністерство повідомляє:\nвстановлено вентиляцію."
    assert strip_quoted(text) == text


def test_automatic_reply_marks():
    assert classify.auto_reply_reason({"auto-submitted": "auto-replied"}, "x")
    assert classify.auto_reply_reason({"auto-submitted": "no"}, "Re: подання") is None
    assert classify.auto_reply_reason({}, "Автовідповідь: відпустка")
    assert classify.auto_reply_reason({}, "Re: Подання № 5/2026") is None


def test_a_delayed_notice_is_not_a_bounce():
    raw = (
        b"From: MAILER-DAEMON@x.org\r\nSubject: Delayed Mail\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\ndelayed\r\n--b\r\n"
        b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x.org\r\n\r\n"
        b"Final-Recipient: rfc822; a@b.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n--b--\r\n"
    )
    assert classify.bounce_of(parse.parse(raw, 50)) is None


def test_a_non_standard_bounce_names_the_message_id_in_its_text():
    raw = (
        b"From: MAILER-DAEMON@x.org\r\nSubject: failure notice\r\n\r\n"
        b"I'm sorry to have to inform you that your message could not be delivered.\r\n"
        b"<dkvs@example.org>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        b"--- Below this line is a copy of the message.\r\n\r\n"
        b"Message-ID: <abc@ombudsman.gov.ua>\r\nSubject: x\r\n"
    )
    bounce = classify.bounce_of(parse.parse(raw, 50))
    assert bounce is not None and bounce.original_ids == ["<abc@ombudsman.gov.ua>"]


def test_outgoing_numbers_are_found_as_written_and_without_a_suffix():
    from app.domain.inbox.matching import _numbers

    found = _numbers("На Ваш лист від 01.12.2026 № 12/2026-вих та No. 5/2025.")
    assert "12/2026" in found and "5/2025" in found
