"""Write the data's reader-facing texts as a gettext template and update each language's catalogue from it
(``make catalogues-data``): new texts get an empty translation, changed ones are marked fuzzy (not shown until a
translator checks them), translations of texts that are gone become obsolete."""

from __future__ import annotations

from babel.messages.pofile import read_po, write_po

from helpers import i18n


def main() -> None:
    template = i18n.data_template()
    for language in i18n.LANGUAGES:
        if language == i18n.DEFAULT:
            continue
        target = i18n.catalogue_path(language, i18n.DATA_DOMAIN)
        if target.exists():
            with target.open("rb") as fh:
                catalogue = read_po(fh, locale=language, domain=i18n.DATA_DOMAIN)
            catalogue.update(template)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            catalogue = template
            catalogue.locale = language
        with target.open("wb") as fh:
            write_po(fh, catalogue, width=120, omit_header=False, ignore_obsolete=False)
        print(
            f"{target}: {len(catalogue)} messages, "
            f"{sum(1 for m in catalogue if m.id and not m.string)} without a translation"
        )


if __name__ == "__main__":
    main()
