"""Icon fonts cut to the icons the pages use (textbook.publish.assets)."""

import os

from fontTools.ttLib import TTFont

from textbook.publish import assets


def test_code_points_come_from_the_theme_stylesheet_with_aliases():
    css = '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-xmark{--fa:"\\f00d"}.fa-lg{font-size:1.25em}'
    assert assets.icon_code_points(css) == {"fa-bars": 0xF0C9, "fa-navicon": 0xF0C9, "fa-xmark": 0xF00D}


def test_a_rebuild_reads_only_the_pages_it_wrote(tmp_path):
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_text('<i class="fa-solid fa-bars"></i>')
    new.write_text('<i class="fa-solid fa-moon"></i>')
    os.utime(old, (1_000, 1_000))
    assert assets.used_icon_classes(tmp_path) == {"fa-solid", "fa-bars", "fa-moon"}
    assert assets.used_icon_classes(tmp_path, since=2_000) == {"fa-solid", "fa-moon"}


def test_the_cut_font_holds_exactly_the_icons_asked_for(tmp_path):
    source = assets._theme_font_dir() / "fa-solid-900.woff2"
    target = tmp_path / "fa-solid-900.woff2"
    wanted = {0xF0C9, 0xF00D}
    assets.subset_font(source, target, wanted, tmp_path / "cache")
    assert set(TTFont(target).getBestCmap()) == wanted
    assert target.stat().st_size < source.stat().st_size / 20
    # a second cut with the same icons comes from the cache
    cached = list((tmp_path / "cache").iterdir())
    assets.subset_font(source, target, wanted, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == cached
