# Shared by bin/start and bin/test: a project virtual environment with the package installed.
# Re-installs only when pyproject.toml changes, so starting the course again is quick.

find_python() {
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  local found
  found="$( (python3 --version || python --version) 2>/dev/null | head -n1)"
  echo "RepairLab needs Python 3.11 (this computer has ${found:-no Python 3}): install it from" \
       "https://www.python.org/downloads/ (macOS), with 'sudo apt install python3.11-venv' (Debian and" \
       "Ubuntu; on Ubuntu first 'sudo add-apt-repository ppa:deadsnakes/ppa'), or with conda" \
       "('conda env create -f environment.yml'), then run this again." >&2
  return 1
}

ensure_env() {  # $1: pip extras, e.g. "[test]" or ""
  local extras="$1" stamp=".venv/.repairlab-installed" hash have=""
  hash="$(sha256sum pyproject.toml | cut -c1-16)"
  [ -f "$stamp" ] && have="$(cat "$stamp")"
  if [ ! -x .venv/bin/python ]; then
    local python
    python="$(find_python)" || return 1
    "$python" -m venv .venv || return 1
  fi
  # the test extras include everything the course needs, so either stamp will do for bin/start
  if [ "$have" != "$hash$extras" ] && [ "$have" != "$hash[test]" ] && [ "$have" != "$hash[test,hub]" ]; then
    echo "Setting up the course (the first time, or after an update: a few minutes) ..."
    # pip's and setuptools' own messages go to a log, shown only if the set-up fails
    if ! { .venv/bin/python -m pip install --quiet --upgrade pip &&
           .venv/bin/python -m pip install --quiet -e ".${extras}"; } >.venv/install.log 2>&1; then
      echo "Setting up the course failed. The last lines of .venv/install.log:" >&2
      grep -v "^WARNING: Location" .venv/install.log | tail -n 15 >&2
      return 1
    fi
    echo "$hash$extras" > "$stamp"
  fi
  export PATH="$PWD/.venv/bin:$PATH"
}

install_debian_package() {  # $1: a Debian package
  echo "Installing Debian's $1 ..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
}

ensure_debian_package() {  # $1: command that must exist, $2: the Debian package that provides it
  command -v "$1" >/dev/null 2>&1 || install_debian_package "$2"
}

ensure_bubblewrap() {  # grading runs each trainee's kernel in a bubblewrap sandbox
  ensure_debian_package bwrap bubblewrap
}

ensure_chromium() {  # the browser tests use Debian's chromium, driven by Playwright from PyPI
  ensure_debian_package chromium chromium
}

ensure_debian_file() {  # $1: a file (glob) that must exist, $2: the Debian package that provides it
  compgen -G "$1" >/dev/null || install_debian_package "$2"
}

ensure_hub_tools() {  # the JupyterHub cohort tests: a world-readable Python for the hub's environment,
  # PostgreSQL for the gradebook, Node.js and npm for configurable-http-proxy (JupyterHub's proxy)
  ensure_debian_file "/usr/lib/python3.11/ensurepip/__init__.py" python3.11-venv
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    # only the server's programs: the tests start their own server; no system cluster on port 5432
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    install_debian_package postgresql-common
    $sudo sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
    install_debian_package postgresql
  fi
  ensure_debian_package node nodejs
  ensure_debian_package npm npm
  if ! command -v configurable-http-proxy >/dev/null 2>&1; then
    echo "Installing configurable-http-proxy from npm ..."
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo npm install --global --silent configurable-http-proxy >/dev/null
  fi
}
