"""The region registry: ids, aliases, NUTS codes, references and pairings."""

import pytest

from helpers import regions


@pytest.mark.parametrize(
    "alias, expected",
    [
        ("Vierkant voor Werk", "zo-drenthe"),
        ("zuidoost drenthe", "zo-drenthe"),
        ("ZO Drenthe", "zo-drenthe"),
        ("Rijnmond", "groot-rijnmond"),
        ("GROOT RIJNMOND", "groot-rijnmond"),
        ("Brainport", "zo-brabant"),
        ("ZO Brabant", "zo-brabant"),
        ("Zuidoost-Noord-Brabant", "zo-brabant"),
        ("Landkreis Emsland", "emsland"),
        ("Duitsland", "de"),
        ("twente", "twente"),
    ],
)
def test_resolve_accepts_report_aliases(alias, expected):
    assert regions.resolve(alias) == expected


def test_unknown_region_lists_valid_ids():
    with pytest.raises(regions.UnknownRegionError) as err:
        regions.resolve("Limburg")
    msg = str(err.value)
    assert "'Limburg'" in msg
    for rid in regions.ALL_AREAS:
        assert rid in msg


def test_non_string_region_is_rejected():
    with pytest.raises(regions.UnknownRegionError, match="must be a string"):
        regions.resolve(3)


def test_references_and_countries():
    assert [regions.reference_of(r) for r in regions.STUDY_REGIONS] == ["nl", "nl", "nl", "nl", "de", "de"]
    assert regions.reference_of("nl") == "nl"


def test_groot_rijnmond_nuts_code_changed_between_versions():
    rijnmond = regions.get("groot-rijnmond")
    # NL335 in NUTS 2010, NL339 in NUTS 2013 (Eurostat's NUTS 2013 list, data/nuts_2013_labels.csv), NL33C in 2016
    assert rijnmond.nuts["2010"] == "NL335" and rijnmond.nuts["2013"] == "NL339" and rijnmond.nuts["2016"] == "NL33C"
    assert rijnmond.nuts_code == "NL339"


def test_pairings_are_symmetric_and_as_in_the_report():
    assert regions.peer_of("emsland") == "zo-drenthe" and regions.peer_of("zo-drenthe") == "emsland"
    assert regions.peer_of("bremen") == "groot-rijnmond" and regions.peer_of("groot-rijnmond") == "bremen"
    # chapter 5: Emsland "qua ligging in de periferie van het land", Bremen "rond de haven" like Rijnmond
    assert ("emsland", "zo-drenthe", "both in the periphery of their country") in regions.PAIRINGS


def test_vierkant_voor_werk_delimitation_is_documented():
    note = regions.get("zo-drenthe").delimitation
    for municipality in ["Emmen", "Hoogeveen", "Coevorden", "Hardenberg"]:
        assert municipality in note
