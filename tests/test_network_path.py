"""A database file on a network folder is told apart from one on a local disk
(app/network_path.py): the mount that holds it by /proc/mounts on Linux, a UNC path on
Windows."""

from __future__ import annotations

import pytest

from app.network_path import mount_fstype, network_filesystem

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
server:/export/office /mnt/office nfs4 rw,relatime,vers=4.2 0 0
//nas/Dane\\040firmy /media/Dane\\040firmy cifs rw,relatime,vers=3.0 0 0
/dev/sdb1 /mnt/office/local ext4 rw,relatime 0 0
nas:/home /home/anna/nas fuse.sshfs rw,nosuid,nodev 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/home/anna/clientcare.sqlite", None),
    ("/tmp/x.sqlite", None),
    ("/mnt/office/clientcare.sqlite", "nfs4"),
    ("/mnt/office/sub/deeper/clientcare.sqlite", "nfs4"),
    ("/mnt/office/local/clientcare.sqlite", None),  # a local disk mounted inside it
    ("/mnt/officer/clientcare.sqlite", None),  # a name that only starts like it
    ("/media/Dane firmy/klienci.sqlite", "cifs"),  # a space, as /proc/mounts escapes it
    ("/home/anna/nas/clientcare.sqlite", "fuse.sshfs"),
])
def test_linux_mounts(path, kind):
    assert network_filesystem(path, mounts=MOUNTS, platform="linux") == kind


def test_the_mount_that_holds_a_path():
    assert mount_fstype("/proc/self", MOUNTS) == "proc"
    assert mount_fstype("/", MOUNTS) == "ext4"
    assert mount_fstype("/mnt/office", MOUNTS) == "nfs4"


@pytest.mark.parametrize("path, kind", [
    ("\\\\server\\share\\clientcare.sqlite", "UNC"),
    ("//server/share/clientcare.sqlite", "UNC"),
])
def test_windows_unc_paths(path, kind):
    assert network_filesystem(path, platform="win32") == kind
    assert network_filesystem(path, platform="linux") == kind  # a UNC path anywhere


def test_a_local_windows_path_is_not_a_network_one_here():
    assert network_filesystem("C:\\Users\\anna\\clientcare.sqlite", platform="win32") is None


def test_this_machines_temporary_folder_is_local(tmp_path):
    assert network_filesystem(tmp_path / "x.sqlite") is None


def test_other_systems_are_not_guessed():
    assert network_filesystem("/Volumes/office/x.sqlite", mounts=MOUNTS, platform="darwin") \
        is None
