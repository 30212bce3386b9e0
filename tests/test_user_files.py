"""Files a user names: special files, link loops and oversized files are refused with one line, before a byte is
read and without waiting (issue: hostile and careless input)."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from helpers import params, region_file, user_files
from helpers.region_file import RegionFileError
from tests.test_region_file import section_rows, write_rows


def refused(call, error=user_files.UserFileError) -> str:
    """The one-line message ``call`` fails with, within a few seconds (a named pipe must not block)."""
    result: list = []

    def run() -> None:
        try:
            call()
        except error as exc:
            result.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported below as the wrong exception
            result.append(exc)
        else:
            result.append(None)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result, "still waiting after 10 s"
    assert isinstance(result[0], str), f"expected {error.__name__}, got {result[0]!r}"
    assert "\n" not in result[0]
    return result[0]


@pytest.fixture
def specials(tmp_path):
    """A named pipe, a socket, a loop of two symbolic links, a folder and a dangling link."""
    pipe = tmp_path / "answers.csv"
    os.mkfifo(pipe)
    sock_path = tmp_path / "s.csv"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    (tmp_path / "loop-a.csv").symlink_to(tmp_path / "loop-b.csv")
    (tmp_path / "loop-b.csv").symlink_to(tmp_path / "loop-a.csv")
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    (tmp_path / "folder.csv").mkdir()
    yield {
        "pipe": pipe,
        "socket": sock_path,
        "loop": tmp_path / "loop-a.csv",
        "folder": tmp_path / "folder.csv",
        "dangling": tmp_path / "dangling.csv",
    }
    sock.close()


@pytest.mark.parametrize(
    "name, words",
    [
        ("pipe", "a named pipe"),
        ("socket", "a socket"),
        ("loop", "loop of symbolic links"),
        ("folder", "is a folder"),
        ("dangling", "file not found"),
    ],
)
def test_a_special_path_is_named_with_what_it_is(specials, name, words):
    message = refused(lambda: user_files.read_bytes(specials[name], "a region file (CSV)"))
    assert message.startswith(str(specials[name]) + ":")
    assert words in message and "expected a region file (CSV)" in message
    assert words in refused(lambda: user_files.check_file(specials[name], "a region file (CSV)"))


def test_a_character_device_is_refused_without_reading_it():
    message = refused(lambda: user_files.read_bytes("/dev/zero", "a cohort file", kind="cohort file"))
    assert message == "/dev/zero: is a character device, not a regular file; expected a cohort file"


def test_a_file_over_its_kinds_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(user_files.LIMITS["region file"] + 1)  # sparse: nothing written
    message = refused(lambda: user_files.read_bytes(big, "a region file (CSV)", kind="region file"))
    assert "1.0 MB, more than the 1.0 MB a region file (CSV) may have" in message
    assert user_files.read_bytes(big, "a cohort file", kind="cohort file") == bytes(big.stat().st_size)


def test_a_limit_is_exact(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * 10)
    assert user_files.read_bytes(path, "a file", limit=10) == b"x" * 10
    assert "more than the 0 kB" in refused(lambda: user_files.read_bytes(path, "a file", limit=9))


def test_the_error_class_is_the_callers(specials):
    assert "a named pipe" in refused(
        lambda: user_files.read_bytes(specials["pipe"], "x", error=RegionFileError), RegionFileError
    )


@pytest.mark.parametrize("name", ["pipe", "socket", "loop", "folder"])
def test_a_region_file_that_is_a_special_path_is_one_line(specials, name):
    message = refused(lambda: region_file.load(specials[name], register=False), RegionFileError)
    assert str(specials[name]) in message and "expected a region file (CSV)" in message
    message = refused(lambda: region_file.region_files(specials[name]), RegionFileError)
    assert str(specials[name]) in message


def test_a_sidecar_that_is_a_named_pipe_is_one_line(tmp_path):
    path = write_rows(tmp_path, section_rows(), provenance=None)
    os.mkfifo(region_file.provenance_path(path))
    message = refused(lambda: region_file.load(path, register=False), RegionFileError)
    assert "provenance.json: is a named pipe" in message


@pytest.mark.parametrize("name", ["pipe", "socket", "loop", "folder", "dangling"])
def test_a_cohort_path_that_is_a_special_path_stops_at_validation(specials, name):
    message = refused(lambda: params.coerce("cohort_path", str(specials[name])), params.ParameterError)
    assert message.startswith("parameter 'cohort_path': ") and str(specials[name]) in message


def test_a_cohort_path_of_dev_zero_stops_at_validation():
    message = refused(lambda: params.coerce("cohort_path", "/dev/zero"), params.ParameterError)
    assert "is a character device, not a regular file" in message


@pytest.mark.processes
def test_the_cli_names_a_looping_region_file_in_one_line(specials, capsys):
    from regbook import cli

    assert cli.main(["build", "--region-file", str(specials["loop"]), "--no-wait"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "loop of symbolic links" in err and "Traceback" not in err
