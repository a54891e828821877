from meetings import catalogue, geo


def site(request) -> dict:
    return {
        # Is this sample data? Kept with the lists every search reads (meetings.catalogue).
        "demo_data": catalogue.current().demo_data,
        # The footer is kept rendered per language and release (templates/base.html).
        "codepoint_year": geo.release_year(),
    }
