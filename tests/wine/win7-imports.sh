#!/usr/bin/env bash
# Checks that Windows 7 can load the given exes: every DLL they import is one Windows 7 ships
# (the list below) or one that lies beside the exe and exports each function imported from it
# (the forwarding combase.dll of assets/windows/win7), and none of the functions of Windows 8
# or later that newer crates call is imported. Wine cannot tell this (it implements the newer
# Windows), so the import tables are read with MinGW's objdump. Usage:
#   tests/wine/win7-imports.sh EXE...
set -euo pipefail

# The system DLLs of Windows 7 SP1 that a program like this one links against.
windows7_dlls=" $(echo advapi32.dll bcrypt.dll comctl32.dll comdlg32.dll crypt32.dll dwmapi.dll \
    dxgi.dll gdi32.dll imm32.dll kernel32.dll msvcrt.dll ntdll.dll ole32.dll oleaut32.dll opengl32.dll \
    powrprof.dll secur32.dll setupapi.dll shell32.dll shlwapi.dll user32.dll userenv.dll \
    uxtheme.dll version.dll winmm.dll ws2_32.dll) "
# Functions of Windows 8 or later that a DLL above does not export on Windows 7.
newer_functions="ProcessPrng|WaitOnAddress|WakeByAddressSingle|WakeByAddressAll|GetSystemTimePreciseAsFileTime|GetDpiForWindow|GetDpiForMonitor|SetThreadDescription|CreateFile2|CopyFile2|CoCreateFreeThreadedMarshaler|RoOriginateErrorW|RoGetActivationFactory"

# "DLL FUNCTION" for every function a PE file imports.
imports_of() {
    x86_64-w64-mingw32-objdump -p "$1" | awk '
        /DLL Name:/ { dll = tolower($3) }
        /^\t[0-9a-f]+\t +[0-9]+ +[A-Za-z_]/ { print dll, $3 }'
}

# The names a PE file exports (forwarders included).
exports_of() {
    x86_64-w64-mingw32-objdump -p "$1" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' |
        sed -n 's/^.*\] //p'
}

status=0
for exe in "$@"; do
    failed=0
    imports=$(imports_of "$exe")
    if [ -z "$imports" ]; then
        echo "$exe: no import table read" >&2
        status=1
        continue
    fi
    for dll in $(printf '%s\n' "$imports" | awk '{print $1}' | sort -u); do
        case "$windows7_dlls" in *" $dll "*) continue ;; esac
        beside=$(dirname "$exe")/$dll
        if [ ! -f "$beside" ]; then
            echo "$exe: imports $dll, which Windows 7 does not have" >&2
            failed=1
            continue
        fi
        exported=$(exports_of "$beside")
        for function in $(printf '%s\n' "$imports" | awk -v d="$dll" '$1 == d {print $2}'); do
            if ! printf '%s\n' "$exported" | grep -qx "$function"; then
                echo "$exe: imports $function from $dll, which the $dll beside it does not export" >&2
                failed=1
            fi
        done
    done
    if newer=$(printf '%s\n' "$imports" | grep -E -w "$newer_functions"); then
        echo "$exe: imports functions Windows 7 lacks:" >&2
        echo "$newer" >&2
        failed=1
    fi
    if [ $failed = 0 ]; then
        echo "$exe: $(printf '%s\n' "$imports" | wc -l) imports, all of them Windows 7's or of the DLL beside it"
    else
        status=1
    fi
done
exit $status
