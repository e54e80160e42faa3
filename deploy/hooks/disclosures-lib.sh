# shellcheck shell=bash
# Shared code of the self-hosting hooks (pre-receive, post-receive) and of
# deploy/rollback and deploy/publish. Installed next to the hooks as
# BARE_REPO/hooks/disclosures-lib.sh by deploy/install-hooks. Sourced, not run.
#
# Settings, read with `git config` in the bare repository (see deploy/README.md):
#   disclosures.liveDir        the symlink the web server serves (required)
#   disclosures.releasesDir    where release folders go (default BARE/releases)
#   disclosures.keepReleases   how many releases to keep (default 5, at least 1)
#   disclosures.branch         the branch that is published (default main)
#   disclosures.siteUrl        SITEURL for publishconf.py (default: none)
#   disclosures.python         the Python that makes the build venv (default python3)
#   disclosures.buildTimeout   seconds a build may take (default 900)
#   disclosures.venvDir        where build venvs are cached (default BARE/disclosures-venvs)
# Environment: DISCLOSURES_VENV=/path/to/venv uses that venv (which must already
# hold everything requirements.txt lists) instead of the cached one.

# shellcheck disable=SC2034 # used by the hooks
DL_ZERO_RE='^0+$'

dl_say() {
	# A message for the person who pushes: git shows hook output as "remote: ...".
	# If they have gone (closed the connection), the work goes on regardless.
	printf '%s\n' "$*" >&2 2>/dev/null || true
}

dl_show() {
	# dl_show FILE N: the last N lines of FILE, indented, for the person who pushes.
	tail -n "$2" -- "$1" 2>/dev/null | sed 's/^/    /' >&2 2>/dev/null || true
}

dl_log() {
	# A message for the person who pushes and for the deploy log.
	dl_say "$*"
	printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${DL_WHO:-hook}" "$*" >>"$DL_BARE/disclosures-deploy.log" 2>/dev/null || true
}

dl_config() {
	# dl_config KEY DEFAULT: a setting of the bare repository.
	local value
	if value=$(git --git-dir="$DL_BARE" config --get "disclosures.$1" 2>/dev/null) && [[ -n $value ]]; then
		printf '%s\n' "$value"
	else
		printf '%s\n' "$2"
	fi
}

dl_init() {
	# dl_init BARE_REPO: read the settings of BARE_REPO.
	DL_BARE=$(cd "$1" && git rev-parse --absolute-git-dir)
	DL_LIVE=$(dl_config liveDir "")
	DL_RELEASES=$(dl_config releasesDir "$DL_BARE/releases")
	DL_KEEP=$(dl_config keepReleases 5)
	if ! [[ $DL_KEEP =~ ^[0-9]+$ ]] || ((DL_KEEP < 1)); then
		dl_say "disclosures.keepReleases=$DL_KEEP is not a whole number >= 1; using 5"
		DL_KEEP=5
	fi
	DL_BRANCH=$(dl_config branch main)
	DL_SITEURL=$(dl_config siteUrl "")
	DL_PYTHON=$(dl_config python python3)
	DL_TIMEOUT=$(dl_config buildTimeout 900)
	DL_VENVS=$(dl_config venvDir "$DL_BARE/disclosures-venvs")
	DL_TMP=""
	DL_WHO=${DL_WHO:-$(basename -- "$0")}
}

dl_tmpdir() {
	# One temporary folder per hook run, removed on exit.
	if [[ -z $DL_TMP ]]; then
		DL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/disclosures.XXXXXXXX")
		trap 'rm -rf -- "$DL_TMP"' EXIT
	fi
}

dl_clean_env() {
	# Run a command without the variables git sets for hooks, so that programs
	# started by the build never act on the bare repository by accident.
	env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_QUARANTINE_PATH \
		-u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \
		-u GIT_PUSH_OPTION_COUNT -u GIT_PROTOCOL "$@"
}

dl_export_tree() {
	# dl_export_tree SHA DIR: the files of commit SHA in DIR. git archive gives
	# every file the commit's time as its modification time, so a build that
	# looks at file times sees the same times on every build of that commit.
	mkdir -p "$2"
	git --git-dir="$DL_BARE" archive --format=tar "$1" | tar -x -C "$2"
}

