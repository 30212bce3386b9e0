"""Write data/datapackage.json (Frictionless Data Package) from the descriptions below.

Kept as Python so that each field's description sits beside its type and constraints; run it after changing a
dataset's columns or rules. The package is the one description of each dataset: `helpers.data` generates its
pandera schemas from these fields (type, and the constraints required, enum, minimum, maximum, pattern, unique;
`primaryKey` for columns unique together), and `frictionless validate data/datapackage.json` checks the same.
Rules across columns or rows, which no field constraint can express, are named checks in `helpers.data`.
"""

import json
from pathlib import Path

from helpers.regions import ALL_AREAS, DUTCH_REGIONS, STUDY_REGIONS
from helpers.sector_levels import SECTIONS

REPORT = "J.P. van den Toren & H. Blom, Regionale dynamiek en beroepsonderwijs (NEF 2016, Stichting voor Industriebeleid en Communicatie)"
#: A chapter's file name without .md; a stable id.
CHAPTER_FILE, STABLE_ID = "[a-z0-9_]+", "[a-z0-9_]+"
BASIS = ["stated", "interpreted"]
ORG_KINDS = [
    "board",
    "commission",
    "platform",
    "network",
    "government",
    "fund",
    "employers_association",
    "cooperative",
    "sectorplan",
    "CIV",
    "CoE",
    "lectorate",
    "opleidingsbedrijf",
    "scholingspool",
    "bedrijfsschool",
    "training_centre",
    "campus",
]
#: The aspects of a regional case study, in the report's order (``order`` is the position in this list).
CASE_ASPECTS = ["economy", "networks", "initiative", "arrangements", "assessment"]
PAVITT_TYPES = [
    "supplier_dominated",
    "scale_intensive",
    "specialised_supplier",
    "science_based",
    "knowledge_intensive_system_integrator",
]


def f(name, type_, description, *, optional=False, unit=None, **constraints):
    """A field, required unless ``optional``, with Frictionless constraints (enum, minimum, maximum, pattern,
    unique)."""
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    constraints = constraints if optional else {"required": True, **constraints}
    if constraints:
        field["constraints"] = constraints
    return field


def region(areas=STUDY_REGIONS, description="Canonical region id (see helpers.regions).", **constraints):
    return f("region_id", "string", description, enum=list(areas), **constraints)


#: Alternative forms of a glossary term: ';'-separated, none empty, no space around a separator.
FORMS = r"[^;\s]([^;]*[^;\s])?(;[^;\s]([^;]*[^;\s])?)*"

NOTE = f(
    "note", "string", "Remark on the row: ambiguity in the report, footnote, or how a cell was read.", optional=True
)


