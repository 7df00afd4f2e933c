#!/usr/bin/env bash
# Opens the Windows window under Wine on a virtual screen, to look at it as a person would and
# to time its start. Not run by CI (it needs a person to look at the pictures). Usage:
#   tests/wine/look.sh EXE WIDTHxHEIGHT DPI OUT_FOLDER [ARGS...]
# DPI is Windows' LogPixels: 96 for 100 %, 120 for 125 %, 144 for 150 %, 192 for 200 %.
# Writes OUT_FOLDER/start.png once the window has drawn, and prints how long that took from
# the launch (a first launch after the Wine prefix was made, then a second one). The display
# (:57), the prefix and the key folder live in OUT_FOLDER; the window is left open for xdotool
# (DISPLAY=:57) until the script is run with "stop" as EXE.
set -euo pipefail
export DISPLAY=:57 WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ "$1" = stop ]; then
    WINEPREFIX=$2/prefix wineserver -k 2>/dev/null || true
    pkill -f "Xvfb :57" || true
    exit 0
fi
exe=$(readlink -f "$1") size=$2 dpi=$3 out=$(readlink -f "$4")
shift 4
mkdir -p "$out/keys"
export WINEPREFIX=$out/prefix JUDGEDESK_KEY_DIR="Z:${out//\//\\}\\keys"
pgrep -f "Xvfb :57" >/dev/null || { Xvfb :57 -screen 0 "${size}x24" >/dev/null 2>&1 & sleep 1; }
[ -d "$WINEPREFIX" ] || wineboot -i >/dev/null 2>&1
wine reg add 'HKCU\Control Panel\Desktop' /v LogPixels /t REG_DWORD /d "$dpi" /f >/dev/null 2>&1
wineserver -w

# drawn: the screen holds a painted window (over 20 % of the pixels neither black nor one colour).
drawn() {
    import -window root "$1" 2>/dev/null || return 1
    local share
    share=$(convert "$1" -colorspace gray -threshold 8% -format '%[fx:mean]' info: 2>/dev/null) || return 1
    awk -v s="$share" 'BEGIN { exit !(s > 0.2) }'
}

launch() {
    local started=$(date +%s.%N)
    wine "$exe" "$@" >"$out/wine.log" 2>&1 &
    for _ in $(seq 1 240); do
        sleep 0.25
        if drawn "$out/start.png"; then
            echo "drawn after $(echo "$(date +%s.%N) - $started" | bc) s"
            return 0
        fi
    done
    echo "no window after 60 s" >&2
    return 1
}

echo -n "first launch: "
launch "$@"
sleep 2
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true
echo -n "second launch: "
launch "$@"
sleep 2
import -window root "$out/start.png"
echo "window left open on DISPLAY=:57; screenshot $out/start.png"