dl_env_key() {
	# dl_env_key SRC: what the cached build venv depends on: requirements.txt,
	# the build backend pyproject.toml asks for, and the Python version.
	local src=$1
	{
		"$DL_PYTHON" -VV
		echo '--'
		cat "$src/requirements.txt" 2>/dev/null || true
		echo '--'
		dl_build_requires "$src"
	} | sha256sum | cut -c1-16
}

dl_build_requires() {
	# The [build-system] requires of SRC/pyproject.toml, one a line.
	[[ -f $1/pyproject.toml ]] || return 0
	"$DL_PYTHON" - "$1/pyproject.toml" <<'PY'
import sys
try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit(0)
with open(sys.argv[1], "rb") as f:
    data = tomllib.load(f)
for req in data.get("build-system", {}).get("requires", []):
    print(req)
PY
}

dl_base_venv() {
	# dl_base_venv SRC: print the path of a venv holding SRC/requirements.txt
	# (and the build backend), made once per distinct requirements.txt and then
	# reused. DISCLOSURES_VENV, when set, is used as it is.
	local src=$1
	if [[ -n ${DISCLOSURES_VENV:-} ]]; then
		if [[ ! -x $DISCLOSURES_VENV/bin/python ]]; then
			dl_say "DISCLOSURES_VENV=$DISCLOSURES_VENV has no bin/python"
			return 1
		fi
		printf '%s\n' "$DISCLOSURES_VENV"
		return 0
	fi
	local key venv
	key=$(dl_env_key "$src")
	venv=$DL_VENVS/$key
	if [[ -f $venv/.disclosures-ready ]]; then
		printf '%s\n' "$venv"
		return 0
	fi
	mkdir -p "$DL_VENVS"
	(
		# A venv cannot be moved once made, so it is made in place under a
		# lock, and marked ready only at the end.
		exec 8>>"$DL_VENVS/.lock"
		flock 8
		if [[ -f $venv/.disclosures-ready ]]; then
			exit 0
		fi
		dl_say "正在准备构建环境（依赖变化后的首次推送需要几分钟）/ preparing the build environment $key (first push after requirements.txt changed; takes a few minutes)"
		rm -rf -- "$venv"
		local log=$DL_VENVS/$key.log
		local reqs=()
		[[ -f $src/requirements.txt ]] && reqs=(-r "$src/requirements.txt")
		local build_reqs=()
		mapfile -t build_reqs < <(dl_build_requires "$src")
		if ! {
			dl_clean_env "$DL_PYTHON" -m venv "$venv" &&
				dl_clean_env "$venv/bin/python" -m pip install --disable-pip-version-check --no-input \
					"${reqs[@]}" "${build_reqs[@]}" setuptools wheel
		} >"$log" 2>&1; then
			dl_say "构建环境准备失败 / could not prepare the build environment:"
			dl_show "$log" 30
			rm -rf -- "$venv"
			exit 1
		fi
		touch "$venv/.disclosures-ready"
	) || return 1
	printf '%s\n' "$venv"
}

