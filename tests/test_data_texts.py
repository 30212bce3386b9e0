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


@pytest.mark.parametrize("dataset", data.list_datasets())
def test_every_provenance_text_the_data_appendix_shows_has_a_checked_dutch_translation(dataset):
    catalogue = _catalogue("nl")
    provenance = data.provenance(dataset)
    missing = []
    for field in i18n.PROVENANCE_TEXTS:
        text = getattr(provenance, field)
        message = catalogue.get(text, context=f"datapackage.{dataset}.{field}") if text else None
        if text and (message is None or not message.string or message.fuzzy):
            missing.append(f"{field}: {text[:60]}")
    assert not missing, f"datapackage.json, {dataset}: without a checked Dutch translation:\n" + "\n".join(missing)


def test_the_template_holds_the_provenance_of_each_dataset_of_a_datapackage():
    template = i18n.data_template()
    title = template.get(
        "Employees per NACE section and region, December 2013", "datapackage.employees_by_sector.title"
    )
    assert title is not None and title.locations == [("data/datapackage.json", 0)]


def test_the_data_appendix_names_the_datasets_in_the_readers_language():
    from helpers import derived

    english = derived.dataset_provenance().set_index("dataset")
    assert english.loc["employees_by_sector", "title"] == "Employees per NACE section and region, December 2013"
    with i18n.using("nl"):
        dutch = derived.dataset_provenance().set_index("dataset")
    assert dutch.loc["employees_by_sector", "title"] == "Werknemers per NACE-sectie en regio, december 2013"
    assert dutch.loc["employees_by_sector", "unit"] == "duizend werknemers"
    assert (
        dutch.loc["employees_by_sector", "sha256 (first 12)"] == english.loc["employees_by_sector", "sha256 (first 12)"]
    )


def test_the_tables_notes_and_organisation_names_are_shown_in_the_readers_language():
    from helpers import derived

    with i18n.using("nl"):
        organisations = derived.organisations_table()
        tabel_1_2 = derived.tabel_1_2_table(["zo-brabant"])
        tabel_4 = derived.key_figure_display(
            derived.key_figure_table("Tabel 4", ["emsland"]), derived.key_figure_meta("Tabel 4"), notes=True
        )
    names = set(organisations["name"])
    # the report's words, chapter 4 (Rijnmond): 'met STC en Da Vinci in een CIV op maritiem domein'
    assert "CIV op maritiem domein" in names and "CIV in the maritime domain" not in names
    assert "Deltalinqs" in names  # a proper name is kept
    assert tabel_1_2["note"].tolist() == ["Het rapport noemt deze rij Zuidoost-Noord-Brabant."]
    assert any(note.startswith("Voetnoot 43") for note in tabel_4["note"])
    assert derived.organisations_table()["name"].str.contains("CIV in the maritime domain").any()  # English as written


def test_the_pavitt_types_are_shown_in_the_readers_language():
    from helpers import derived

    pavitt = data.load("pavitt_types")
    with i18n.using("nl"):
        shown = derived.pavitt_display(pavitt).set_index("region")
    # the report's words, chapter 3 (Rijnmond): 'steeds meer een kennisintensieve systeemregisseur'
    rijnmond = shown.loc["Groot-Rijnmond"]
    assert "Kennisintensieve systeemregisseur" in set(rijnmond["Pavitt type"])
    assert set(shown["stated or interpreted"]) == {"gezegd", "geïnterpreteerd"}
    assert "Specialised suppliers" in set(derived.pavitt_display(pavitt)["Pavitt type"])  # English as written
