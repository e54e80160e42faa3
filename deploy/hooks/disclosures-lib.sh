# shellcheck shell=bash
# Shared code of the self-hosting hooks (pre-receive, post-receive) and of
# deploy/rollback and deploy/publish. Installed next to the hooks as
# BARE_REPO/hooks/disclosures-lib.sh by deploy/install-hooks. Sourced, not run.
#
# The trust boundary (docs/security.md): nothing from a push is run. Checks and builds use
# the trusted copy that deploy/install-hooks installed from the operator's checkout
# (disclosures.trusted = BARE/disclosures-trusted/<commit>: src/ and venv/); a push only
# supplies the files under data/ and content/, exported blob by blob as committed.
#
# Settings, read with `git config` in the bare repository (see deploy/README.md):
#   disclosures.liveDir            the symlink the web server serves (required)
#   disclosures.releasesDir        where release folders go (default BARE/releases)
#   disclosures.keepReleases       how many releases to keep (default 5, at least 1)
#   disclosures.releaseStore       true: releases share their unchanged folders through
#                                  RELEASES/.store (plugins/disclosures/store.py); false: each
#                                  release is a whole tree of hard links (default true)
#   disclosures.branch             the branch that is published (default main)
#   disclosures.siteUrl            SITEURL for publishconf.py: the absolute public address
#   disclosures.preview            true: no siteUrl yet, build previews (default false; without
#                                  either a build refuses: plugins/disclosures/siteurl.py)
#   disclosures.trusted            the trusted copy (set by install-hooks)
#   disclosures.editablePaths      what a push may change (default "data/ content/")
#   disclosures.allowCodePushes    true: maintainers may push other paths too (default false)
#   disclosures.maintainers        who they are: pusher names, space-separated
#   disclosures.buildTimeout       seconds a build may take (default 900)
#   disclosures.buildMemoryMB      address space of a build, MiB (default 6144)
#   disclosures.checkTimeout       seconds the checks of one push may take, all its refs
#                                  together (default 300)
#   disclosures.checkMemoryMB      address space of a check, MiB (default 2048)
#   disclosures.maxMessagesPerFile validator lines shown per file (default 20)
#   disclosures.maxMessages        validator lines shown in all (default 200)
#   disclosures.maxCommitsPerPush  new commits one push may bring (default 1000)
#   disclosures.maxRefsPerPush     refs (branches, tags) one push may create or move (default 50)
#   disclosures.maxFileBytes       size of a file under the editable paths (default 2097152;
#                                  the validator reads no larger data file)
# The pusher's name: $DISCLOSURES_PUSHER (set per SSH key in authorized_keys), else the
# Unix user running the hook.

# shellcheck disable=SC2034 # used by the hooks
DL_ZERO_RE='^0+$'
# Every git command of the hooks, rollback, publish and the builds they start reads the
# repository as committed: no replace ref (refs/replace/<commit>) puts another commit's
# tree in the place of the published branch's (red-team, seventh session).
export GIT_NO_REPLACE_OBJECTS=1
# A release folder's name: UTC time with nanoseconds, then the commit's first 12 digits.
DL_RELEASE_RE='^[0-9]{8}T[0-9]{6}\.[0-9]{9}Z-[0-9a-f]{12}$'
# Programs started by checks and builds never see the variables git sets for hooks, and
# never find the bare repository by walking up from their folder.
DL_CLEAN_ENV=(env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_QUARANTINE_PATH
	-u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES -u GIT_PUSH_OPTION_COUNT
	-u GIT_PROTOCOL -u PYTHONPATH -u PYTHONHOME -u PYTHONSTARTUP)

dl_say() {
	# A message for the person who pushes: git shows hook output as "remote: ...".
	# If they have gone (closed the connection), the work goes on regardless.
	printf '%s\n' "$*" >&2 2>/dev/null || true
}

dl_show() {
	# dl_show FILE N: the last N lines of FILE, indented and with control characters
	# escaped, for the person who pushes.
	tail -n "$2" -- "$1" 2>/dev/null | dl_clean | sed 's/^/    /' >&2 2>/dev/null || true
}

