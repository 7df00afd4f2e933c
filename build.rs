//! Windows builds only: the icon, the version information (产品名称, 文件版本) and the manifest
//! (DPI awareness, supported Windows versions) compiled by the MinGW resource compiler and linked
//! into both executables; `judgedesk.exe` gets the GUI subsystem (no console window on a
//! double-click), `judgedesk-cli.exe` keeps the console subsystem for cmd.exe and PowerShell.
//! Other targets: nothing.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    if let Err(message) = embed_resources() {
        println!("cargo:warning={message}");
        std::process::exit(1);
    }
    println!("cargo:rustc-link-arg-bin=judgedesk=-Wl,--subsystem,windows");
}

fn embed_resources() -> Result<(), String> {
    let env = |name: &str| std::env::var(name).map_err(|e| format!("{name}: {e}"));
    let out = PathBuf::from(env("OUT_DIR")?);
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let version = env("CARGO_PKG_VERSION")?;
    let numbers: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|part| part.parse().unwrap_or(0))
        .collect();
    let [major, minor, patch] = [0, 1, 2].map(|i| numbers.get(i).copied().unwrap_or(0));
    let assets = root.join("assets").join("windows");
    let quoted = |p: PathBuf| p.display().to_string().replace('\\', "/");
    let rc = format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 24 "{manifest}"
1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "CompanyName", "judgedesk"
      VALUE "FileDescription", "judgedesk 技能大赛决赛评分系统"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "judgedesk"
      VALUE "LegalCopyright", "MIT License"
      VALUE "OriginalFilename", "judgedesk.exe"
      VALUE "ProductName", "judgedesk 技能大赛决赛评分系统"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
"#,
        icon = quoted(assets.join("judgedesk.ico")),
        manifest = quoted(assets.join("judgedesk.manifest")),
    );
    let rc_path = out.join("judgedesk.rc");
    std::fs::write(&rc_path, rc).map_err(|e| format!("{}: {e}", rc_path.display()))?;
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| {
        match std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
            Ok("x86") => "i686-w64-mingw32-windres".into(),
            _ => "x86_64-w64-mingw32-windres".into(),
        }
    });
    let object = out.join("judgedesk-resources.o");
    let status = Command::new(&windres)
        .args(["--codepage=65001", "-O", "coff", "-i"])
        .arg(&rc_path)
        .arg("-o")
        .arg(&object)
        .status()
        .map_err(|e| format!("{windres} (MinGW resource compiler) cannot start: {e}"))?;
    if !status.success() {
        return Err(format!("{windres} failed on {}", rc_path.display()));
    }
    println!("cargo:rustc-link-arg-bins={}", object.display());
    Ok(())
}