RESOURCES = [
    dict(
        name="employees_by_sector",
        title="Employees per NACE section and region, December 2013",
        description="Bijlage 1, Tabel 1.1 'Aantal werknemers per sector (x1000), per regio (december 2013)': six study regions plus the Netherlands and Germany.",
        provenance=dict(
            report_location="Bijlage 1, Tabel 1.1 (appendix tables)",
            unit="thousand employees",
            reference_period="December 2013",
        ),
        sources=[{"title": "Not stated in the report (Bijlage 1 gives no source for Tabel 1.1)"}],
        fields=[
            region(ALL_AREAS),
            f("nace_section", "string", "NACE Rev. 2 section letter A-S.", enum=list(SECTIONS)),
            f("sector_nl", "string", "Sector label as printed in the report (Dutch)."),
            f("sector_en", "string", "English NACE section label."),
            f("employees_thousands", "number", "Employees, thousands.", unit="thousand employees", minimum=0),
        ],
        primary_key=["region_id", "nace_section"],
    ),
    dict(
        name="occupational_dynamics",
        title="Occupational dynamics in four Dutch regions",
        description="Tabel 1 'Beroependynamiek in vier regio's': the 1984 cohort's situation in 2014 by region, as percentages.",
        provenance=dict(report_location="Chapter 2, Tabel 1", unit="percent", reference_period="1984-2014"),
        sources=[
            {
                "title": "UWV CV database (werk.nl), cohort born 1955-1964 registered 2014-2016 (report footnotes 11-12, 16)"
            }
        ],
        fields=[
            region(DUTCH_REGIONS),
            f(
                "block",
                "string",
                "Which column group: status_2014 (no job), occupation_2014 (occupation compared to 1984, of those working), level_2014 (occupational level compared to 1984, of those working).",
                enum=["status_2014", "occupation_2014", "level_2014"],
            ),
            f("measure", "string", "Machine name of the column."),
            f("label_nl", "string", "Column label in the report."),
            f("label_en", "string", "English label."),
            f("share_percent", "number", "Share, percent of the block's base.", unit="percent", minimum=0, maximum=100),
        ],
        primary_key=["region_id", "measure"],
    ),
    dict(
        name="key_figures",
        title="Key figures of the six regions",
        description="Tabel 2 'Kerngegevens van vier regio's' (2015 unless stated) and Tabel 4 'Kerncijfers Emsland en Bremen'.",
        provenance=dict(
            report_location="Chapter 3, Tabel 2; chapter 5, Tabel 4",
            unit="per indicator (column unit)",
            reference_period="2015 unless the period column says otherwise",
        ),
        sources=[
            {
                "title": "Tabel 2: 'Samengesteld op basis van CBS, Eurostat, EU, TW' (as the report states under the table); Tabel 4: not stated in the report"
            }
        ],
        fields=[
            region(),
            f("source_table", "string", "Tabel 2 or Tabel 4.", enum=["Tabel 2", "Tabel 4"]),
            f("indicator", "string", "Machine name of the indicator; a share (share_*) lies within 0-100."),
            f("label_nl", "string", "Row label in the report."),
            f("label_en", "string", "English label."),
            f("value", "number", "Value as printed."),
            f("unit", "string", "Unit of the value."),
            f("period", "string", "Reference year or period."),
            NOTE,
        ],
        primary_key=["region_id", "indicator"],
    ),
    dict(
        name="largest_employers",
        title="Ten largest employers per region",
        description="Tabel 3 (four Dutch regions) and Tabel 5 (Emsland, Bremen): one row per firm with the table's annotations. hq_scope and industrial are codings of the table's text by the editors of this book, explained in note where not obvious.",
        provenance=dict(
            report_location="Chapter 4, Tabel 3; chapter 5, Tabel 5", unit="firms", reference_period="2016"
        ),
        sources=[
            {
                "title": "Tabel 3: 'Bron: KvK, Voor Twente: Twente Index' (as the report states under the table); R&D top 60: the EC's Industrial R&D outlook and Technisch Weekblad (footnote 5); Tabel 5: not stated in the report"
            }
        ],
        fields=[
            region(),
            f("source_table", "string", "Tabel 3 or Tabel 5.", enum=["Tabel 3", "Tabel 5"]),
            f("rank", "integer", "Rank by employment, 1-10.", minimum=1, maximum=10),
            f("firm", "string", "Firm name as printed."),
            f(
                "annotation_in_report",
                "string",
                "The table's annotation: owner, HQ location, country, year of take-over.",
                optional=True,
            ),
            f(
                "hq_scope",
                "string",
                "Where the head office is: in_region, national_outside_region or abroad (coded from the annotation).",
                enum=["in_region", "national_outside_region", "abroad"],
            ),
            f("hq_location", "string", "Head office or owner location as given.", optional=True),
            f("takeover_year", "integer", "Year of take-over where given.", optional=True, minimum=1800, maximum=2016),
            f(
                "rd_top60_rank",
                "integer",
                "Rank in the Dutch R&D top 60 (#n in the table).",
                optional=True,
                minimum=1,
                maximum=60,
            ),
            f(
                "industrial",
                "boolean",
                "Manufacturing firm (coded by the editors from the firm's activity; empty when unclear).",
                optional=True,
            ),
            NOTE,
        ],
        primary_key=["region_id", "rank"],
    ),
    dict(
        name="employer_hq_counts_stated",
        title="Head-office counts stated under Tabel 3 and Tabel 5",
        description="The counts 'HQ buiten de regio' and 'Waarvan buiten NL/DE' printed under the firm lists.",
        provenance=dict(
            report_location="Chapter 4, Tabel 3; chapter 5, Tabel 5",
            unit="firms of the ten largest",
            reference_period="2016",
        ),
        sources=[
            {
                "title": "Tabel 3: KvK, for Twente the Twente Index (as the report states); Tabel 5: not stated in the report"
            }
        ],
        fields=[
            region(unique=True),
            f("source_table", "string", "Tabel 3 or Tabel 5.", enum=["Tabel 3", "Tabel 5"]),
            f(
                "hq_outside_region",
                "integer",
                "Stated number of the ten with head office outside the region.",
                optional=True,
                minimum=0,
                maximum=10,
            ),
            f(
                "hq_outside_country",
                "integer",
                "Stated number of those with head office abroad.",
                optional=True,
                minimum=0,
                maximum=10,
            ),
            NOTE,
        ],
    ),
    dict(
        name="foreign_controlled_establishments",
        title="Establishments under ultimate foreign control, 2010-2013",
        description="Bijlage 1, Tabel 1.2 'Vestigingen met uiteindelijke zeggenschap buitenland per jaar, per regio'. Emsland has no values; Bremen's single value cannot be placed in a year from the extracted text.",
        provenance=dict(report_location="Bijlage 1, Tabel 1.2", unit="establishments", reference_period="2010-2013"),
        sources=[{"title": "Not stated in the report (Bijlage 1 gives no source for Tabel 1.2)"}],
        fields=[
            region(ALL_AREAS),
            f(
                "year",
                "integer",
                "Year; empty where the report's column is unknown.",
                optional=True,
                minimum=2010,
                maximum=2013,
            ),
            f(
                "establishments",
                "integer",
                "Number of establishments; empty where the report gives none.",
                unit="establishments",
                optional=True,
                minimum=0,
            ),
            NOTE,
        ],
    ),
    dict(
        name="claims",
        title="Numeric statements in the report's prose",
        description="Every numeric statement in the text, one row each, with what it refers to; in quotes, the table of the report that prints the same quantity (empty: none does), and in recompute, how another of the report's tables can recompute it (empty: none can).",
        provenance=dict(
            report_location="Chapters 1-6, footnotes",
            unit="per claim (column unit)",
            reference_period="per claim (column period)",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("claim_id", "string", "Stable id: chapter prefix and subject.", unique=True),
            f("chapter", "string", "Chapter number or 'Inleiding'."),
            f("section", "string", "Section heading, table, figure or footnote."),
            f("quote_nl", "string", "The phrase as printed."),
            f("value", "number", "The stated value."),
            f("unit", "string", "Unit of the value."),
            f(
                "region_id",
                "string",
                "Region or reference area the claim refers to; empty when none of the eight.",
                optional=True,
                enum=list(ALL_AREAS),
            ),
            f("period", "string", "Year or period referred to.", optional=True),
            f("variable", "string", "What is measured."),
            f(
                "quotes",
                "string",
                "The table cell the statement quotes (the same quantity, printed in a table): key_figure:<indicator> (Tabel 2/4) or printed_count:<hq_in_region|hq_outside_region|hq_outside_country|hq_national_outside_region> (the counts printed under Tabel 3/5); empty when no table prints it.",
                optional=True,
            ),
            f(
                "recompute",
                "string",
                "Recomputation rule: sector_share:<sections joined by +> (alternative groupings separated by |, tried in order), sector_share_ratio:<section>, key_figure:<indicator>, hq_in_region, hq_outside_country, hq_national_outside_region, industrial_count, rd_top60_in_table; empty when not recomputable.",
                optional=True,
            ),
            NOTE,
        ],
    ),
    dict(
        name="pavitt_types",
        title="Pavitt types of the regions",
        description="Each region's dominant innovation type in Pavitt's (1984) taxonomy, as the report argues it; basis says whether the report states the type or the book reads it from the description.",
        provenance=dict(
            report_location="Chapter 3; chapter 5 (Bremen, Emsland)", unit="category", reference_period="2016"
        ),
        sources=[{"title": REPORT}],
        fields=[
            region(),
            f("pavitt_type", "string", "Pavitt type.", enum=PAVITT_TYPES),
            f("label_en", "string", "English label."),
            f("basis", "string", "stated (the report names the type) or interpreted.", enum=BASIS),
            f("evidence_nl", "string", "The report's words."),
            f("section", "string", "Chapter."),
        ],
    ),
    dict(
        name="cooperation_levels",
        title="Four levels of school-business cooperation",
        description="The report's 'vier oplopende niveaus van samenwerking' (niveau 1-4).",
        provenance=dict(
            report_location="Chapter 4, 'Hoe ecosystemen zich organiseren', point 3",
            unit="level",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("level", "integer", "Level 1-4.", unique=True, minimum=1, maximum=4),
            f("label_nl", "string", "The report's description."),
            f("label_en", "string", "English translation."),
        ],
    ),
    dict(
        name="region_cooperation",
        title="Each region's level of school-business cooperation",
        description="Each region on the report's four levels as this edition reads the report's words, with the range of levels the words allow (level_low-level_high), and each region's place on the report's ladder across all six regions (ladder_position: the report's ordering of the Dutch regions, with the German regions, which it holds up as the model and compares with Brainport, at the top beside Brainport). autonomy_to_centre and agenda_breadth score the two axes the report names (1-4), interpreted by the editors for the Dutch regions and left empty for the German ones.",
        provenance=dict(report_location="Chapter 4, point 3; chapter 5", unit="level", reference_period="2016"),
        sources=[{"title": REPORT}],
        fields=[
            region(unique=True),
            f(
                "level",
                "integer",
                "Level 1-4 as read here: the most the report's words support without placing a Dutch region above the German regions the report holds up as the model; within level_low-level_high.",
                minimum=1,
                maximum=4,
            ),
            f("level_low", "integer", "Lowest level the report's words allow.", minimum=1, maximum=4),
            f(
                "level_high",
                "integer",
                "Highest level the report's words allow; equal to level_low where the report states the level.",
                minimum=1,
                maximum=4,
            ),
            f(
                "ladder_position",
                "integer",
                "Place on the report's ladder of cooperation across the six regions, 1 = least advanced; equal where the report compares regions as alike (ZO Drenthe one-to-one, Rijnmond separate initiatives, 'Twente en vooral Brainport-regio zijn een stap verder', the German regions 'vergelijkbaar met Brainport').",
                minimum=1,
                maximum=len(STUDY_REGIONS),
            ),
            f(
                "autonomy_to_centre",
                "integer",
                "Axis 1: autonomy handed by school and firm to the centre (1-4).",
                optional=True,
                minimum=1,
                maximum=4,
            ),
            f(
                "agenda_breadth",
                "integer",
                "Axis 2: breadth and quantitative ambition of the agenda (1-4).",
                optional=True,
                minimum=1,
                maximum=4,
            ),
            f("basis", "string", "stated or interpreted.", enum=BASIS),
            f("justification_nl", "string", "The report's words."),
            f(
                "reading_note",
                "string",
                "How level, range and ladder position follow from the report's words, and what is uncertain.",
            ),
            f("section", "string", "Chapter."),
        ],
    ),
    dict(
        name="firm_identifications",
        title="Firms the text names, matched to the rows of Tabel 3 and 5",
        description="Where the report's text names firms that a table lists, which row each name is: the same firm, absent from the table, or uncertain (the table may list it under another name); reason says why an identification is uncertain or absent. The audit reads its checks of named firms from it.",
        provenance=dict(report_location="Chapter 4 (Twente) and Tabel 3", unit="firms", reference_period="2016"),
        sources=[{"title": REPORT}],
        fields=[
            region(),
            f("name_in_text", "string", "The firm as the text names it."),
            f("firm_in_table", "string", "The row of Tabel 3/5 it is, or may be; empty when none.", optional=True),
            f("match", "string", "same, uncertain or absent.", enum=["same", "uncertain", "absent"]),
            f("reason", "string", "Why the identification is uncertain or absent (required then).", optional=True),
            f("report_section", "string", "The section of the report that names the firm."),
        ],
        primary_key=["region_id", "name_in_text"],
    ),
    dict(
        name="organisations",
        title="Boards, platforms and vocational-education initiatives",
        description="Organisations and initiatives the report names per region: boards, platforms, employers' associations, CIVs, CoEs, RIF projects, training companies (opleidingsbedrijf), training pools (scholingspool), company schools (bedrijfsschool).",
        provenance=dict(
            report_location="Chapter 4 (regional sections), chapter 5 (Emsland)",
            unit="organisations",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("org_id", "string", "Stable id.", unique=True),
            region(),
            f("name", "string", "Name as printed."),
            f(
                "kind",
                "string",
                "Kind of organisation: board, commission, platform, network, government, fund, employers_association, cooperative, sectorplan, CIV, CoE, lectorate, opleidingsbedrijf (training company), scholingspool (training pool), bedrijfsschool (company school), training_centre, campus.",
                enum=ORG_KINDS,
            ),
            f(
                "kind_basis",
                "string",
                "stated (the report calls it so) or interpreted (the editors' coding; note gives the report's own words).",
                enum=BASIS,
            ),
            f(
                "education_level",
                "string",
                "mbo, hbo or mbo+hbo; empty for organisations outside education.",
                optional=True,
                enum=["mbo", "hbo", "mbo+hbo"],
            ),
            f("founded", "integer", "Year founded, where given.", optional=True, minimum=1800, maximum=2016),
            f("member_firms", "integer", "Member or participating firms, where given.", optional=True, minimum=0),
            f("students", "integer", "Students, where given.", optional=True, minimum=0),
            f("board_members", "integer", "Board members, where given.", optional=True, minimum=0),
            NOTE,
        ],
    ),
    # --- The report's structured argument (chapters 4-6) and the map of its sections -------------------------
    dict(
        name="case_studies",
        title="The regional case studies: economy, networks, initiative, arrangements",
        description="The report's case study of each region, in its order, as short English summaries by the editors: economic make-up and history (research question 1), networks and organisations (2), who takes the initiative (3), which arrangements arose (4), and the report's closing assessment. Numbers are left out of the summaries; chapters take them from the other datasets.",
        provenance=dict(
            report_location="Chapter 4 (Zuidoost Drenthe/Vierkant voor Werk, Twente, Rijnmond, Zuid Oost Brabant); chapter 5 (Landkreis Emsland, Bremen)",
            unit="",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            region(),
            f("aspect", "string", "economy, networks, initiative, arrangements or assessment.", enum=CASE_ASPECTS),
            f(
                "order",
                "integer",
                "Position of the aspect (1-5), following it; 1-4 match the report's research questions 1-4.",
                minimum=1,
                maximum=len(CASE_ASPECTS),
            ),
            f("text_en", "string", "English summary of the report's text (no numbers)."),
            f(
                "org_ids",
                "string",
                "Organisations (org_id in organisations) the paragraph names, separated by ';'.",
                optional=True,
                pattern=f"{STABLE_ID}(;{STABLE_ID})*",
            ),
            f("report_chapter", "string", "Chapter of the report: 4 or 5.", enum=["4", "5"]),
            f("report_section", "string", "Section heading in the report."),
        ],
        primary_key=["region_id", "aspect"],
    ),
    dict(
        name="synthesis_points",
        title="The six points of chapter 4's synthesis",
        description="The six observations of 'Hoe ecosystemen zich organiseren en het beroepsonderwijs een rol geven via PPS', as English summaries by the editors (no numbers).",
        provenance=dict(
            report_location="Chapter 4, 'Hoe ecosystemen zich organiseren en het beroepsonderwijs een rol geven via PPS', points 1-6",
            unit="",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("point", "integer", "Point 1-6, in the report's order.", unique=True, minimum=1, maximum=6),
            f("title_en", "string", "Short title by the editors."),
            f("text_en", "string", "English summary (no numbers)."),
            f("report_chapter", "string", "4.", enum=["4"]),
            f("report_section", "string", "Section heading in the report."),
        ],
    ),
    dict(
        name="recommendations",
        title="The report's conclusions and recommendations",
        description="Chapter 6's argument and recommendations in the report's order, as English summaries by the editors (no numbers).",
        provenance=dict(
            report_location="Chapter 6, 'De regio als ecosysteem' and 'Arbeidsmarkt en beroepsonderwijs: lessen uit de vergelijking met Duitsland'",
            unit="",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("rec_id", "string", "Stable id.", unique=True, pattern=STABLE_ID),
            f("order", "integer", "Position in the report.", unique=True, minimum=1),
            f("theme", "string", "Short title by the editors."),
            f("text_en", "string", "English summary (no numbers)."),
            f("report_chapter", "string", "6.", enum=["6"]),
            f("report_section", "string", "Section heading in the report."),
        ],
    ),
    dict(
        name="institutional_comparison",
        title="Vocational education in Germany and the Netherlands compared",
        description="Chapter 5's institutional comparison, aspect by aspect: what the report says of Germany and of the Netherlands, as English summaries by the editors (no numbers).",
        provenance=dict(
            report_location="Chapter 5, 'Ander systemen van beroepsonderwijs in Duitsland', 'Vergelijking met Nederland', 'Een vergelijking tussen Nederland en Duitsland', 'Ander systemen van sociaal-economische sturing in Duitsland'",
            unit="",
            reference_period="2016",
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("aspect_id", "string", "Stable id.", unique=True, pattern=STABLE_ID),
            f("order", "integer", "Position in the report's argument.", unique=True, minimum=1),
            f("aspect", "string", "What is compared."),
            f("germany_en", "string", "What the report says of Germany."),
            f(
                "netherlands_en",
                "string",
                "What the report says of the Netherlands; where it sets no Dutch practice beside the German one, this edition's pointer to where the book treats the Dutch side.",
            ),
            f(
                "netherlands_basis",
                "string",
                "report (the Dutch side in the report's words) or edition (the report gives none; the cell is this edition's).",
                enum=["report", "edition"],
            ),
            f("report_section", "string", "Section heading in the report."),
        ],
    ),
    dict(
        name="report_sections",
        title="Every section of the report and the book page that carries it",
        description="One row per section, box, table and figure of the report (foreword, introduction, chapters 1-6, Bijlage 1, notes) in the report's order, with the book page and section anchor that carry it, or 'not carried' and why.",
        provenance=dict(report_location="The whole report", unit="", reference_period="2016"),
        sources=[{"title": REPORT}],
        fields=[
            f("section_id", "string", "Stable id.", unique=True, pattern=STABLE_ID),
            f("order", "integer", "Position in the report.", unique=True, minimum=1),
            f("report_chapter", "string", "Voorwoord, Inleiding, 1-6, Bijlage 1 or Noten."),
            f(
                "kind",
                "string",
                "section, box, table, figure or notes.",
                enum=["section", "box", "table", "figure", "notes"],
            ),
            f(
                "heading_nl",
                "string",
                "Heading or caption in the report (for unheaded passages: boxes, research questions, numbered points, a description).",
            ),
            f("heading_en", "string", "English heading."),
            f(
                "book_page",
                "string",
                "Book page (chapters/<slug>.md) that carries it; empty when, and only when, not carried.",
                optional=True,
                pattern=f"chapters/{CHAPTER_FILE}\\.md",
            ),
            f(
                "anchor",
                "string",
                "Label of the section on that page (MyST target), where it has one.",
                optional=True,
                pattern="[a-z0-9-]+",
            ),
            f(
                "status",
                "string",
                "carried, partly carried or not carried.",
                enum=["carried", "partly carried", "not carried"],
            ),
            f("note", "string", "What is carried and how, or why not (required unless carried).", optional=True),
        ],
    ),
    dict(
        name="mbo_variants",
        title="Variants of mbo training",
        description="The variants a-e of vocational training between BOL and BBL the report lists.",
        provenance=dict(
            report_location="Chapter 4, 'Hoe ecosystemen zich organiseren', point 4", unit="", reference_period="2016"
        ),
        sources=[{"title": REPORT}],
        fields=[
            f("variant", "string", "Letter a-e.", unique=True, enum=list("abcde")),
            f("label_nl", "string", "The report's description."),
            f("label_en", "string", "English translation."),
        ],
    ),
    dict(
        name="research_questions",
        title="The report's four research questions and where it answers them",
        description="The four questions the report asks of each Dutch region (chapter 3), each with the report's answer in this edition's words, where the report gives it, the book page that carries it, the datasets behind it and the audit checks (check-id prefixes) that bear on it.",
        provenance=dict(
            report_location="Chapter 3 (the questions); chapters 3-5 (the answers)", unit="", reference_period="2016"
        ),
        sources=[{"title": REPORT}],
        fields=[
            f(
                "question",
                "integer",
                "Number of the question as the report numbers it, 1-4.",
                unique=True,
                minimum=1,
                maximum=4,
            ),
            f("question_en", "string", "The question in English (this edition's translation)."),
            f("question_nl", "string", "A short phrase of the question as printed (Dutch)."),
            f("answer_en", "string", "The report's answer, summarised in this edition's words."),
            f("report_location", "string", "Where the report answers the question."),
            f("book_page", "string", "The chapter file (without .md) that carries the answer.", pattern=CHAPTER_FILE),
            f("book_section", "string", "The section of that page, in words."),
            f("evidence", "string", "Datasets behind the answer, separated by ';'."),
            f(
                "audit_checks",
                "string",
                "Prefixes of the audit's check ids that bear on the answer, separated by ';'; empty when no numeric statement is involved.",
                optional=True,
            ),
        ],
    ),
    dict(
        name="report_conclusions",
        title="The report's main conclusions",
        description="The report's main conclusions, one row each, in this edition's words with a short Dutch phrase, where the report draws them, the book page, the datasets behind them, the audit checks that bear on them and the edition's statistical test, if any, that speaks to them.",
        provenance=dict(
            report_location="Introduction; chapters 1, 2, 4 (synthesis), 5 and 6", unit="", reference_period="2016"
        ),
        sources=[{"title": REPORT}],
        fields=[
            f(
                "conclusion",
                "integer",
                "Order of the conclusion, following the report's order of sections.",
                unique=True,
                minimum=1,
            ),
            f("statement_en", "string", "The conclusion in this edition's words."),
            f("quote_nl", "string", "A short phrase of the report (Dutch)."),
            f("report_location", "string", "Where the report draws the conclusion."),
            f("book_page", "string", "The chapter file (without .md) that carries it.", pattern=CHAPTER_FILE),
            f("evidence", "string", "Datasets behind it, separated by ';'."),
            f(
                "audit_checks",
                "string",
                "Prefixes of the audit's check ids that bear on it, separated by ';'.",
                optional=True,
            ),
            f(
                "edition_test",
                "string",
                "The edition's own test that speaks to it: tabel1_homogeneity or foreign_control_trends; empty when none.",
                optional=True,
                enum=["tabel1_homogeneity", "foreign_control_trends"],
            ),
        ],
    ),
    dict(
        name="ecosystem_elements",
        title="Elements of the entrepreneurial ecosystem",
        description="The elements of the entrepreneurial-ecosystem framework (Figure 7), split as chapter 6 splits them: base elements hard to change, system elements easier to influence.",
        provenance=dict(report_location="Chapter 6, Figure 7", unit="", reference_period="2016"),
        sources=[
            {"title": "The report's Figure 7; its source (footnote 51) is not in the report's text as transcribed"}
        ],
        fields=[
            f("element_id", "string", "Stable id.", unique=True),
            f("group", "string", "base or system.", enum=["base", "system"]),
            f("label_nl", "string", "The report's word."),
            f("label_en", "string", "English label."),
        ],
    ),
    # --- not from the report: the front page's locator map ----------------------------------------------------
    dict(
        name="country_outlines",
        title="Outlines of the Netherlands, Germany and Belgium (for the locator map)",
        description="Country outlines at 1:110 million scale, one row per vertex of each polygon, for the front page's locator map. Not from the report.",
        provenance=dict(
            report_location="not from the report (map background)",
            unit="degrees (WGS 84)",
            reference_period="Natural Earth 1:110m",
        ),
        sources=[
            {
                "title": "Natural Earth, Admin 0 - Countries, 1:110m (public domain), as shipped in the low-resolution world dataset of the geopandas 0.14.4 package on PyPI"
            }
        ],
        licenses=[
            {
                "name": "public-domain",
                "title": "Natural Earth: public domain",
                "path": "https://www.naturalearthdata.com/about/terms-of-use/",
            }
        ],
        fields=[
            f("country", "string", "ISO 3166-1 alpha-3 code.", pattern="[A-Z]{3}"),
            f("part", "integer", "Polygon number within the country (1 = first).", minimum=0),
            f("point", "integer", "Vertex number within the polygon, in drawing order.", minimum=0),
            f("lon", "number", "Longitude, degrees east.", minimum=-180, maximum=180),
            f("lat", "number", "Latitude, degrees north.", minimum=-90, maximum=90),
        ],
    ),
    dict(
        name="region_locations",
        title="Where the six study regions lie (for the locator map)",
        description="An approximate position of each study region: the coordinates of a central town, read from a map by this edition's editors. Not from the report; for the locator map only.",
        provenance=dict(
            report_location="not from the report (the regions are those of chapters 3-5)",
            unit="degrees (WGS 84)",
            reference_period="2016",
        ),
        sources=[{"title": "This edition: coordinates of each region's central town, rounded to 0.01 degree"}],
        fields=[
            region(description="Study region id."),
            f("lon", "number", "Longitude of the marker, degrees east.", minimum=-180, maximum=180),
            f("lat", "number", "Latitude of the marker, degrees north.", minimum=-90, maximum=90),
            f("place", "string", "The town whose position is used."),
        ],
    ),
    dict(
        name="nuts_2013_labels",
        title="NUTS 2013 regions: codes and official names (a code list for region files)",
        description="Every region of the NUTS 2013 classification of the EU-28 (levels 0 to 3, extra-regio codes included) with its official name as Eurostat's NUTS code list gives it, in the national language (levels 0 and 1 in capitals, as in the source). Not from the report: `python -m helpers fetch eurostat` names a NUTS 3 region and its country from it, offline.",
        provenance=dict(
            report_location="not from the report (code list for region files)",
            unit="",
            reference_period="NUTS 2013 (in force 2015-2017)",
        ),
        sources=[
            {
                "title": "Eurostat, NUTS 2013 classification, codes and labels; copied from the European Commission's WiFi4EU portal source, github.com/wifi4eu/master, file wifi4eu-procedures/wifi4eu-procedures-web/src/main/resources/nuts.sql (commit 6c6c5a9d624c7dd09a0213744c7e964ab962912e, 2018-07-24): columns code, label, level and country of its INSERT statements, SQL quoting ('') undone, surrounding spaces removed"
            }
        ],
        fields=[
            f(
                "nuts_code",
                "string",
                "NUTS 2013 code (country code, then one character per level).",
                unique=True,
                pattern="[A-Z]{2}[0-9A-Z]{0,3}",
            ),
            f("nuts_level", "integer", "NUTS level: 0 (country) to 3.", enum=[0, 1, 2, 3]),
            f(
                "country",
                "string",
                "The country code the NUTS code starts with (EL for Greece, UK for the United Kingdom).",
                pattern="[A-Z]{2}",
            ),
            f("label", "string", "The official name, as in the source."),
        ],
    ),
    dict(
        name="glossary",
        title="Glossary of the report's institutional and statistical terms, in English, Dutch and German",
        description="One row per term: its English, Dutch and German forms and a short definition in English and in Dutch, with the report's sections that use it and a phrase quoted from the report. The Sphinx extension helpers.sphinx_glossary renders it as the glossary appendix (in the page language) and links the first use of each term on every page to its entry. Definitions are this edition's, written from the report's use of each term and the institutions' own descriptions; COROP, NUTS and the location quotient are not in the report but in this edition.",
        provenance=dict(
            report_location="Introduction, chapters 3-6 and Bijlage 1 (for each term, the sections the glossary file names)",
            unit="",
            reference_period="the report's institutions as of 2016",
        ),
        sources=[
            {
                "title": "J.P. van den Toren & H. Blom, Regionale dynamiek en beroepsonderwijs (NEF 2016): the terms as the report uses them (chapters 3-5 above all); definitions written for this edition"
            }
        ],
        fields=[
            f(
                "term_id",
                "string",
                "Stable id of the term (lower case, ASCII), used by tests and links.",
                unique=True,
                pattern="[a-z0-9_]+",
            ),
            f(
                "term_en",
                "string",
                "The headword in English: the glossary entry's title on an English page.",
                unique=True,
            ),
            f("term_nl", "string", "The headword in Dutch: the glossary entry's title on a Dutch page.", unique=True),
            f("term_de", "string", "The German form (shown beside the definition).", unique=True),
            f(
                "forms_en",
                "string",
                "Further English forms matched in an English page's text (plurals, abbreviations), separated by ';' with no empty form; the headword is always matched.",
                optional=True,
                pattern=FORMS,
            ),
            f(
                "forms_nl",
                "string",
                "Further Dutch forms, matched on a Dutch page and in quotations marked Dutch ([*...*]{.lang-nl}) on any page; separated by ';' with no empty form.",
                optional=True,
                pattern=FORMS,
            ),
            f(
                "forms_de",
                "string",
                "Further German forms, matched in quotations marked German ([*...*]{.lang-de}); separated by ';' with no empty form.",
                optional=True,
                pattern=FORMS,
            ),
            f(
                "definition_en",
                "string",
                "Short definition in English, written for this edition from the report's use of the term.",
            ),
            f("definition_nl", "string", "The same definition in Dutch."),
            f(
                "report_sections",
                "string",
                "Where the report uses the term: section ids of report_sections.csv, ';'-separated; empty for a term the report does not use.",
                optional=True,
                pattern="[a-z0-9_]+(;[a-z0-9_]+)*",
            ),
            f(
                "report_wording",
                "string",
                "A phrase the report writes with the term, verbatim (line breaks as spaces), to find it in the report; empty when the report does not use it.",
                optional=True,
            ),
            f("note", "string", "Where the book uses a term the report does not, or another remark.", optional=True),
        ],
        primary_key=["term_id"],
    ),
    dict(
        name="corop_regions",
        title="The 40 COROP regions of Statistics Netherlands (a code list for region files)",
        description="CBS's COROP regions (NUTS 3 in the Netherlands) with their codes as StatLine's RegioS dimension has them (CR01 to CR40) and their names. StatLine's tables title them '<name> (CR)', e.g. 'Utrecht (CR)' in table 83582NED. Not from the report: `python -m helpers fetch cbs` names a region from it where an answer has no title.",
        provenance=dict(
            report_location="not from the report (code list for region files)",
            unit="",
            reference_period="COROP classification as CBS's 'Gebieden in Nederland' gives it (2024)",
        ),
        sources=[
            {
                "title": "CBS, 'Gebieden in Nederland' (datasets.cbs.nl), as extracted in github.com/woonstadrotterdam/woningwaardering, file woningwaardering/data/corop/corop.generated.csv (commit 39a16cb9261228e16e754c6e92c9e112bd8a969f, 2024-11-13): the distinct pairs of its columns COROP-gebiedcode (prefixed CR) and COROP-gebied"
            }
        ],
        fields=[
            f(
                "corop_code",
                "string",
                "COROP code as in StatLine's RegioS dimension, CR01 to CR40.",
                unique=True,
                pattern="CR(0[1-9]|[1-3][0-9]|40)",
            ),
            f("name", "string", "The region's name, without StatLine's ' (CR)' suffix."),
        ],
    ),
]


def main() -> None:
    resources = []
    for spec in RESOURCES:
        spec = dict(spec)
        fields = spec.pop("fields")
        resources.append(
            {
                "name": spec["name"],
                "path": f"{spec['name']}.csv",
                "profile": "tabular-data-resource",
                "title": spec["title"],
                "description": spec["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "sources": spec["sources"],
                **({"licenses": spec["licenses"]} if "licenses" in spec else {}),
                "provenance": spec["provenance"],
                "schema": {
                    "fields": fields,
                    **({"primaryKey": spec["primary_key"]} if "primary_key" in spec else {}),
                    "missingValues": [""],
                },
            }
        )
    package = {
        "name": "regionale-dynamiek-beroepsonderwijs",
        "title": "Data of the report 'Regionale dynamiek en beroepsonderwijs' (NEF 2016)",
        "description": "Tables and structured facts of the report, transcribed by hand, with provenance per dataset.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0 (transcription); the figures belong to their original sources",
            }
        ],
        "sources": [{"title": REPORT}],
        "resources": resources,
    }
    out = Path(__file__).resolve().parents[1] / "data" / "datapackage.json"
    out.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(resources)} resources to {out}")


if __name__ == "__main__":
    main()
