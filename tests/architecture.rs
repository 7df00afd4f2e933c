//! ARCHITECTURE.md's invariants as a test, the way rust-analyzer's `tidy` checks its own tree: where SQL and
//! egui may appear, which layer may name which, no import cycle inside a layer, and a length budget for
//! functions. Each check reads `src/` as text with comments removed (string literals are kept apart, so SQL
//! in a literal is found and a word in a comment is not).
//!
//! Known exceptions are allow-lists below. They may only shrink: an entry that no longer applies fails the
//! test as well, so a fixed exception is taken off the list in the same change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a function may be, in lines from `fn` to its closing brace.
const FUNCTION_LINES: usize = 120;

/// Functions longer than [`FUNCTION_LINES`] today (`path::name`), to be split.
const LONG_FUNCTIONS: &[&str] = &[
    "src/core/evaluate.rs::evaluate",
    "src/io/form.rs::read_form",
    "src/io/table.rs::read_xlsx_bytes",
    "src/ops/bundle.rs::import",
    "src/ops/certificates.rs::gather",
    "src/ops/demo.rs::populate",
    "src/ops/demo.rs::populate_scale",
    "src/ops/documents.rs::roster_tables",
    "src/ops/registration.rs::check",
    "src/print/certificate.rs::calibration_page",
    "src/print/output.rs::rearrange",
];

/// Files of `ui` that name the database driver (none: the window names its connection as
/// `ops::Connection` and its screens get data from `ops`).
const UI_FILES_NAMING_RUSQLITE: &[&str] = &[];

/// Files of `ui` that still name `store` types instead of what `ops` hands out.
const UI_FILES_NAMING_STORE: &[&str] = &["src/ui/safety_view.rs"];

/// Files of `io` or `store` that call `ops` (the layer above them).
const LOWER_LAYERS_CALLING_OPS: &[&str] = &["src/io/results.rs", "src/store/ledger.rs"];

/// Import cycles between modules of one layer: the layer, then the cycle's members sorted.
const CYCLES: &[&str] = &["ops: backup verify", "store: ledger schema"];

/// One source file, split into its code (comments and literals blanked) and its string literals.
struct Source {
    /// `src/ui/app.rs`
    path: String,
    /// `core`, `store`, `io`, `print`, `ops`, `ui`, `cli` or `crate` (files at the top of `src/`).
    layer: String,
    /// The module inside its layer (`app` for `src/ui/app.rs`, `ops` for `src/ops/mod.rs`).
    module: String,
    code: String,
    literals: Vec<String>,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    let sources: Vec<Source> = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            let path = file
                .strip_prefix(root)
                .unwrap_or(file)
                .to_string_lossy()
                .replace('\\', "/");
            let parts: Vec<&str> = path.split('/').collect();
            let (layer, module) = match parts.as_slice() {
                ["src", file] => (
                    file.trim_end_matches(".rs").to_string(),
                    file.trim_end_matches(".rs").to_string(),
                ),
                ["src", layer, rest @ ..] => {
                    let module = rest
                        .first()
                        .map(|m| m.trim_end_matches(".rs"))
                        .filter(|m| *m != "mod")
                        .unwrap_or(layer);
                    (layer.to_string(), module.to_string())
                }
                _ => ("crate".to_string(), String::new()),
            };
            let (code, literals) = split(&text);
            Source {
                path,
                layer,
                module,
                code,
                literals,
            }
        })
        .collect();
    assert!(
        sources.len() > 50,
        "found only {} source files under src/",
        sources.len()
    );
    sources
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Separates Rust source into code with comments, strings and chars blanked (line breaks kept, so line
/// numbers still count) and the string literals' contents.
fn split(text: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut literals = Vec::new();
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    code.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && raw_string_start(&chars, i).is_some()
        {
            let (hashes, body_start) = raw_string_start(&chars, i).unwrap_or((0, i));
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = body_start;
            while j < chars.len() && !chars[j..].starts_with(&closing) {
                j += 1;
            }
            literals.push(chars[body_start..j.min(chars.len())].iter().collect());
            for &ch in &chars[i..(j + closing.len()).min(chars.len())] {
                code.push(blank(ch));
            }
            i = j + closing.len();
        } else if c == '"' {
            let mut j = i + 1;
            let mut literal = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                if let Some(&ch) = chars.get(j) {
                    literal.push(ch);
                }
                j += 1;
            }
            literals.push(literal);
            for &ch in &chars[i..(j + 1).min(chars.len())] {
                code.push(blank(ch));
            }
            i = j + 1;
        } else if c == '\'' && char_literal_end(&chars, i).is_some() {
            let end = char_literal_end(&chars, i).unwrap_or(i);
            for _ in i..=end {
                code.push(' ');
            }
            i = end + 1;
        } else {
            code.push(c);
            i += 1;
        }
    }
    (code, literals)
}

/// For `r"…"` or `r#"…"#` at `i`: the number of hashes and where the body starts.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((j - i - 1, j + 1))
}

