"""The data's running texts in the reader's language (helpers.i18n.data_texts and the catalogue data.po)."""

from __future__ import annotations

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from helpers import data, i18n


def _catalogue(language: str):
    with i18n.catalogue_path(language, i18n.DATA_DOMAIN).open("rb") as fh:
        return read_po(fh, locale=language, domain=i18n.DATA_DOMAIN)


@pytest.mark.parametrize("dataset", sorted(i18n.DATA_TEXTS))
def test_every_running_text_of_the_data_has_a_checked_dutch_translation(dataset):
    catalogue = _catalogue("nl")
    frame = data.load(dataset)
    missing = []
    for column in i18n.DATA_TEXTS[dataset]:
        for text in frame[column].dropna():
            message = catalogue.get(text, context=f"{dataset}.{column}")
            if message is None or not message.string or message.fuzzy:
                missing.append(f"{column}: {text[:60]}...")
    assert not missing, (
        f"data/{dataset}.csv: texts without a checked Dutch translation (make catalogues-data):\n" + "\n".join(missing)
    )


def test_the_template_has_one_message_per_text_with_its_dataset_and_column(tmp_path):
    (tmp_path / "case_studies.csv").write_text("region_id,text_en\ntwente,First text.\nbremen,\n", encoding="utf-8")
    for dataset in i18n.DATA_TEXTS:
        if dataset != "case_studies":
            (tmp_path / f"{dataset}.csv").write_text(",".join(i18n.DATA_TEXTS[dataset]) + "\n", encoding="utf-8")
    template = i18n.data_template(tmp_path)
    messages = [m for m in template if m.id]
    assert [(m.id, m.context, m.locations) for m in messages] == [
        ("First text.", "case_studies.text_en", [("data/case_studies.csv", 2)])
    ]


def test_texts_are_shown_in_the_current_language_and_untouched_in_english():
    catalogue = _catalogue("nl")
    frame = data.load("recommendations")
    text = frame["text_en"].iloc[0]
    dutch = catalogue.get(text, context="recommendations.text_en").string
    assert i18n.data_texts(frame, "recommendations") is frame  # English: the data as written
    with i18n.using("nl"):
        shown = i18n.data_texts(frame, "recommendations")
    assert shown["text_en"].iloc[0] == dutch != text
    assert frame["text_en"].iloc[0] == text  # the loaded frame is not changed


def test_a_dataset_without_running_texts_is_returned_as_it_is():
    frame = pd.DataFrame({"x": [1]})
    with i18n.using("nl"):
        assert i18n.data_texts(frame, "employees_by_sector") is frame


def _shown_questions(monkeypatch) -> str:
    from helpers import brief

    shown = []
    monkeypatch.setattr(brief, "display", lambda obj: shown.append(obj.data))
    brief.show_questions(data.load("research_questions"))
    return "".join(shown)


def test_a_dutch_reader_sees_each_research_question_in_dutch_alone(monkeypatch):
    english = _shown_questions(monkeypatch)
    assert (
        "<strong>Which arrangements arose, and how intensely have firms and vocational education bound themselves "
        'to each other?</strong> (<em lang="nl">hoe intensief hebben bedrijven en beroepsonderwijs zich aan '
        "elkaar verbonden?</em>)"
    ) in english
    with i18n.using("nl"):
        dutch = _shown_questions(monkeypatch)
    # the report's question 4 (chapter 3, 'Voor elk van deze vier regio's zochten we naar een antwoord op vier vragen')
    assert (
        "<strong>Welke arrangementen zijn ontstaan en hoe intensief hebben bedrijven en beroepsonderwijs zich aan "
        "elkaar verbonden?</strong><br/>"
    ) in dutch
    assert "Which arrangements" not in dutch and '<em lang="nl">' not in dutch
    assert "Het rapport beantwoordt de vraag in hoofdstuk 4 (synthesepunten 3 en 4)" in dutch
