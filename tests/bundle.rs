//! Issue 6, signed USB merge: a judging laptop's bundle reaches the coordinator's laptop; tampered,
//! truncated or unregistered bundles are refused with nothing changed; a second import adds
//! nothing; conflicts wait for the chief judge. Plus a random-mutation run of the bundle reader.

mod support;

use support::Dir;

use judgedesk::io::bundle::{self, Entry, Header};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_judgedesk");

/// One laptop: its own key folder and database.
struct Laptop {
    keys: PathBuf,
    db: PathBuf,
}

impl Laptop {
    fn new(dir: &Dir, name: &str) -> Laptop {
        Laptop {
            keys: dir.path(&format!("{name}-keys")),
            db: dir.path(&format!("{name}/judgedesk.sqlite")),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .env("JUDGEDESK_KEY_DIR", &self.keys)
            .env("JUDGEDESK_PIN", judgedesk::ops::demo::DEMO_PIN)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"))
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        text(&out)
    }

    fn public_key(&self) -> String {
        self.ok(&["device", "show"])
            .lines()
            .find_map(|l| l.strip_prefix("公钥: ").map(str::to_string))
            .unwrap_or_else(|| panic!("no key shown"))
    }

    fn score(&self, workstation: u32, criterion: &str, value: &str) {
        self.ok(&[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            "DS-ZG裁判1",
            "--workstation",
            &workstation.to_string(),
            "--criterion",
            criterion,
            "--value",
            value,
        ]);
    }

    fn scores_csv(&self) -> String {
        self.ok(&["export", "scores", "--out", "-"])
    }

    /// What a refused import must leave unchanged.
    fn fingerprint(&self) -> Vec<i64> {
        let conn = Connection::open(&self.db).unwrap_or_else(|e| panic!("open: {e}"));
        [
            "score_entry",
            "current_score",
            "audit",
            "ledger",
            "merge_conflict",
        ]
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap_or(-1)
        })
        .collect()
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

/// The coordinator's laptop with the demo competition and laptop B registered; B holding a copy
/// restored from the coordinator's backup.
fn venue(dir: &Dir) -> (Laptop, Laptop) {
    let coordinator = Laptop::new(dir, "a");
    let judging = Laptop::new(dir, "b");
    coordinator.ok(&["demo"]);
    coordinator.ok(&[
        "device",
        "trust",
        &judging.public_key(),
        "--name",
        "3号评分机",
    ]);
    let copy = dir.path("copy.sqlite");
    coordinator.ok(&["backup", "--out", arg(&copy)]);
    judging.ok(&["restore", arg(&copy)]);
    (coordinator, judging)
}

#[test]
fn a_judging_laptops_bundle_merges_once_and_bad_bundles_change_nothing() {
    let dir = Dir::new("bundle-merge");
    let (coordinator, judging) = venue(&dir);
    assert_ne!(
        coordinator.public_key(),
        judging.public_key(),
        "a copied database does not copy the laptop's identity"
    );
    assert!(judging.ok(&["verify"]).contains("校验") || judging.ok(&["verify"]).contains("通过"));

    // Values below any demo score, so that each one is a change.
    judging.score(1, "DS01", "1.5");
    judging.score(2, "DS01", "2");
    judging.score(2, "DS01", "2.5");
    judging.score(3, "DS02", "3");
    assert_ne!(coordinator.scores_csv(), judging.scores_csv());
    let stick = dir.path("stick");
    std::fs::create_dir_all(&stick).unwrap_or_else(|e| panic!("{e}"));
    let good = stick.join("b.bundle");
    let said = judging.ok(&["bundle", "export", "--out", arg(&good)]);
    assert!(
        said.contains("已导出本机 4 条") && said.contains("可以安全拔出"),
        "{said}"
    );
    assert!(
        std::fs::read_dir(&stick).map(|d| d.count()).unwrap_or(0) == 1,
        "no temporary file left on the stick"
    );
    let bytes = std::fs::read(&good).unwrap_or_default();
    let before = coordinator.fingerprint();

    // Tampered: one value changed.
    let tampered = dir.path("tampered.bundle");
    let changed = String::from_utf8_lossy(&bytes).replacen("\"value\":150", "\"value\":100", 1);
    assert_ne!(changed.as_bytes(), &bytes[..]);
    std::fs::write(&tampered, changed).unwrap_or_else(|e| panic!("{e}"));
    let out = coordinator.run(&["bundle", "import", arg(&tampered)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("被修改"), "{}", text(&out));

    // Truncated: the stick was pulled mid-copy.
    let truncated = dir.path("truncated.bundle");
    std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap_or_else(|e| panic!("{e}"));
    let out = coordinator.run(&["bundle", "import", arg(&truncated)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("不完整"), "{}", text(&out));

    // Signed by a laptop nobody registered (a copy of the same database, another key).
    let stranger = Laptop::new(&dir, "c");
    stranger.ok(&["restore", arg(&dir.path("copy.sqlite"))]);
    stranger.score(1, "DS01", "1");
    let foreign = dir.path("stranger.bundle");
    stranger.ok(&["bundle", "export", "--out", arg(&foreign)]);
    let out = coordinator.run(&["bundle", "import", arg(&foreign)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("未登记"), "{}", text(&out));
    assert_eq!(
        coordinator.fingerprint(),
        before,
        "refused bundles change nothing"
    );

    // The real one: the coordinator's scores become the judging laptop's.
    let said = coordinator.ok(&["bundle", "import", arg(&good)]);
    assert!(said.contains("新增 4 条"), "{said}");
    assert_eq!(coordinator.scores_csv(), judging.scores_csv());
    let merged = coordinator.fingerprint();

    // Again: nothing added, exit 0.
    let said = coordinator.ok(&["bundle", "import", arg(&good)]);
    assert!(said.contains("均已存在"), "{said}");
    assert_eq!(coordinator.fingerprint(), merged);

    coordinator.ok(&["verify"]);
    judging.ok(&["verify"]);
}

#[test]
fn the_same_cell_changed_on_two_laptops_is_a_conflict_for_the_chief_judge() {
    let dir = Dir::new("bundle-conflict");
    let (coordinator, judging) = venue(&dir);
    coordinator.score(4, "DS01", "1");
    judging.score(4, "DS01", "2");
    judging.score(5, "DS01", "3");
    let bundle = dir.path("b.bundle");
    judging.ok(&["bundle", "export", "--out", arg(&bundle)]);
    let out = coordinator.run(&["bundle", "import", arg(&bundle)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("合并冲突") && text(&out).contains("冲突 1 条"),
        "{}",
        text(&out)
    );
    let cell = |laptop: &Laptop, workstation: &str| -> Option<String> {
        laptop
            .scores_csv()
            .lines()
            .find(|l| {
                l.contains(",DS01,")
                    && l.split(',').nth(3) == Some(workstation)
                    && l.contains("DS-ZG裁判1")
            })
            .map(|l| l.rsplit(',').next().unwrap_or_default().to_string())
    };
    assert_eq!(
        cell(&coordinator, "4").as_deref(),
        Some("1"),
        "never chosen silently"
    );
    assert_eq!(
        cell(&coordinator, "5"),
        cell(&judging, "5"),
        "the rest merged"
    );

    let listed = coordinator.ok(&["bundle", "conflicts"]);
    let id = listed
        .trim_start_matches('#')
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        listed.contains("工位4") && listed.contains("3号评分机"),
        "{listed}"
    );
    coordinator.ok(&["bundle", "resolve", &id, "--keep", "incoming"]);
    assert_eq!(cell(&coordinator, "4").as_deref(), Some("2"));
    assert!(
        coordinator
            .ok(&["bundle", "conflicts"])
            .contains("没有待裁决")
    );
    // Importing again neither re-opens the conflict nor adds anything.
    let before = coordinator.fingerprint();
    coordinator.ok(&["bundle", "import", arg(&bundle)]);
    assert_eq!(coordinator.fingerprint(), before);
    coordinator.ok(&["verify"]);
}

#[test]
fn exporting_to_a_missing_stick_says_so_and_leaves_nothing() {
    let dir = Dir::new("bundle-pulled");
    let (_, judging) = venue(&dir);
    judging.score(1, "DS01", "9");
    let gone = dir.path("pulled-stick/b.bundle");
    let out = judging.run(&["bundle", "export", "--out", arg(&gone)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("U 盘是否已拔出"), "{}", text(&out));
    assert!(!gone.exists());
}

fn sample_bundle(entries: usize) -> Vec<u8> {
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let header = Header {
        format: String::new(),
        version: 0,
        signer: String::new(),
        device: "3号评分机".into(),
        competition: "2023".into(),
        created_at: "2023-11-15 15:00:00.000".into(),
        entries: 0,
    };
    let entries: Vec<Entry> = (0..entries)
        .map(|i| Entry {
            uid: format!("{i:032x}"),
            pool: "DS-ZG".into(),
            id_number: "320102199001011232".into(),
            criterion: format!("DS0{}", i % 9 + 1),
            judge: "DS-ZG裁判1".into(),
            value: Some(50 * i as i64),
            entered_at: "2023-11-15 14:00:00.000".into(),
            entered_by: "DS-ZG裁判1".into(),
            device: "3号评分机".into(),
            source: "score".into(),
            supersedes: (i > 0).then(|| format!("{:032x}", i - 1)),
        })
        .collect();
    bundle::encode(header, &entries, &key).unwrap_or_default()
}

/// Random damage: flipped, inserted, deleted and swapped bytes, cuts, duplicated lines.
fn mutate(rng: &mut ChaCha8Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..rng.random_range(1..4) {
        let len = bytes.len().max(1);
        match rng.random_range(0..6) {
            0 => {
                let i = rng.random_range(0..len);
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= 1 << rng.random_range(0..8);
                }
            }
            1 => bytes.insert(rng.random_range(0..=bytes.len()), rng.random()),
            2 if !bytes.is_empty() => {
                bytes.remove(rng.random_range(0..bytes.len()));
            }
            3 => bytes.truncate(rng.random_range(0..len)),
            4 => {
                let text = String::from_utf8_lossy(&bytes).to_string();
                let lines: Vec<&str> = text.split('\n').collect();
                let i = rng.random_range(0..lines.len());
                let mut out = lines.clone();
                out.insert(i, lines[i]);
                bytes = out.join("\n").into_bytes();
            }
            _ => {
                let (i, j) = (rng.random_range(0..len), rng.random_range(0..len));
                if i < bytes.len() && j < bytes.len() {
                    bytes.swap(i, j);
                }
            }
        }
    }
    bytes
}

/// No mutation of a valid bundle is read as a bundle with different content, and nothing
/// panics. `seconds` bounds the run. Returns the cases tried and those accepted: mutations that
/// left the signed content as it was (a space added inside the unsigned trailer's JSON).
fn fuzz(cases: usize, seconds: u64, seed: u64) -> (usize, usize) {
    let original = sample_bundle(12);
    let expected = bundle::decode(&original).unwrap_or_else(|e| panic!("{e}"));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let (mut tried, mut accepted_unchanged) = (0, 0);
    while tried < cases && std::time::Instant::now() < deadline {
        let bytes = if rng.random_range(0..10) == 0 {
            (0..rng.random_range(0..400))
                .map(|_| rng.random())
                .collect()
        } else {
            mutate(&mut rng, &original)
        };
        if let Ok(found) = bundle::decode(&bytes) {
            let first_difference = bytes.iter().zip(&original).position(|(a, b)| a != b);
            assert!(
                found == expected,
                "altered content accepted; first difference at byte {first_difference:?}"
            );
            accepted_unchanged += 1;
        }
        tried += 1;
    }
    (tried, accepted_unchanged)
}

#[test]
fn damaged_bundles_are_always_refused_quick_run() {
    let (tried, _) = fuzz(3000, 20, 6);
    assert!(tried >= 500, "only {tried} cases ran");
}

/// The time-boxed run outside CI: `JUDGEDESK_FUZZ_SECONDS=300 cargo test --release --test bundle -- --ignored --nocapture`.
#[test]
#[ignore]
fn damaged_bundles_are_always_refused_long_run() {
    let seconds = std::env::var("JUDGEDESK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("JUDGEDESK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2023);
    let (tried, unchanged) = fuzz(usize::MAX, seconds, seed);
    eprintln!(
        "bundle reader: {tried} damaged inputs in {seconds} s; none read as different content ({unchanged} accepted with the signed content intact)"
    );
}
