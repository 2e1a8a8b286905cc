"""The digests of static files: the file's content, recomputed only when the file changes."""

import hashlib
import os

from directory.static_files import Digests


def test_a_digest_is_the_start_of_the_files_sha256(tmp_path):
    (tmp_path / "site.css").write_bytes(b"body { color: black }")
    expected = hashlib.sha256(b"body { color: black }").hexdigest()[:12]
    assert Digests(str(tmp_path)).of("site.css") == expected


def test_an_edited_file_gets_a_new_digest_without_a_restart(tmp_path):
    css = tmp_path / "site.css"
    css.write_bytes(b"a {}")
    os.utime(css, ns=(0, 0))
    digests = Digests(str(tmp_path))
    before = digests.of("site.css")
    css.write_bytes(b"a { color: red }")
    # The same modification time as before: the size alone tells the new version.
    os.utime(css, ns=(0, 0))
    assert digests.of("site.css") == hashlib.sha256(b"a { color: red }").hexdigest()[:12]
    assert digests.of("site.css") != before


def test_no_digest_for_a_missing_file_or_one_out_of_the_folder(tmp_path):
    (tmp_path / "secret.txt").write_text("no")
    folder = tmp_path / "static"
    folder.mkdir()
    digests = Digests(str(folder))
    assert digests.of("missing.css") is None
    assert digests.of("../secret.txt") is None


def test_a_stylesheet_is_served_by_its_current_minified_copy_only(tmp_path):
    from tools import minify_css

    css = tmp_path / "css" / "site.css"
    css.parent.mkdir()
    css.write_bytes(b"a  >  b { color : red }\n")
    digests = Digests(str(tmp_path))
    assert digests.served("css/site.css") == "css/site.css"
    assert minify_css.build(tmp_path) == [tmp_path / "css" / "site.min.css"]
    assert digests.served("css/site.css") == "css/site.min.css"
    first = digests.of("css/site.min.css")
    # The source edited: the copy made from the old source is no longer linked...
    css.write_bytes(b"a > b { color: blue }\n")
    assert digests.served("css/site.css") == "css/site.css"
    # ...until it is rebuilt, under a new digest.
    assert minify_css.build(tmp_path) == [tmp_path / "css" / "site.min.css"]
    assert digests.served("css/site.css") == "css/site.min.css"
    assert digests.of("css/site.min.css") not in (None, first)
    assert (tmp_path / "css" / "site.min.css").read_text().endswith("a>b{color:blue}\n")
    # Built again from the same source: nothing written.
    assert minify_css.build(tmp_path) == []


def test_only_stylesheet_sources_have_minified_copies(tmp_path):
    (tmp_path / "search.js").write_text("let a = 1;")
    (tmp_path / "site.min.css").write_text("a{}")
    digests = Digests(str(tmp_path))
    assert digests.served("search.js") == "search.js"
    assert digests.served("site.min.css") == "site.min.css"
    assert digests.served("missing.css") == "missing.css"
