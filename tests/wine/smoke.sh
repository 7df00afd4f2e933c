#!/usr/bin/env bash
# The Windows build under Wine against the Linux build on the same machine: the commands of
# /work/shared/interchange.md that a coordinator runs, on databases in folders with Chinese
# names, given as Windows paths (Z:\...). Usage:
#   tests/wine/smoke.sh LINUX_BINARY WINDOWS_CLI_EXE
# Needs wine (Wine 8 runs the x86_64-win7-windows-gnu build) and python3. Prints one line per
# check and closes with "N passed, N failed"; exits 1 when a check failed.
set -uo pipefail

linux=$(readlink -f "$1")
exe=$(readlink -f "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/judgedesk-wine-smoke.XXXXXX")
trap 'wineserver -k >/dev/null 2>&1; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export JUDGEDESK_PIN=123456   # the demo accounts' PIN (src/ops/demo.rs)
passed=0
failed=0

check() { # check NAME COMMAND...: the command's status is the check's outcome
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name"
    fi
}

winpath() { # a Linux path as Wine's Windows path for it (Z: is /)
    printf 'Z:%s' "${1//\//\\}"
}

# win KEYDIR ARGS...: judgedesk-cli.exe with its own key folder; output in $work/out, status in $status
win() {
    local keys=$1
    shift
    JUDGEDESK_KEY_DIR=$(winpath "$keys") wine "$exe" "$@" >"$work/out" 2>"$work/err"
    status=$?
}

lin() {
    local keys=$1
    shift
    JUDGEDESK_KEY_DIR=$keys "$linux" "$@" >"$work/out" 2>"$work/err"
    status=$?
}

status_is() { # status_is EXPECTED: the last command's exit status
    [ "$status" = "$1" ] || { echo "      exit $status, expected $1:"; sed 's/^/      /' "$work/out" "$work/err" | head -20; return 1; }
}

pages() { # a PDF's page count, as poppler reads it (pages sit in compressed object streams)
    pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'
}

same_file() { cmp -s "$1" "$2" || { echo "      $1 and $2 differ"; diff <(head -c 2000 "$1") <(head -c 2000 "$2") | head -10; return 1; }; }

started=$(date +%s)
wineboot --init >/dev/null 2>&1
wineserver -w
echo "wine prefix ready in $(($(date +%s) - started)) s"

venue="$work/赛场 资料"
mkdir -p "$venue" "$work/linux"
A="$venue/评分.sqlite" # the coordinator's laptop
B="$work/评分机/judging.sqlite" # a judging laptop
keysA="$work/钥匙A" keysB="$work/keysB" keysL="$work/keysL"

win "$keysA" --db "$(winpath "$work/空白.sqlite")" init
check "init creates a database at a Chinese path" status_is 0

win "$keysA" --version
check "the console exe prints its version" grep -q "judgedesk" "$work/out"

win "$keysA" --db "$(winpath "$A")" demo
check "demo" status_is 0
cp "$work/out" "$work/demo-said.txt"
check "demo reports in readable Chinese" grep -q "名选手" "$work/demo-said.txt"

lin "$keysL" --db "$work/linux/demo.sqlite" demo
win "$keysA" --db "$(winpath "$A")" results --format json
check "results --format json" status_is 0
cp "$work/out" "$work/results-wine.json"
lin "$keysL" --db "$work/linux/demo.sqlite" results --format json
cp "$work/out" "$work/results-linux.json"
check "results JSON is byte-identical to the Linux build's" same_file "$work/results-wine.json" "$work/results-linux.json"

win "$keysA" --db "$(winpath "$A")" certificates --draft --out "$(winpath "$venue/证书 样张.pdf")"
check "certificates --draft" status_is 0
lin "$keysL" --db "$work/linux/demo.sqlite" certificates --draft --out "$work/linux/draft.pdf"
wine_pages=$(pages "$venue/证书 样张.pdf")
linux_pages=$(pages "$work/linux/draft.pdf")
echo "      draft certificates: $wine_pages pages under Wine, $linux_pages on Linux"
check "certificates --draft has the Linux build's page count" test "$wine_pages" -gt 0 -a "$wine_pages" = "$linux_pages"