dl_clean() {
	# stdin to stdout with control and format characters escaped (terminal escapes, bidi
	# overrides): text from a push never drives the reader's terminal.
	if [[ -n ${DL_PY:-} && -x $DL_PY ]]; then
		"$DL_PY" -I "$DL_TRUSTED/src/deploy/pushcheck.py" clean
	else
		LC_ALL=C tr -d '\000-\010\013-\037\177'
	fi
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

dl_number() {
	# dl_number KEY DEFAULT: a whole-number setting (>= 1), the default when it is not one.
	local value
	value=$(dl_config "$1" "$2")
	if ! [[ $value =~ ^[1-9][0-9]*$ ]]; then
		dl_say "disclosures.$1=$value is not a whole number >= 1; using $2"
		value=$2
	fi
	printf '%s\n' "$value"
}

dl_init() {
	# dl_init BARE_REPO: read the settings of BARE_REPO.
	DL_BARE=$(cd "$1" && git --git-dir=. rev-parse --absolute-git-dir)
	DL_LIVE=$(dl_config liveDir "")
	DL_RELEASES=$(realpath -m -- "$(dl_config releasesDir "$DL_BARE/releases")")
	DL_KEEP=$(dl_number keepReleases 5)
	DL_STORE=$DL_RELEASES/.store
	[[ $(dl_config releaseStore true) == true ]] || DL_STORE=
	DL_BRANCH=$(dl_config branch main)
	DL_SITEURL=$(dl_config siteUrl "")
	DL_PREVIEW=$(dl_config preview false)
	DL_TRUSTED=$(dl_config trusted "")
	DL_PY=$DL_TRUSTED/venv/bin/python
	DL_EDITABLE=$(dl_config editablePaths "data/ content/")
	DL_BUILD_TIMEOUT=$(dl_number buildTimeout 900)
	DL_BUILD_MEMORY=$(dl_number buildMemoryMB 6144)
	DL_CHECK_TIMEOUT=$(dl_number checkTimeout 300)
	DL_CHECK_MEMORY=$(dl_number checkMemoryMB 2048)
	DL_TMP=""
	DL_WHO=${DL_WHO:-$(basename -- "$0")}
}

dl_require_trusted() {
	# The trusted copy must be complete; without it nothing is checked or built.
	if [[ -z $DL_TRUSTED || ! -f $DL_TRUSTED/.ready || ! -x $DL_PY ]]; then
		dl_say "服务器未安装可信程序副本，请管理员运行 deploy/install-hooks / the server has no trusted copy of the code (disclosures.trusted=${DL_TRUSTED:-unset}): the operator must run deploy/install-hooks"
		return 1
	fi
}

dl_become_owner() {
	# dl_become_owner BARE SCRIPT ARGS...: run by root (the operator), start SCRIPT again as
	# the owner of BARE before anything in BARE is read or run. Its hooks folder and its
	# config are the owner's to change: root sourcing BARE/hooks/disclosures-lib.sh (or
	# running git there) would run what that user wrote, as root. SCRIPT's text is handed
	# over whole (the operator's checkout may be unreadable to the owner). A repository
	# owned by root goes on as root only when nobody else can write to it.
	local bare=$1 script=$2 uid gid text
	shift 2
	((EUID == 0)) || return 0
	uid=$(stat -L -c %u -- "$bare") && gid=$(stat -L -c %g -- "$bare") || return 1
	if ((uid == 0)); then
		if [[ -n $(find -L "$bare" "$bare/config" "$bare/hooks" -maxdepth 0 -perm /022 2>/dev/null) ]]; then
			echo "$bare is root's but others may write to it: refusing to run there as root" >&2
			return 1
		fi
		return 0
	fi
	text=$(<"$script") || return 1
	exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
		env HOME="$bare" bash -c "$text" "$script" "$@"
}

dl_tmpdir() {
	# One temporary folder per hook run, removed on exit.
	if [[ -z $DL_TMP ]]; then
		DL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/disclosures.XXXXXXXX")
		trap 'rm -rf -- "$DL_TMP"' EXIT
	fi
}

dl_limited() {
	# dl_limited SECONDS MIB COMMAND...: COMMAND under a time limit (then killed) and an
	# address-space limit (ulimit -v, inherited by every process it starts). Exit 124:
	# out of time.
	local seconds=$1 mib=$2
	shift 2
	(
		ulimit -v $((mib * 1024)) || exit 125
		exec timeout --kill-after=10 "$seconds" "$@"
	)
}

dl_pushcheck() {
	"$DL_PY" -I "$DL_TRUSTED/src/deploy/pushcheck.py" "$@"
}

dl_code_allowed() {
	# dl_code_allowed PUSHER: may PUSHER change paths outside the editable ones?
	local name
	[[ $(dl_config allowCodePushes false) == true ]] || return 1
	for name in $(dl_config maintainers ""); do
		[[ $name == "$1" ]] && return 0
	done
	return 1
}

dl_stage() {
	# dl_stage SHA DIR: DIR holds data/ and content/ of SHA exactly as committed, and
	# links to everything else (code, theme, settings) in the trusted copy. DIR is the
	# same folder every time: unchanged files are left alone, so the caches keep working.
	local sha=$1 dir=$2 epoch entry name
	epoch=$(git --git-dir="$DL_BARE" show -s --format=%ct "$sha^{commit}") || return 1
	mkdir -p -- "$dir" || return 1
	# (git's own variables are kept: in pre-receive the pushed objects are in quarantine.)
	dl_limited "$DL_CHECK_TIMEOUT" "$DL_CHECK_MEMORY" "$DL_PY" -I "$DL_TRUSTED/src/deploy/pushcheck.py" \
		export --git-dir "$DL_BARE" \
		--commit "$sha" --dest "$dir" --epoch "$epoch" data content || return 1
	find "$dir" -mindepth 1 -maxdepth 1 -type l -delete || return 1
	for entry in "$DL_TRUSTED"/src/*; do
		name=${entry##*/}
		[[ $name == data || $name == content ]] && continue
		ln -s -- "$entry" "$dir/$name" || return 1
	done
}

