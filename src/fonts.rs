//! The fonts the app ships inside its binary, and a check of which characters they can draw.
//!
//! The font files live in `assets/fonts/` (see the README there for their sources and
//! SIL Open Font License 1.1 texts). They are bundled unmodified.
//!
//! * [`Face::Sans`]: Noto Sans SC Regular, the UI face.
//! * [`Face::Serif`] / [`Face::SerifBold`]: Noto Serif SC Regular / Bold, for certificates.
//! * [`Face::Fallback`]: LXGW WenKai Regular, for rare name characters the Noto faces lack,
//!   e.g. the CJK Extension B character 𠇔 (U+201D4).
//!
//! This module is pure: it knows neither egui nor SQL. Each font is parsed at most once
//! per process, on first use.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Noto Sans SC Regular (`assets/fonts/NotoSansSC-Regular.ttf`).
pub static NOTO_SANS_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Regular.ttf");

/// Noto Serif SC Regular (`assets/fonts/NotoSerifSC-Regular.ttf`).
pub static NOTO_SERIF_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSerifSC-Regular.ttf");

/// Noto Serif SC Bold (`assets/fonts/NotoSerifSC-Bold.ttf`).
pub static NOTO_SERIF_SC_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSerifSC-Bold.ttf");

/// LXGW WenKai Regular (`assets/fonts/LXGWWenKai-Regular.ttf`).
pub static LXGW_WENKAI_REGULAR: &[u8] = include_bytes!("../assets/fonts/LXGWWenKai-Regular.ttf");

/// One of the bundled font faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// Noto Sans SC Regular: the UI face.
    Sans,
    /// Noto Serif SC Regular: certificate body text.
    Serif,
    /// Noto Serif SC Bold: certificate titles.
    SerifBold,
    /// LXGW WenKai Regular: fallback for rare characters (covers CJK Extension B names).
    Fallback,
}

impl Face {
    /// Every bundled face, in declaration order.
    pub const ALL: [Face; 4] = [Face::Sans, Face::Serif, Face::SerifBold, Face::Fallback];

    /// The bytes of this face's font file.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Sans => NOTO_SANS_SC_REGULAR,
            Face::Serif => NOTO_SERIF_SC_REGULAR,
            Face::SerifBold => NOTO_SERIF_SC_BOLD,
            Face::Fallback => LXGW_WENKAI_REGULAR,
        }
    }

    /// A stable name for this face (e.g. a key in a font registry).
    pub fn name(self) -> &'static str {
        match self {
            Face::Sans => "NotoSansSC-Regular",
            Face::Serif => "NotoSerifSC-Regular",
            Face::SerifBold => "NotoSerifSC-Bold",
            Face::Fallback => "LXGWWenKai-Regular",
        }
    }

    /// The file name under `assets/fonts/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Face::Sans => "NotoSansSC-Regular.ttf",
            Face::Serif => "NotoSerifSC-Regular.ttf",
            Face::SerifBold => "NotoSerifSC-Bold.ttf",
            Face::Fallback => "LXGWWenKai-Regular.ttf",
        }
    }

    fn index(self) -> usize {
        match self {
            Face::Sans => 0,
            Face::Serif => 1,
            Face::SerifBold => 2,
            Face::Fallback => 3,
        }
    }

    /// The parsed font, or `None` if the bundled file does not parse.
    fn parsed(self) -> Option<&'static ttf_parser::Face<'static>> {
        static PARSED: [OnceLock<Option<ttf_parser::Face<'static>>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        PARSED[self.index()]
            .get_or_init(|| ttf_parser::Face::parse(self.bytes(), 0).ok())
            .as_ref()
    }

    /// Whether the bundled font file parses (it should, always).
    pub fn parses(self) -> bool {
        self.parsed().is_some()
    }

    /// Whether this face has a glyph for `c` (a Unicode cmap entry other than `.notdef`).
    /// Always `false` if the font failed to parse.
    pub fn has_glyph(self, c: char) -> bool {
        let Some(face) = self.parsed() else {
            return false;
        };
        let Some(cmap) = face.tables().cmap else {
            return false;
        };
        cmap.subtables
            .into_iter()
            .filter(|subtable| subtable.is_unicode())
            .any(|subtable| {
                subtable
                    .glyph_index(u32::from(c))
                    .is_some_and(|id| id.0 != 0)
            })
    }
}

