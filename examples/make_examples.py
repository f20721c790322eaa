"""Recreate examples/: famous public-domain paintings as example styles, and two CC0 example photos.

    python examples/make_examples.py            # the paintings, from ../shared/images/styles
    pip install scikit-image && python examples/make_examples.py --photos   # also the photos

Paintings: each artist died before 1955 and each work was published before 1930 (public domain where
copyright lasts for the author's life plus 70 years, and in the US). The sources are plain photographic
reproductions listed in ../shared/images/SOURCES.md; this script downsizes each to at most 512 px on
the long side and re-encodes it as JPEG, and writes styles/paintings.json (title and artist, which the
page shows) and the table in README.md. Photos: coffee (Rachel Michetti) and cat "Chelsea" (Stefan van
der Walt), CC0 per scikit-image's data docstrings, resized and re-encoded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
SHARED_STYLES = HERE.parent.parent / "shared" / "images" / "styles"
LONG_SIDE = 512
README_START, README_END = "<!-- paintings: made by make_examples.py -->", "<!-- end of paintings -->"

# file in ../shared/images/styles, title, artist (death year), year of the work
PAINTINGS = [
    ("vangogh_starry_night.jpg", "The Starry Night", "Vincent van Gogh (d. 1890)", "1889"),
    ("hokusai_great_wave.jpg", "The Great Wave off Kanagawa", "Katsushika Hokusai (d. 1849)", "c. 1831"),
    ("turner_wreck_of_a_transport_ship.jpg", "The Wreck of a Transport Ship", "J. M. W. Turner (d. 1851)", "c. 1810"),
    ("monet_cliff_walk_at_pourville.jpg", "The Cliff Walk at Pourville", "Claude Monet (d. 1926)", "1882"),
    ("kandinsky_composition_vii.jpg", "Composition VII", "Wassily Kandinsky (d. 1944)", "1913"),
    ("matisse_woman_with_a_hat.jpg", "Woman with a Hat", "Henri Matisse (d. 1954)", "1905"),
    ("picabia_udnie.jpg", "Udnie", "Francis Picabia (d. 1953)", "1913"),
]


def save_paintings() -> list[dict[str, str]]:
    (HERE / "styles").mkdir(exist_ok=True)
    catalogue = []
    for source, title, artist, year in PAINTINGS:
        image = Image.open(SHARED_STYLES / source).convert("RGB")
        image.thumbnail((LONG_SIDE - 1, LONG_SIDE - 1), Image.Resampling.LANCZOS)  # below 512: never the same bytes
        image.save(HERE / "styles" / source, quality=88, optimize=True)
        catalogue.append({"file": source, "title": title, "artist": artist, "year": year, "source": source})
    (HERE / "styles" / "paintings.json").write_text(json.dumps(catalogue, indent=1) + "\n")
    return catalogue


def write_readme_table(catalogue: list[dict[str, str]]) -> None:
    rows = [
        "| file | work | source, before resizing | licence |",
        "|---|---|---|---|",
        *(
            f"| styles/{p['file']} | {p['artist']}, *{p['title']}*, {p['year']} | "
            f"../shared/images/styles/{p['source']} (see SOURCES.md there) | public domain |"
            for p in catalogue
        ),
    ]
    readme = HERE / "README.md"
    text = readme.read_text()
    before, _, rest = text.partition(README_START)
    _, _, after = rest.partition(README_END)
    readme.write_text(before + README_START + "\n" + "\n".join(rows) + "\n" + README_END + after)


def save_photos() -> None:
    from skimage import data

    (HERE / "contents").mkdir(exist_ok=True)
    for name, array in (("coffee", data.coffee()), ("cat", data.chelsea())):
        image = Image.fromarray(array)
        image.thumbnail((480, 480), Image.Resampling.LANCZOS)
        image.save(HERE / "contents" / f"{name}.jpg", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", action="store_true", help="also remake the photos (needs scikit-image)")
    args = parser.parse_args()
    write_readme_table(save_paintings())
    if args.photos:
        save_photos()


if __name__ == "__main__":
    main()