dl_project_venv() {
	# dl_project_venv BASE SRC VENV: make VENV, a light venv that sees every
	# package of BASE and runs the project's code from SRC (the pushed commit),
	# whatever BASE may hold. No build backend is run: the package folders that
	# pyproject.toml declares are put on sys.path first and each [project.scripts]
	# entry gets a small launcher in VENV/bin. That takes a fraction of a second.
	local base=$1 src=$2 venv=$3 base_site
	base_site=$("$base/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
	dl_clean_env "$base/bin/python" -m venv --without-pip "$venv" || return 1
	if ! "$venv/bin/python" - "$src" "$venv" "$base_site" <<'PY'; then
import os
import sys
import sysconfig
import tomllib

src, venv, base_site = sys.argv[1:]
site = sysconfig.get_paths()["purelib"]
# A plain path line: BASE's packages become importable, while BASE's own .pth
# files (say an editable install of some other checkout) are not run.
roots = []
scripts = {}
pyproject = os.path.join(src, "pyproject.toml")
if os.path.exists(pyproject):
    with open(pyproject, "rb") as f:
        data = tomllib.load(f)
    tool = data.get("tool", {}).get("setuptools", {})
    packages = tool.get("packages")
    if isinstance(packages, dict) and "find" in packages:
        roots += packages["find"].get("where", ["."])
    if "" in tool.get("package-dir", {}):
        roots.append(tool["package-dir"][""])
    scripts = data.get("project", {}).get("scripts", {})
if not roots:
    roots = ["src"] if os.path.isdir(os.path.join(src, "src")) else ["."]
lines = [os.path.abspath(os.path.join(src, root)) for root in roots] + [base_site]
with open(os.path.join(site, "zz-disclosures.pth"), "w") as f:
    f.write("".join(line + "\n" for line in lines))
for name, spec in scripts.items():
    module, _, attr = spec.partition(":")
    path = os.path.join(venv, "bin", name)
    with open(path, "w") as f:
        f.write(f"""#!{os.path.join(venv, 'bin', 'python')}
import functools
import importlib
import sys

main = functools.reduce(getattr, {attr.split('.')!r}, importlib.import_module({module!r}))
sys.exit(main())
""")
    os.chmod(path, 0o755)
PY
		dl_say "无法准备本次提交的程序 / could not set up the code of this commit"
		return 1
	fi
}

dl_prepare() {
	# dl_prepare SHA DIR: DIR/src holds the files of SHA, DIR/venv can run them.
	local sha=$1 dir=$2 base
	dl_export_tree "$sha" "$dir/src" || return 1
	base=$(dl_base_venv "$dir/src") || return 1
	dl_project_venv "$base" "$dir/src" "$dir/venv" || return 1
}

dl_release_sha() {
	# The commit a release folder name ends with (NAME = TIME-SHA).
	local name=${1##*/}
	printf '%s\n' "${name##*-}"
}

dl_live_release() {
	# The release folder the live symlink points to, or nothing.
	[[ -n $DL_LIVE && -L $DL_LIVE ]] || return 0
	readlink -- "$DL_LIVE"
}

dl_releases() {
	# The release folders, oldest first (their names start with the time).
	[[ -d $DL_RELEASES ]] || return 0
	find "$DL_RELEASES" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | LC_ALL=C sort
}

dl_lock() {
	# Serialise publishing, rollback and pruning: one at a time, in order.
	exec 9>>"$DL_BARE/disclosures.lock"
	if ! flock -n 9; then
		dl_say "等待另一次发布完成 / waiting for another publish to finish ..."
		flock 9
	fi
}

dl_switch() {
	# dl_switch RELEASE_DIR: point the live symlink at RELEASE_DIR atomically:
	# a new symlink is made beside it and renamed over it (rename(2) replaces
	# the old one in one step, so a reader sees either the old or the new site).
	local target=$1 tmp
	mkdir -p "$(dirname -- "$DL_LIVE")"
	tmp=$(dirname -- "$DL_LIVE")/.$(basename -- "$DL_LIVE").new.$$
	rm -f -- "$tmp"
	ln -s -- "$target" "$tmp"
	mv -T -- "$tmp" "$DL_LIVE"
}

dl_prune() {
	# Keep the newest DL_KEEP releases, and always the live one. Leftover
	# staging folders (from a build that was killed) go too: under the lock no
	# build is running.
	local live names=() n i
	live=$(dl_live_release)
	mapfile -t names < <(dl_releases)
	n=${#names[@]}
	for ((i = 0; i < n - DL_KEEP; i++)); do
		if [[ $DL_RELEASES/${names[i]} != "$live" ]]; then
			rm -rf -- "${DL_RELEASES:?}/${names[i]}"
		fi
	done
	find "$DL_RELEASES" -mindepth 1 -maxdepth 1 -name '.*staging-*' -exec rm -rf -- {} + 2>/dev/null || true
}

dl_publish() {
	# dl_publish auto|force: build the tip of the published branch and make it
	# live (auto: unless it is live already). Takes the lock itself. Returns
	# non-zero when the build failed (the live site is then untouched).
	local force=0
	[[ $1 == force ]] && force=1
	[[ -n $DL_LIVE ]] || {
		dl_say "disclosures.liveDir is not set: run deploy/install-hooks"
		return 1
	}
	dl_lock
	local started sha live live_sha
	started=$(date +%s.%N)
	# Build the branch as it is now, not as it was when this hook started: if
	# pushes A then B came in and B's hook got the lock first, A's hook finds B
	# live and stops, so the site never goes back to an older push.
	if ! sha=$(git --git-dir="$DL_BARE" rev-parse --verify -q "refs/heads/$DL_BRANCH^{commit}"); then
		dl_say "分支 $DL_BRANCH 不存在，无需发布 / no branch $DL_BRANCH, nothing to publish"
		return 0
	fi
	live=$(dl_live_release)
	live_sha=$(dl_release_sha "$live")
	if ((!force)) && [[ -n $live && $live_sha == "${sha:0:12}" && -d $live ]]; then
		dl_say "网站已是最新（${sha:0:12}）/ the site already shows ${sha:0:12}"
		return 0
	fi
	local name staging dir out epoch rc=0
	name="$(date -u +%Y%m%dT%H%M%S.%NZ)-${sha:0:12}"
	staging=$DL_RELEASES/.staging-$name
	mkdir -p "$DL_RELEASES"
	# The same build folder every time (builds hold the lock): the content-hash cache
	# and the page fingerprints name the data by its path, so a fixed path lets a push
	# that changes one file reuse everything else (plugins/disclosures/incremental.py).
	dir=$DL_BARE/disclosures-build
	rm -rf -- "$dir"
	mkdir -p "$dir"
	out=$dir/build.log
	dl_say "正在构建 ${sha:0:12} / building ${sha:0:12} ..."
	if ! dl_prepare "$sha" "$dir"; then
		dl_log "发布失败，网站保持不变 / publish FAILED for ${sha:0:12}: build environment; the live site is unchanged${live:+ (${live##*/})}"
		return 1
	fi
	epoch=$(git --git-dir="$DL_BARE" show -s --format=%ct "$sha")
	local cmd
	if [[ -x $dir/venv/bin/disclosures ]]; then
		cmd=("$dir/venv/bin/disclosures" build --settings publishconf.py --output "$staging")
		# Unchanged pages, downloads and search bundles are linked from the live release.
		if [[ -n $live && -d $live ]]; then cmd+=(--previous "$live"); fi
	else
		cmd=("$dir/venv/bin/python" -m pelican content -s publishconf.py -o "$staging")
	fi
	(
		cd "$dir/src"
		export SOURCE_DATE_EPOCH=$epoch DISCLOSURES_COMMIT=$sha
		export DISCLOSURES_CACHE_PATH=$DL_BARE/disclosures-cache
		if [[ -n $DL_SITEURL ]]; then export SITEURL=$DL_SITEURL; fi
		dl_clean_env timeout "$DL_TIMEOUT" "${cmd[@]}"
	) >"$out" 2>&1 || rc=$?
	if ((rc == 0)) && [[ ! -s $staging/index.html ]]; then
		echo "the build finished but wrote no index.html into the release folder" >>"$out"
		rc=1
	fi
	if ((rc != 0)); then
		((rc == 124)) && echo "the build took longer than disclosures.buildTimeout=${DL_TIMEOUT}s" >>"$out"
		rm -rf -- "$staging"
		dl_say "构建失败（退出码 $rc），最后的输出 / the build failed (exit $rc); its last lines:"
		dl_show "$out" 40
		dl_log "发布失败，网站保持不变 / publish FAILED for ${sha:0:12}; the live site is unchanged${live:+ (${live##*/})}. Fix and push again."
		return 1
	fi
	mv -T -- "$staging" "$DL_RELEASES/$name"
	dl_switch "$DL_RELEASES/$name"
	dl_show "$out" 1 # the build's summary: files written, pages reused, seconds
	dl_prune
	local took
	took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	dl_log "已发布 / published ${sha:0:12} as $name in ${took}s -> $DL_LIVE"
}