dl_checked_trees() {
	# dl_checked_trees SHA: the trees of data/ and content/ in SHA (what a check reads).
	local part tree out=""
	for part in data content; do
		tree=$(git --git-dir="$DL_BARE" rev-parse -q --verify "$1^{commit}:$part") || tree=none
		out+="$tree "
	done
	printf '%s\n' "$out"
}

dl_release_sha() {
	# The commit a release folder name ends with (NAME = TIME-SHA).
	local name=${1##*/}
	printf '%s\n' "${name##*-}"
}

dl_is_release() {
	# dl_is_release PATH: PATH is a release folder: a real folder (not a symlink), directly
	# in the releases folder, named like one.
	local path=$1
	[[ ${path%/*} == "$DL_RELEASES" && ${path##*/} =~ $DL_RELEASE_RE && -d $path && ! -L $path ]]
}

dl_live_release() {
	# The release folder the live symlink points to, or nothing (also when it points
	# anywhere but at a release folder).
	local target
	[[ -n $DL_LIVE && -L $DL_LIVE ]] || return 0
	target=$(readlink -- "$DL_LIVE") || return 0
	if dl_is_release "$target"; then printf '%s\n' "$target"; fi
}

dl_releases() {
	# The release folders, oldest first (their names start with the time).
	[[ -d $DL_RELEASES ]] || return 0
	find "$DL_RELEASES" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | grep -E "$DL_RELEASE_RE" | LC_ALL=C sort
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
	# dl_switch RELEASE_DIR: point the live symlink at RELEASE_DIR atomically: a new
	# symlink is made beside it and renamed over it (rename(2) replaces the old one in one
	# step, so a reader sees either the old or the new site). Only a release folder is
	# accepted. Fails (live symlink as it was) when any step fails.
	local target=$1 tmp
	if ! dl_is_release "$target"; then
		dl_say "拒绝切换：$target 不是版本目录 / refusing to switch: $target is not a release folder"
		return 1
	fi
	tmp=$(dirname -- "$DL_LIVE")/.$(basename -- "$DL_LIVE").new.$$
	rm -f -- "$tmp"
	if ! ln -s -- "$target" "$tmp" || ! mv -T -- "$tmp" "$DL_LIVE"; then
		rm -f -- "$tmp"
		return 1
	fi
	[[ $(readlink -- "$DL_LIVE") == "$target" ]]
}

dl_prune() {
	# Keep the newest DL_KEEP releases, and always the live one. Leftover staging
	# folders (from a build that was killed) go too: under the lock no build is running.
	local live names=() n i ok=0
	live=$(dl_live_release)
	mapfile -t names < <(dl_releases)
	n=${#names[@]}
	for ((i = 0; i < n - DL_KEEP; i++)); do
		if [[ $DL_RELEASES/${names[i]} != "$live" ]]; then
			rm -rf -- "${DL_RELEASES:?}/${names[i]}" || ok=1
		fi
	done
	find "$DL_RELEASES" -mindepth 1 -maxdepth 1 -name '.staging-*' -exec rm -rf -- {} + || ok=1
	# Then the store folders no release left (nor a build under way) reaches. rm -rf of a
	# release above removes its links, never what they point to.
	if [[ -d $DL_RELEASES/.store ]]; then
		dl_limited "$DL_CHECK_TIMEOUT" "$DL_CHECK_MEMORY" "${DL_CLEAN_ENV[@]}" "$DL_PY" -I \
			-m disclosures.store collect "$DL_RELEASES" >/dev/null 2>&1 || ok=1
	fi
	return "$ok"
}

dl_fail() {
	# dl_fail WHAT SHA LIVE: report a failed publish.
	dl_log "发布失败，网站保持不变 / publish FAILED for ${2:0:12} ($1); the live site is unchanged${3:+ (${3##*/})}. Fix and push again."
	return 1
}

dl_publish() {
	# dl_publish auto|force: build the tip of the published branch and make it live
	# (auto: unless it is live already). Takes the lock itself. Returns non-zero when any
	# step failed (the live site is then as it was).
	local force=0
	[[ $1 == force ]] && force=1
	[[ -n $DL_LIVE ]] || {
		dl_say "disclosures.liveDir is not set: run deploy/install-hooks"
		return 1
	}
	dl_require_trusted || return 1
	dl_lock
	local started sha live live_sha
	started=$(date +%s.%N)
	# Build the branch as it is now, not as it was when this hook started: if pushes A
	# then B came in and B's hook got the lock first, A's hook finds B live and stops, so
	# the site never goes back to an older push.
	if ! sha=$(git --git-dir="$DL_BARE" rev-parse --verify -q "refs/heads/$DL_BRANCH^{commit}"); then
		dl_say "分支 $DL_BRANCH 不存在，无需发布 / no branch $DL_BRANCH, nothing to publish"
		return 0
	fi
	live=$(dl_live_release)
	live_sha=$(dl_release_sha "$live")
	if ((!force)) && [[ -n $live && $live_sha == "${sha:0:12}" ]]; then
		dl_say "网站已是最新（${sha:0:12}）/ the site already shows ${sha:0:12}"
		return 0
	fi
	local name staging dir out epoch rc=0
	name="$(date -u +%Y%m%dT%H%M%S.%NZ)-${sha:0:12}"
	staging=$DL_RELEASES/.staging-$name
	mkdir -p -- "$DL_RELEASES" || {
		dl_fail "releases folder" "$sha" "$live"
		return 1
	}
	# The same build folder every time (builds hold the lock): the content-hash cache
	# and the page fingerprints name the data by its path, so a fixed path lets a push
	# that changes one file reuse everything else (plugins/disclosures/incremental.py).
	dir=$DL_BARE/disclosures-build
	out=$DL_BARE/disclosures-build.log
	dl_say "正在构建 ${sha:0:12} / building ${sha:0:12} ..."
	if ! dl_stage "$sha" "$dir" 2>"$out"; then
		dl_show "$out" 20
		dl_fail "export" "$sha" "$live"
		return 1
	fi
	# The change history (修改记录, feed dates) comes from the bare repository: the export
	# has no .git. If it cannot be read the build says so (a warning) and shows none.
	rm -f -- "$dir/history.json"
	dl_limited "$DL_CHECK_TIMEOUT" "$DL_CHECK_MEMORY" "${DL_CLEAN_ENV[@]}" "$DL_PY" -I \
		-m disclosures.history --git-dir "$DL_BARE" --rev "$sha" --data data \
		--output "$dir/history.json" >>"$out" 2>&1 || true
	epoch=$(git --git-dir="$DL_BARE" show -s --format=%ct "$sha")
	local cmd=("$DL_TRUSTED/venv/bin/disclosures" build --settings publishconf.py --output "$staging")
	# Unchanged pages, downloads and search bundles are linked from the live release.
	if [[ -n $live ]]; then cmd+=(--previous "$live"); fi
	# The long-lived builder (disclosures builder, a systemd unit written by install-hooks),
	# when it runs, builds with the data it keeps loaded and publishes the pages first: the
	# search index and whole-site downloads stay the live release's until its catch-up
	# (below). When it does not run, the command builds here, everything, as before.
	local builder=$DL_BARE/disclosures-builder.sock
	if [[ -S $builder ]]; then cmd+=(--builder "$builder" --trail); fi
	(
		cd "$dir"
		export SOURCE_DATE_EPOCH=$epoch DISCLOSURES_COMMIT=$sha GIT_CEILING_DIRECTORIES=$DL_BARE
		export DISCLOSURES_CACHE_PATH=$DL_BARE/disclosures-cache
		export DISCLOSURES_HISTORY_FILE=$dir/history.json
		# A thin release: the folders it shares with the live one are links into the store.
		if [[ -n $DL_STORE ]]; then export DISCLOSURES_RELEASE_STORE=$DL_STORE; fi
		if [[ -n $DL_SITEURL ]]; then
			export SITEURL=$DL_SITEURL
		elif [[ $DL_PREVIEW == true ]]; then
			export DISCLOSURES_PREVIEW=1
		fi
		dl_limited "$DL_BUILD_TIMEOUT" "$DL_BUILD_MEMORY" "${DL_CLEAN_ENV[@]}" "${cmd[@]}"
	) >>"$out" 2>&1 || rc=$?
	if ((rc == 0)) && [[ ! -s $staging/index.html ]]; then
		echo "the build finished but wrote no index.html into the release folder" >>"$out"
		rc=1
	fi
	if ((rc != 0)); then
		((rc == 124)) && echo "the build took longer than disclosures.buildTimeout=${DL_BUILD_TIMEOUT}s" >>"$out"
		rm -rf -- "$staging"
		dl_say "构建失败（退出码 $rc），最后的输出 / the build failed (exit $rc); its last lines:"
		dl_show "$out" 40
		dl_fail "build" "$sha" "$live"
		return 1
	fi
	if ! mv -T -- "$staging" "$DL_RELEASES/$name"; then
		rm -rf -- "$staging"
		dl_fail "rename" "$sha" "$live"
		return 1
	fi
	if ! dl_switch "$DL_RELEASES/$name"; then
		# The live symlink is as it was (rename(2) either happened or not); if it did
		# point elsewhere now, put it back.
		if [[ -n $live && $(readlink -- "$DL_LIVE" 2>/dev/null) != "$live" ]]; then dl_switch "$live" || true; fi
		rm -rf -- "${DL_RELEASES:?}/$name"
		dl_fail "switch" "$sha" "$live"
		return 1
	fi
	dl_show "$out" 1 # the build's summary: files written, pages reused, seconds
	local took note=""
	dl_prune || note=" (old releases could not all be pruned / 旧版本未能全部清理)"
	took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	dl_log "已发布 / published ${sha:0:12} as $name in ${took}s -> $DL_LIVE$note"
	if grep -q '^builder: pages first' -- "$out"; then
		# The lock goes first: the builder switches to the complete release only while nobody
		# publishes, and only if the live site still shows this release (status.json says
		# which parts trail until then).
		flock -u 9
		if "$DL_TRUSTED/venv/bin/disclosures" builder --socket "$builder" --catch-up "$DL_RELEASES/$name" \
			--live "$DL_LIVE" --lock "$DL_BARE/disclosures.lock" --log "$DL_BARE/disclosures-deploy.log" >>"$out" 2>&1; then
			dl_say "搜索与全站下载稍后补齐（见 /status.json）/ the search index and whole-site downloads follow shortly (see /status.json)"
		fi
	fi
}