/// The first face in `faces` (in the given order) that has a glyph for `c`.
pub fn face_for_char(c: char, faces: &[Face]) -> Option<Face> {
    faces.iter().copied().find(|face| face.has_glyph(c))
}

/// Every character of `text` that none of `faces` has a glyph for, in first-seen order,
/// each once. Whitespace and control characters are never reported.
pub fn missing_glyphs(text: &str, faces: &[Face]) -> Vec<char> {
    let mut seen = HashSet::new();
    let mut missing = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || !seen.insert(c) {
            continue;
        }
        if face_for_char(c, faces).is_none() {
            missing.push(c);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rare characters seen in contestants' names; the last is CJK Extension B.
    const RARE: &str = "堃喆犇淼燚䶮\u{201D4}";
    const EXT_B: char = '\u{201D4}';

    #[test]
    fn every_bundled_face_parses() {
        for face in Face::ALL {
            assert!(
                face.parses(),
                "{face:?} ({}) does not parse",
                face.file_name()
            );
        }
    }

    #[test]
    fn rare_name_characters_are_covered_by_sans_plus_fallback() {
        assert_eq!(
            missing_glyphs(RARE, &[Face::Sans, Face::Fallback]),
            Vec::<char>::new()
        );
    }

    #[test]
    fn extension_b_character_is_missing_from_sans_alone() {
        assert_eq!(missing_glyphs(RARE, &[Face::Sans]), vec![EXT_B]);
        assert_eq!(face_for_char(EXT_B, &[Face::Sans]), None);
        assert_eq!(
            face_for_char(EXT_B, &[Face::Sans, Face::Fallback]),
            Some(Face::Fallback)
        );
    }

    #[test]
    fn certificate_faces_need_the_fallback_only_for_extension_b() {
        for face in [Face::Serif, Face::SerifBold] {
            assert_eq!(missing_glyphs(RARE, &[face]), vec![EXT_B], "{face:?}");
            assert_eq!(
                missing_glyphs(RARE, &[face, Face::Fallback]),
                Vec::<char>::new()
            );
        }
    }

    #[test]
    fn fallback_alone_covers_every_rare_character() {
        assert_eq!(missing_glyphs(RARE, &[Face::Fallback]), Vec::<char>::new());
    }

    #[test]
    fn face_for_char_takes_the_first_face_in_order() {
        assert_eq!(
            face_for_char('堃', &[Face::Sans, Face::Fallback]),
            Some(Face::Sans)
        );
        assert_eq!(
            face_for_char('堃', &[Face::Fallback, Face::Sans]),
            Some(Face::Fallback)
        );
        assert_eq!(face_for_char('堃', &[]), None);
    }

    #[test]
    fn private_use_character_is_reported_missing() {
        assert_eq!(missing_glyphs("张\u{E000}三", &Face::ALL), vec!['\u{E000}']);
    }

    #[test]
    fn duplicates_are_reported_once_in_first_seen_order() {
        let text = "\u{F8FF}张\u{E000}\u{F8FF}\u{E000}\u{F8FF}";
        assert_eq!(
            missing_glyphs(text, &[Face::Sans]),
            vec!['\u{F8FF}', '\u{E000}']
        );
    }

    #[test]
    fn whitespace_and_control_characters_are_never_reported() {
        let text = " \t\n\r\u{3000}\u{0}\u{7}\u{85}";
        assert_eq!(missing_glyphs(text, &[]), Vec::<char>::new());
    }

    #[test]
    fn no_faces_means_every_other_character_is_missing() {
        assert_eq!(missing_glyphs("a 张a", &[]), vec!['a', '张']);
    }

    #[test]
    fn ordinary_ui_and_certificate_text_is_covered() {
        let text =
            "江苏省电子商务技能大赛决赛 荣誉证书 一等奖 第1名 得分：98.50（满分100）《》、。";
        for face in [Face::Sans, Face::Serif, Face::SerifBold] {
            assert_eq!(
                missing_glyphs(text, &[face]),
                Vec::<char>::new(),
                "{face:?}"
            );
        }
    }
}