mkdir -p "$venue/备份"
win "$keysA" --db "$(winpath "$A")" backup --out "$(winpath "$venue/备份/第一次.sqlite")"
check "backup into a Chinese folder" status_is 0
# Restored beside the master on the master's own laptop: the copy and the master share the
# database's id and go on apart; neither raises a false alarm in verify below (store::pins).
win "$keysA" --db "$(winpath "$work/恢复.sqlite")" restore "$(winpath "$venue/备份/第一次.sqlite")"
check "restore" status_is 0
win "$keysA" --db "$(winpath "$work/恢复.sqlite")" results --format json
check "the restored copy gives the same results" same_file "$work/out" "$work/results-wine.json"
win "$keysA" --db "$(winpath "$A")" verify
check "verify" status_is 0

# Laptop B: its own key folder, a copy of A, trusted by A.
win "$keysB" --db "$(winpath "$B")" device show
check "device show on the judging laptop" status_is 0
keyB=$(sed -n 's/^公钥: //p' "$work/out" | tr -d '\r')
win "$keysA" --db "$(winpath "$A")" device show
keyA=$(sed -n 's/^公钥: //p' "$work/out" | tr -d '\r')
check "two key folders, two laptop keys" test -n "$keyB" -a "$keyA" != "$keyB"
win "$keysA" --db "$(winpath "$A")" device trust "$keyB" --name "3号评分机" --pool DS-ZG
check "device trust" status_is 0
win "$keysA" --db "$(winpath "$A")" pack --device "3号评分机" --out "$(winpath "$work/U盘/3号评分机.sqlite")"
check "pack for the judging laptop onto the stick" status_is 0
win "$keysB" --db "$(winpath "$work/U盘/3号评分机.sqlite")" verify
check "the pack verifies" status_is 0
win "$keysA" --db "$(winpath "$A")" backup --out "$(winpath "$work/copy.sqlite")"
check "backup for the judging laptop" status_is 0
mkdir -p "$(dirname "$B")" "$work/U盘"
win "$keysB" --db "$(winpath "$B")" restore "$(winpath "$work/copy.sqlite")"
check "the judging laptop restores the coordinator's copy" status_is 0
win "$keysB" --db "$(winpath "$B")" score set --pool DS-ZG --judge DS-ZG裁判1 --workstation 1 --criterion DS01 --value 1.5
check "score set on the judging laptop" status_is 0
win "$keysB" --db "$(winpath "$B")" bundle export --out "$(winpath "$work/U盘/b.bundle")"
check "bundle export" status_is 0

# A refused import: the bundle with one value changed. Exit 1, A's file unchanged.
python3 - "$work/U盘/b.bundle" "$work/tampered.bundle" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data.replace(b'"value":150', b'"value":100', 1))
PY
check "the tampered copy differs" bash -c "! cmp -s '$work/U盘/b.bundle' '$work/tampered.bundle'"
before=$(sha256sum "$A" | cut -d' ' -f1)
win "$keysA" --db "$(winpath "$A")" bundle import "$(winpath "$work/tampered.bundle")"
check "a tampered bundle is refused with exit 1" status_is 1
check "the refused import changed nothing" test "$(sha256sum "$A" | cut -d' ' -f1)" = "$before"

win "$keysA" --db "$(winpath "$A")" bundle import "$(winpath "$work/U盘/b.bundle")"
check "bundle import" status_is 0
win "$keysA" --db "$(winpath "$A")" export scores --out -
check "the imported score is on the coordinator's laptop" grep -q ",1.5\|,1.50" "$work/out"
win "$keysA" --db "$(winpath "$A")" bundle import "$(winpath "$work/U盘/b.bundle")"
check "importing it again exits 0" status_is 0
win "$keysA" --db "$(winpath "$A")" verify
check "verify after the merge" status_is 0

win "$keysA" --db "$(winpath "$A")" results --pool NOPE
check "a usage mistake is refused with exit 1" status_is 1

echo "wine smoke test: $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