/// The closing quote of a char literal starting at `i`, or `None` for a lifetime.
fn char_literal_end(chars: &[char], i: usize) -> Option<usize> {
    match chars.get(i + 1)? {
        '\\' => (i + 3..(i + 12).min(chars.len())).find(|&j| chars[j] == '\''),
        _ => (chars.get(i + 2) == Some(&'\'')).then_some(i + 2),
    }
}

/// Whether `code` contains `word` as a whole path segment or identifier.
fn mentions(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// Fails with every finding and every stale allow-list entry at once.
fn judge(what: &str, findings: BTreeSet<String>, allowed: &[&str]) {
    let allowed: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
    let new: Vec<&String> = findings.difference(&allowed).collect();
    let stale: Vec<&String> = allowed.difference(&findings).collect();
    assert!(
        new.is_empty() && stale.is_empty(),
        "{what}\n  not allowed: {new:#?}\n  allowed but no longer found (take them off the list): {stale:#?}"
    );
}

const SQL_WORDS: &[&str] = &[
    "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ", "ALTER ", "PRAGMA ", "BEGIN",
    "COMMIT", "WITH ",
];

/// SQL in a literal, or a rusqlite call that runs SQL, in one file.
fn sql_findings(source: &Source) -> Vec<String> {
    let mut findings = Vec::new();
    for literal in &source.literals {
        let head = literal.trim_start().to_ascii_uppercase();
        let sql = SQL_WORDS.iter().any(|w| head.starts_with(w))
            && (head.contains(" FROM ")
                || head.contains(" INTO ")
                || head.contains(" SET ")
                || head.contains(" TABLE ")
                || head.starts_with("PRAGMA ")
                || head.starts_with("BEGIN")
                || head.starts_with("COMMIT"));
        if sql {
            findings.push(format!("{}: \"{}\"", source.path, literal.trim()));
        }
    }
    for call in [
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".prepare_cached(",
        ".query_row(",
        ".pragma_update(",
        ".pragma_query_value(",
    ] {
        if let Some(at) = source.code.find(call) {
            findings.push(format!(
                "{}:{}: {call}",
                source.path,
                line_of(&source.code, at)
            ));
        }
    }
    findings
}

#[test]
fn sql_is_written_only_in_store() {
    let findings = sources()
        .iter()
        .filter(|s| s.layer != "store")
        .flat_map(sql_findings)
        .collect();
    judge("SQL outside src/store", findings, &[]);
}

#[test]
fn egui_is_named_only_in_ui() {
    let mut findings = BTreeSet::new();
    for source in sources().iter().filter(|s| s.layer != "ui") {
        for word in ["egui", "eframe", "egui_extras", "egui_plot", "egui_kittest"] {
            if mentions(&source.code, word) {
                findings.insert(format!("{}: {word}", source.path));
            }
        }
    }
    judge("egui outside src/ui", findings, &[]);
}

#[test]
fn the_rules_core_knows_no_database_window_or_files() {
    let mut findings = BTreeSet::new();
    for source in sources().iter().filter(|s| s.layer == "core") {
        for word in [
            "rusqlite",
            "egui",
            "eframe",
            "std::fs",
            "File::open",
            "File::create",
            "crate::store",
            "crate::ops",
            "crate::io",
            "crate::ui",
            "crate::print",
        ] {
            if source.code.contains(word) {
                findings.insert(format!("{}: {word}", source.path));
            }
        }
    }
    judge(
        "core must stay pure (no rusqlite, egui or files)",
        findings,
        &[],
    );
}

#[test]
fn io_and_store_do_not_call_ops() {
    let findings = sources()
        .iter()
        .filter(|s| s.layer == "io" || s.layer == "store")
        .filter(|s| s.code.contains("crate::ops") || s.code.contains("super::super::ops"))
        .map(|s| s.path.clone())
        .collect();
    judge(
        "io and store are below ops and must not call it",
        findings,
        LOWER_LAYERS_CALLING_OPS,
    );
}

#[test]
fn the_window_does_not_name_rusqlite() {
    let findings = sources()
        .iter()
        .filter(|s| s.layer == "ui" && mentions(&s.code, "rusqlite"))
        .map(|s| s.path.clone())
        .collect();
    judge(
        "ui gets data from ops, not a database connection",
        findings,
        UI_FILES_NAMING_RUSQLITE,
    );
}

#[test]
fn the_window_names_ops_not_store() {
    let findings = sources()
        .iter()
        .filter(|s| s.layer == "ui")
        .filter(|s| s.code.contains("crate::store") || s.code.contains("super::super::store"))
        .map(|s| s.path.clone())
        .collect();
    judge(
        "ui gets its types from ops, not from store",
        findings,
        UI_FILES_NAMING_STORE,
    );
}

/// Edges from a module to the sibling modules of its layer that it names.
fn layer_graph(sources: &[Source], layer: &str) -> BTreeMap<String, BTreeSet<String>> {
    let members: BTreeSet<String> = sources
        .iter()
        .filter(|s| s.layer == layer && s.module != layer)
        .map(|s| s.module.clone())
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources.iter().filter(|s| s.layer == layer) {
        let grouped = grouped_imports(
            &source.code,
            &["super::".to_string(), format!("crate::{layer}::")],
        );
        let edges = graph.entry(source.module.clone()).or_default();
        for other in members.iter().filter(|m| **m != source.module) {
            let named = [
                format!("super::{other}"),
                format!("crate::{layer}::{other}"),
            ]
            .iter()
            .any(|path| mentions(&source.code, path))
                || grouped.contains(other)
                || (source.module == layer && mentions(&source.code, &format!("{other}::")));
            if named {
                edges.insert(other.clone());
            }
        }
    }
    graph
}

/// The first segments named inside `PREFIX{ … }` groups (`use super::{app::Action, text};` names
/// `app` and `text`).
fn grouped_imports(code: &str, prefixes: &[String]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for prefix in prefixes {
        let opening = format!("{prefix}{{");
        for (at, _) in code.match_indices(&opening) {
            let body = &code[at + opening.len()..];
            let mut depth = 0;
            let mut item_start = true;
            let mut current = String::new();
            for c in body.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !current.is_empty() {
                            names.insert(std::mem::take(&mut current));
                        }
                        item_start = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && item_start {
                    if c.is_alphanumeric() || c == '_' {
                        current.push(c);
                        continue;
                    }
                    if !current.is_empty() {
                        names.insert(std::mem::take(&mut current));
                        item_start = false;
                    }
                }
            }
            if !current.is_empty() {
                names.insert(current);
            }
        }
    }
    names
}

