"""Checks the SSO Console package as a user gets it, after scripts/test-all.sh installed the .deb
with apt: the package is installed at the workspace's version; it put the app, ssoctl, the
desktop entry and every icon size in place; the installed ssoctl prints the version; every
library the two binaries link is found and comes from a package that the declared dependencies
pull in (so `apt install ./sso-console_….deb` on a fresh machine brings all of them); and the
.rpm built beside it holds the same binaries and declares its dependencies.

Usage: python3 tests/package/check_installed.py BUNDLE_DIR   (…/target/release/bundle)
Prints one line a check and a closing "N passed, N failed"; exits 1 when any check failed.
"""

import glob
import os
import re
import subprocess
import sys
import tomllib

PACKAGE = "sso-console"
APP = "/usr/bin/sso-console"
SSOCTL = "/usr/bin/ssoctl"
# The bundler files the 128x128@2x icon (256 pixels) under hicolor's "256x256@2".
ICON_SIZES = ["32x32", "64x64", "128x128", "256x256@2", "512x512"]
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

results = []


def check(name, ok, detail=""):
    results.append(ok)
    line = f"{'ok' if ok else 'FAILED'}: {name}"
    print(line + (f" ({detail})" if detail else ""))


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def workspace_version():
    with open(os.path.join(REPO, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def installed_files():
    return set(run("dpkg-query", "-L", PACKAGE).stdout.split("\n"))


def declared_dependencies():
    """The first alternative of each Depends entry ("a (>= 1) | b" gives a)."""
    depends = run("dpkg-query", "-W", "-f=${Depends}", PACKAGE).stdout
    names = []
    for entry in filter(None, (e.strip() for e in depends.split(","))):
        names.append(re.split(r"[\s(|]", entry, maxsplit=1)[0])
    return names


def dependency_closure(names):
    """Every package that installing `names` brings in (hard dependencies only)."""
    out = run("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
              "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *names).stdout
    closure = set(names)
    for line in out.splitlines():
        if line and not line[0].isspace() and not line.startswith("<"):
            closure.add(line.split(":")[0])
        match = re.match(r"\s+\|?(?:Pre)?Depends: (\S+)", line)
        if match and not match.group(1).startswith("<"):
            closure.add(match.group(1).split(":")[0])
    return closure


def owner(path):
    """The package that installed `path`, trying the merged-/usr spellings of it too."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):
        if p.startswith("/usr/lib/"):
            candidates.append(p[len("/usr"):])
        elif p.startswith("/lib"):
            candidates.append("/usr" + p)
    for candidate in candidates:
        out = run("dpkg-query", "-S", candidate)
        if out.returncode == 0:
            return out.stdout.split(":")[0].split(",")[0].strip()
    return None


def linked_libraries(binary):
    """(name, resolved path or None) for each library `binary` needs."""
    libs = []
    for line in run("ldd", binary).stdout.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
        if match:
            libs.append((match.group(1), match.group(3)))
        elif line.strip().startswith("/"):
            libs.append((os.path.basename(line.split()[0]), line.split()[0]))
    return libs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bundle = sys.argv[1]
    version = workspace_version()

    status = run("dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE).stdout
    check(f"{PACKAGE} {version} is installed", status == f"install ok installed {version}", status)

    files = installed_files()
    for path in (APP, SSOCTL):
        check(f"{path} is installed and runs", path in files and os.access(path, os.X_OK))
    desktop = [f for f in files if f.startswith("/usr/share/applications/") and f.endswith(".desktop")]
    entry = open(desktop[0], encoding="utf-8").read() if desktop else ""
    check("a desktop entry starts the app", re.search(r"^Exec=sso-console\b", entry, re.M) is not None,
          desktop[0] if desktop else "none")
    check("the desktop entry files it under Development",
          re.search(r"^Categories=.*Development", entry, re.M) is not None)
    missing_icons = [s for s in ICON_SIZES
                     if f"/usr/share/icons/hicolor/{s}/apps/{PACKAGE}.png" not in files]
    check("every icon size is installed", not missing_icons, f"missing: {missing_icons}" if missing_icons else "")
    font_licence = "/usr/share/doc/sso-console/LICENSE-DejaVu.txt"
    check("the licence of the font that draws placeholder logos is installed",
          font_licence in files and "Bitstream" in open(font_licence, encoding="utf-8").read())

    out = run(SSOCTL, "--version")
    check("the installed ssoctl --version prints the workspace version",
          out.returncode == 0 and out.stdout.startswith(f"ssoctl {version} (commit "), out.stdout.strip())

    declared = declared_dependencies()
    closure = dependency_closure(declared)
    check("the package declares its runtime dependencies",
          "libwebkit2gtk-4.1-0" in declared and "libgtk-3-0" in declared, ", ".join(declared))
    for binary in (APP, SSOCTL):
        libs = linked_libraries(binary)
        not_found = [name for name, path in libs if path is None]
        check(f"every library {binary} links is found", not not_found, ", ".join(not_found))
        uncovered = sorted({f"{name} ({owner(path) or 'no package'})" for name, path in libs
                            if path and owner(path) not in closure})
        check(f"the declared dependencies bring every library {binary} links ({len(libs)})",
              not uncovered, ", ".join(uncovered))

    rpms = glob.glob(os.path.join(bundle, "rpm", "*.rpm"))
    check("one .rpm was built", len(rpms) == 1, ", ".join(rpms))
    if rpms:
        info = run("rpm", "-qp", "--queryformat", "%{NAME} %{VERSION}", rpms[0]).stdout
        check("the .rpm has the package's name and version", info == f"{PACKAGE} {version}", info)
        listed = set(run("rpm", "-qlp", rpms[0]).stdout.split("\n"))
        check("the .rpm holds the app and ssoctl", {APP, SSOCTL} <= listed)
        requires = run("rpm", "-qRp", rpms[0]).stdout
        check("the .rpm requires WebKitGTK, GTK and D-Bus by library name",
              all(lib in requires for lib in ("libwebkit2gtk-4.1.so.0", "libgtk-3.so.0", "libdbus-1.so.3")),
              ", ".join(requires.split()))

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
