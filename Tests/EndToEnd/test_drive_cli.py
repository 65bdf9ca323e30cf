"""`hearth drive put/get/ls/rm`: the CLI works on the data directory while a node serves it."""
import hashlib
import json
import os
import subprocess

from conftest import HEARTH_BIN, run_cli


def data_args(node):
    return ("--data", str(node.data_dir))


def test_put_get_ls_rm_round_trip_next_to_a_running_node(node_factory, tmp_path):
    node = node_factory()
    collection = node.create_collection()
    content = os.urandom(30 * 1024 * 1024 + 7)
    local = tmp_path / "movie.mp4"
    local.write_bytes(content)

    put = run_cli("drive", "put", collection.name, "media", str(local), "--json", *data_args(node))
    assert put.returncode == 0, put.stderr
    stored = json.loads(put.stdout)
    assert stored["name"] == "movie.mp4"
    assert stored["size"] == len(content)
    assert stored["content_type"] == "video/mp4"
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()

    # The running node serves what the CLI stored, ranges included.
    drive = node.drive(collection, "media")
    ranged = drive.get("movie.mp4", range="bytes=1000-1999")
    assert ranged.status_code == 206 and ranged.content == content[1000:2000]

    listing = run_cli("drive", "ls", collection.project_id, "media", "--json", *data_args(node))
    assert listing.returncode == 0, listing.stderr
    assert [f["name"] for f in json.loads(listing.stdout)] == ["movie.mp4"]
    table = run_cli("drive", "ls", collection.name, "media", *data_args(node))
    assert "movie.mp4" in table.stdout and "31.5 MB" in table.stdout, table.stdout

    out = tmp_path / "back.mp4"
    got = run_cli("drive", "get", collection.name, "media", "movie.mp4", "-o", str(out), *data_args(node))
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == content
    assert not (tmp_path / "back.mp4.hearth-partial").exists()

    to_stdout = subprocess.run([HEARTH_BIN, "drive", "get", collection.name, "media", "movie.mp4", *data_args(node)],
                               capture_output=True, timeout=60)
    assert to_stdout.returncode == 0 and to_stdout.stdout == content

    removed = run_cli("drive", "rm", collection.name, "media", "movie.mp4", *data_args(node))
    assert removed.returncode == 0 and "Deleted movie.mp4" in removed.stdout
    assert drive.get("movie.mp4").status_code == 404
    assert node.blob_files(collection) == set()


def test_cli_errors_are_one_clear_line_and_change_nothing(node_factory, tmp_path):
    node = node_factory()
    collection = node.create_collection()
    local = tmp_path / "a.txt"
    local.write_text("hello")

    missing_collection = run_cli("drive", "put", "nope", "docs", str(local), *data_args(node))
    assert missing_collection.returncode == 1 and missing_collection.stderr.startswith("error: "), missing_collection.stderr

    bad_name = run_cli("drive", "put", collection.name, "docs", str(local), "--name", "dir/", *data_args(node))
    assert bad_name.returncode == 1 and "ends with '/'" in bad_name.stderr, bad_name.stderr

    missing_file = run_cli("drive", "get", collection.name, "docs", "absent.txt", "-o", str(tmp_path / "x"), *data_args(node))
    assert missing_file.returncode == 1 and "No file named 'absent.txt'" in missing_file.stderr, missing_file.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.hearth-partial").exists()

    invalid_rm = run_cli("drive", "rm", collection.name, "docs", "  ", *data_args(node))
    assert invalid_rm.returncode == 1 and invalid_rm.stderr.startswith("error: "), invalid_rm.stderr

    assert node.drive(collection, "docs").list().json() == {"names": []}
    assert node.blob_files(collection) == set()


def test_drive_help_names_every_command():
    result = run_cli("drive", "--help")
    assert result.returncode == 0, result.stderr
    for command in ("put", "get", "ls", "rm"):
        assert command in result.stdout, result.stdout