/// Strongly connected components with more than one member (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            let graph = self.graph;
            for next in graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[next].min(self.low[node]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.index[next].min(self.low[node]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut members = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    members.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                if members.len() > 1 {
                    members.sort();
                    self.found.push(members);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found
}

#[test]
fn modules_of_one_layer_do_not_import_each_other_in_a_cycle() {
    let sources = sources();
    let mut findings = BTreeSet::new();
    for layer in ["core", "store", "io", "print", "ops", "ui", "cli"] {
        for members in cycles(&layer_graph(&sources, layer)) {
            findings.insert(format!("{layer}: {}", members.join(" ")));
        }
    }
    judge("import cycles inside a layer", findings, CYCLES);
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_ignores_a_chain() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])),
        vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]
    );
    assert!(cycles(&graph(&[("a", "b"), ("b", "c")])).is_empty());
    let named = grouped_imports(
        "use super::{app::{Action, Screen}, text, self};",
        &["super::".to_string()],
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        vec!["app".to_string(), "self".to_string(), "text".to_string()]
    );
}

/// Every function with a body: `path::name` and its length in lines.
fn functions(source: &Source) -> Vec<(String, usize)> {
    let code = source.code.as_bytes();
    let mut found = Vec::new();
    for (at, _) in source.code.match_indices("fn ") {
        if at > 0 && (code[at - 1].is_ascii_alphanumeric() || code[at - 1] == b'_') {
            continue;
        }
        let name: String = source.code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` outside parentheses and angle brackets; a `;` first is a
        // declaration without a body.
        let mut depth = 0i32;
        let mut open = None;
        for (offset, &b) in code[at..].iter().enumerate() {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => break,
                b'{' if depth == 0 => {
                    open = Some(at + offset);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut braces = 0i32;
        let mut close = None;
        for (offset, &b) in code[open..].iter().enumerate() {
            match b {
                b'{' => braces += 1,
                b'}' => {
                    braces -= 1;
                    if braces == 0 {
                        close = Some(open + offset);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let lines = line_of(&source.code, close) - line_of(&source.code, at) + 1;
        found.push((format!("{}::{name}", source.path), lines));
    }
    found
}

#[test]
fn functions_fit_the_length_budget() {
    let sources = sources();
    let all: Vec<(String, usize)> = sources.iter().flat_map(functions).collect();
    assert!(
        all.len() > 500,
        "found only {} functions: the scanner is broken",
        all.len()
    );
    let findings = all
        .into_iter()
        .filter(|(_, lines)| *lines > FUNCTION_LINES)
        .map(|(name, _)| name)
        .collect();
    judge(
        &format!("functions over {FUNCTION_LINES} lines"),
        findings,
        LONG_FUNCTIONS,
    );
}

#[test]
fn the_scanner_blanks_comments_and_strings_and_measures_functions() {
    let text = "// egui here\nfn a() {\n    let s = \"SELECT x FROM t\"; let c = '{';\n    /* } */\n}\nfn b(x: fn(u8) -> u8);\n";
    let (code, literals) = split(text);
    assert!(!code.contains("egui"));
    assert_eq!(literals, vec!["SELECT x FROM t".to_string()]);
    let source = Source {
        path: "src/x.rs".into(),
        layer: "crate".into(),
        module: "x".into(),
        code,
        literals,
    };
    assert_eq!(functions(&source), vec![("src/x.rs::a".to_string(), 4)]);
    assert_eq!(
        sql_findings(&source),
        vec!["src/x.rs: \"SELECT x FROM t\"".to_string()]
    );
}
